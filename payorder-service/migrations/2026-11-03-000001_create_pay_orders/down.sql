DROP TABLE trade_records;
DROP TABLE pay_order_checks;
DROP TABLE pay_orders;
