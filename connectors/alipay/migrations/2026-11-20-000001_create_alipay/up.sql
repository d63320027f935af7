-- One row per pay or refund, keyed by the payserver tractionNo (the Alipay out_trade_no of a
-- pay, the out_request_no of a refund). Pending rows are finished by a background driver
-- holding a lease (lease_owner, lease_until), so replicas never work on the same trade.
CREATE TABLE alipay_trades (
    id BIGSERIAL PRIMARY KEY,
    traction_no TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    merchant_uuid TEXT NOT NULL,
    out_trade_no TEXT NOT NULL,
    trade_no TEXT,
    amount BIGINT NOT NULL,
    auth_code_masked TEXT,
    status TEXT NOT NULL,
    phase TEXT NOT NULL,
    reason TEXT,
    finished_at BIGINT,
    attempts INTEGER NOT NULL DEFAULT 0,
    query_until BIGINT NOT NULL,
    next_at BIGINT NOT NULL,
    lease_owner TEXT,
    lease_until BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    modified_at BIGINT NOT NULL
);
CREATE INDEX alipay_trades_due ON alipay_trades (status, next_at);

-- Each merchant's ISV authorization (app_auth_token).
CREATE TABLE alipay_merchants (
    id BIGSERIAL PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    merchant_uuid TEXT NOT NULL UNIQUE,
    app_auth_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    modified_at BIGINT NOT NULL
);
