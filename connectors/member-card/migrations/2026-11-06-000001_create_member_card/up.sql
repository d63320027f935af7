-- Members (会员) of a merchant: a stored-value balance (fen) and count-card items. The CHECKs
-- back up the conditional updates: a balance or a count never goes below zero.
CREATE TABLE members (
    id BIGSERIAL PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    merchant_uuid TEXT NOT NULL,
    name TEXT NOT NULL,
    mobile TEXT,
    card_no TEXT,
    balance BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'enabled',
    created_at BIGINT NOT NULL,
    modified_at BIGINT NOT NULL,
    CHECK (balance >= 0),
    CHECK (status IN ('enabled', 'disabled'))
);
CREATE INDEX members_merchant ON members (merchant_uuid, id);
-- A card number is unique per merchant when given (NULLs are distinct on both backends).
CREATE UNIQUE INDEX members_merchant_card_no ON members (merchant_uuid, card_no);
CREATE INDEX members_merchant_mobile ON members (merchant_uuid, mobile);

-- Count-card items (储次): how many uses of one merchandise and style a member has left.
-- style_uuid is '' for merchandise without styles.
CREATE TABLE member_counts (
    id BIGSERIAL PRIMARY KEY,
    member_uuid TEXT NOT NULL REFERENCES members (uuid),
    merchandise_uuid TEXT NOT NULL,
    style_uuid TEXT NOT NULL,
    name TEXT NOT NULL,
    remaining INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    modified_at BIGINT NOT NULL,
    CHECK (remaining >= 0)
);
CREATE UNIQUE INDEX member_counts_item ON member_counts (member_uuid, merchandise_uuid, style_uuid);

-- Append-only: one row per movement of a balance or of counts. amount (fen, always positive;
-- kind gives the direction) for the balance kinds, counts (JSON text) for the count kinds.
-- UNIQUE (merchant_uuid, client_recharge_no) makes recharges idempotent even when duplicates
-- arrive at once.
CREATE TABLE ledger_entries (
    id BIGSERIAL PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    member_uuid TEXT NOT NULL REFERENCES members (uuid),
    merchant_uuid TEXT NOT NULL,
    kind TEXT NOT NULL,
    amount BIGINT,
    counts TEXT,
    traction_no TEXT UNIQUE,
    client_recharge_no TEXT,
    balance_after BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    CHECK (kind IN ('recharge', 'pay', 'refund', 'count_add', 'count_use', 'count_restore')),
    CHECK (amount IS NULL OR amount > 0)
);
CREATE INDEX ledger_entries_member ON ledger_entries (member_uuid, id);
CREATE UNIQUE INDEX ledger_entries_client_recharge_no ON ledger_entries (merchant_uuid, client_recharge_no);

-- The answer given to every pay and refund tractionNo, failed ones included, so that a
-- repeated tractionNo gets the same answer. UNIQUE (traction_no) is what makes two concurrent
-- requests with one tractionNo move money once. For a pay: counts is what was deducted (a
-- refund restores exactly that) and refunded the total credited back so far.
CREATE TABLE operations (
    id BIGSERIAL PRIMARY KEY,
    traction_no TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    merchant_uuid TEXT NOT NULL,
    member_uuid TEXT,
    ret TEXT NOT NULL,
    reason TEXT,
    amount BIGINT NOT NULL,
    counts TEXT,
    refunded BIGINT NOT NULL DEFAULT 0,
    pay_traction_no TEXT,
    third_order_no TEXT,
    finished_at BIGINT,
    created_at BIGINT NOT NULL,
    CHECK (kind IN ('pay', 'refund')),
    CHECK (ret IN ('success', 'failed')),
    CHECK (refunded >= 0 AND refunded <= amount)
);
