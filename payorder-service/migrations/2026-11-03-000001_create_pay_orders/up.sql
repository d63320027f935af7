CREATE TABLE pay_orders (
    id BIGSERIAL PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    merchant_uuid TEXT NOT NULL,
    client_pay_no TEXT NOT NULL,
    traction_no TEXT NOT NULL UNIQUE,
    pay_mode_uuid TEXT NOT NULL,
    pay_mode_name TEXT NOT NULL,
    pay_template_id TEXT,
    pay_channel TEXT,
    pay_way TEXT,
    payer TEXT,
    payee TEXT,
    pay_amount BIGINT NOT NULL CHECK (pay_amount > 0),
    refund_amount BIGINT NOT NULL DEFAULT 0,
    refund_reserved BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    business_ret TEXT NOT NULL,
    pay_params TEXT NOT NULL,
    client_extra_params TEXT NOT NULL,
    connector TEXT NOT NULL,
    third_pay_no TEXT,
    result_code TEXT,
    third_error_reason TEXT,
    order_start_at BIGINT NOT NULL,
    order_expired_at BIGINT NOT NULL,
    pay_start_at BIGINT,
    pay_finish_at BIGINT,
    last_refund_at BIGINT,
    created_at BIGINT NOT NULL,
    modified_at BIGINT NOT NULL,
    CHECK (refund_amount + refund_reserved <= pay_amount),
    UNIQUE (merchant_uuid, client_pay_no)
);
CREATE INDEX pay_orders_merchant_created ON pay_orders (merchant_uuid, created_at);
CREATE INDEX pay_orders_mode ON pay_orders (pay_mode_uuid);
CREATE INDEX pay_orders_template ON pay_orders (pay_template_id);

-- One row per order whose outcome is not known yet: the resolver's backlog. A replica works
-- on a row only while it holds the lease (lease_until in the future).
CREATE TABLE pay_order_checks (
    pay_order_id BIGINT PRIMARY KEY REFERENCES pay_orders (id),
    next_check_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_until BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX pay_order_checks_due ON pay_order_checks (next_check_at);

-- The append-only journal: one row per money movement. traction_no is the pay's or the
-- refund's serial, so a movement can be journaled only once.
CREATE TABLE trade_records (
    id BIGSERIAL PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    trade_type TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    traction_no TEXT NOT NULL UNIQUE,
    pay_order_uuid TEXT NOT NULL,
    refund_order_uuid TEXT,
    pay_mode_uuid TEXT NOT NULL,
    pay_template_id TEXT,
    merchant_uuid TEXT NOT NULL,
    third_no TEXT,
    trade_at BIGINT NOT NULL
);
CREATE INDEX trade_records_merchant ON trade_records (merchant_uuid, trade_at);
CREATE INDEX trade_records_pay_order ON trade_records (pay_order_uuid);
