DROP TABLE wechat_trades;
DROP TABLE wechat_merchants;
