-- Sign accounters (挂账单位): a credit limit per accounter, used_credit moves with every charge
-- and credit. The CHECKs back up the conditional updates: used credit never goes below zero
-- nor above the limit.
CREATE TABLE sign_accounters (
    id BIGSERIAL PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    merchant_uuid TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    credit_limit BIGINT NOT NULL,
    used_credit BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'enabled',
    created_at BIGINT NOT NULL,
    modified_at BIGINT NOT NULL,
    CHECK (credit_limit >= 0),
    CHECK (used_credit >= 0),
    CHECK (used_credit <= credit_limit),
    CHECK (status IN ('enabled', 'disabled'))
);
CREATE INDEX sign_accounters_merchant ON sign_accounters (merchant_uuid, id);

-- The people who may sign for an accounter.
CREATE TABLE sign_persons (
    id BIGSERIAL PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    accounter_uuid TEXT NOT NULL REFERENCES sign_accounters (uuid),
    merchant_uuid TEXT NOT NULL,
    name TEXT NOT NULL,
    mobile TEXT,
    created_at BIGINT NOT NULL,
    modified_at BIGINT NOT NULL
);
CREATE INDEX sign_persons_accounter ON sign_persons (accounter_uuid, id);

-- Append-only: one row per money movement (a charge by a pay, a credit by a refund).
CREATE TABLE ledger_entries (
    id BIGSERIAL PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    accounter_uuid TEXT NOT NULL REFERENCES sign_accounters (uuid),
    merchant_uuid TEXT NOT NULL,
    kind TEXT NOT NULL,
    amount BIGINT NOT NULL,
    traction_no TEXT NOT NULL UNIQUE,
    pay_traction_no TEXT,
    sign_person_uuid TEXT,
    used_credit_after BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    CHECK (kind IN ('charge', 'credit')),
    CHECK (amount > 0)
);
CREATE INDEX ledger_entries_accounter ON ledger_entries (accounter_uuid, id);

-- The answer given to every pay and refund tractionNo, failed ones included, so that a
-- repeated tractionNo gets the same answer. UNIQUE (traction_no) is what makes two
-- concurrent requests with one tractionNo move money once. For a successful pay, refunded is
-- the total credited back so far (never above amount).
CREATE TABLE operations (
    id BIGSERIAL PRIMARY KEY,
    traction_no TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    merchant_uuid TEXT NOT NULL,
    ret TEXT NOT NULL,
    third_order_no TEXT,
    reason TEXT,
    amount BIGINT NOT NULL,
    refunded BIGINT NOT NULL DEFAULT 0,
    accounter_uuid TEXT,
    sign_person_uuid TEXT,
    pay_traction_no TEXT,
    finished_at BIGINT,
    created_at BIGINT NOT NULL,
    CHECK (kind IN ('pay', 'refund')),
    CHECK (ret IN ('success', 'failed')),
    CHECK (refunded >= 0 AND refunded <= amount)
);
