-- A merchant's opened payment methods (API.md A.3). Template fields are copied from the
-- template when the mode is opened; custom modes have no template (both ids NULL).
CREATE TABLE pay_modes (
    id BIGSERIAL PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    merchant_uuid TEXT NOT NULL,
    merchant_href TEXT,
    pay_template_id TEXT,
    template_uuid TEXT,
    name TEXT NOT NULL,
    description TEXT,
    check_env_url TEXT,
    pay_url TEXT,
    refund_url TEXT,
    query_url TEXT,
    icon_href TEXT,
    order_valid_time INTEGER NOT NULL DEFAULT 24,
    is_online INTEGER NOT NULL DEFAULT 0,
    is_sign_account INTEGER NOT NULL DEFAULT 0,
    is_async_notify INTEGER NOT NULL DEFAULT 0,
    is_thrid_pay INTEGER NOT NULL DEFAULT 0,
    pay_channel TEXT,
    pay_way TEXT,
    is_fast_pay INTEGER NOT NULL DEFAULT 0,
    is_opened INTEGER NOT NULL DEFAULT 1,
    ui_order INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    modified_at BIGINT NOT NULL
);
-- One mode per template and merchant. Custom modes have pay_template_id NULL, and NULLs are
-- distinct in unique indexes on both backends, so a merchant may have many custom modes.
CREATE UNIQUE INDEX pay_modes_merchant_template ON pay_modes (merchant_uuid, pay_template_id);
CREATE INDEX pay_modes_template_uuid ON pay_modes (template_uuid);
