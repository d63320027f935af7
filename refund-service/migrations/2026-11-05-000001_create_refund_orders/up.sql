-- A refund order is the saga's durable intent, written before anything else happens. Until
-- the pay order's reservation is known, the pay-order fields are NULL.
CREATE TABLE refund_orders (
    id BIGSERIAL PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    merchant_uuid TEXT NOT NULL,
    client_refund_no TEXT NOT NULL,
    traction_no TEXT NOT NULL UNIQUE,
    pay_traction_no TEXT NOT NULL,
    pay_order_uuid TEXT,
    pay_mode_uuid TEXT,
    pay_template_id TEXT,
    requested_amount BIGINT,
    refund_amount BIGINT,
    is_cancel INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    business_ret TEXT,
    -- The connector's definite answer (success|failed) once known, before the pay order
    -- has been told: the resolver finishes confirm/release from it after a crash.
    connector_ret TEXT,
    third_refund_no TEXT,
    result_code TEXT,
    third_error_reason TEXT,
    client_extra_params TEXT NOT NULL,
    connector TEXT,
    refund_start_at BIGINT NOT NULL,
    refund_finish_at BIGINT,
    created_at BIGINT NOT NULL,
    modified_at BIGINT NOT NULL,
    UNIQUE (merchant_uuid, client_refund_no)
);
CREATE INDEX refund_orders_merchant_created ON refund_orders (merchant_uuid, created_at);
CREATE INDEX refund_orders_pay_order ON refund_orders (pay_order_uuid);

-- Refunds whose saga is not finished: the resolver's backlog (leased like pay_order_checks).
CREATE TABLE refund_checks (
    refund_order_id BIGINT PRIMARY KEY REFERENCES refund_orders (id),
    next_check_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_until BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX refund_checks_due ON refund_checks (next_check_at);
