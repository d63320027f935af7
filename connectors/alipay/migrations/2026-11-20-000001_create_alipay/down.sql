DROP TABLE alipay_merchants;
DROP TABLE alipay_trades;
