-- Per-merchant WeChat Pay settings (service-provider mode: one sub-merchant per merchant).
CREATE TABLE wechat_merchants (
    id BIGSERIAL PRIMARY KEY,
    merchant_uuid TEXT NOT NULL UNIQUE,
    sub_mch_id TEXT NOT NULL,
    sub_appid TEXT,
    created_at BIGINT NOT NULL,
    modified_at BIGINT NOT NULL
);

-- One row per contract operation (a pay or a refund), keyed by the payserver tractionNo.
-- `status` pending|success|failed; a pending row's `step` says what the background worker
-- does next (query, reverse, settle, refund, refundquery) and `next_at` when.
CREATE TABLE wechat_trades (
    id BIGSERIAL PRIMARY KEY,
    traction_no TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    merchant_uuid TEXT NOT NULL,
    sub_mch_id TEXT,
    sub_appid TEXT,
    amount BIGINT NOT NULL,
    total_fee BIGINT NOT NULL,
    pay_traction_no TEXT,
    status TEXT NOT NULL,
    step TEXT NOT NULL,
    third_no TEXT,
    reason TEXT,
    wx_state TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    deadline_at BIGINT NOT NULL,
    next_at BIGINT NOT NULL,
    lease_until BIGINT NOT NULL DEFAULT 0,
    finished_at BIGINT,
    notify_url TEXT,
    created_at BIGINT NOT NULL,
    modified_at BIGINT NOT NULL
);
CREATE INDEX wechat_trades_due ON wechat_trades (status, next_at);
CREATE INDEX wechat_trades_pay ON wechat_trades (pay_traction_no);
