DROP TABLE refund_checks;
DROP TABLE refund_orders;
