-- When the resolver sent the expiry cancel of an order (NULL: never). While it is set, a late
-- success that settles the order `payed` keeps the order's row here, so the resolver follows
-- the cancel up until the channel says what became of it, and journals the reversal if the
-- money came back.
ALTER TABLE pay_order_checks ADD COLUMN cancel_sent_at BIGINT;
