CREATE TABLE pay_mode_templates (
    id BIGSERIAL PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    pay_template_id TEXT NOT NULL UNIQUE,
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
    status TEXT NOT NULL DEFAULT 'enabled',
    created_at BIGINT NOT NULL,
    modified_at BIGINT NOT NULL
);
CREATE INDEX pay_mode_templates_status ON pay_mode_templates (status);
