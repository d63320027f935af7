DROP TABLE refund_reservations;
