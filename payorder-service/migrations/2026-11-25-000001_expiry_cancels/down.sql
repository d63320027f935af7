ALTER TABLE pay_order_checks DROP COLUMN cancel_sent_at;
