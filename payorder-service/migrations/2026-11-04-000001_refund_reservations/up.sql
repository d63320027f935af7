-- The refund saga's holds on a pay order, one per refund tractionNo: reserved, then confirmed
-- (money refunded) or released (refund failed). pay_orders.refund_reserved is the sum of the
-- reserved ones, kept in the same transactions.
CREATE TABLE refund_reservations (
    refund_traction_no TEXT PRIMARY KEY,
    pay_order_id BIGINT NOT NULL REFERENCES pay_orders (id),
    refund_order_uuid TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    modified_at BIGINT NOT NULL
);
CREATE INDEX refund_reservations_order ON refund_reservations (pay_order_id);
