//! Rows.

use diesel::prelude::*;

use super::schema::{alipay_merchants, alipay_trades};
use crate::domain::{Kind, Phase, Status};

/// Every column of a trade (some are only for operators reading the table).
#[allow(dead_code)]
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = alipay_trades)]
pub struct TradeRow {
    pub id: i64,
    pub traction_no: String,
    pub kind: Kind,
    pub merchant_uuid: String,
    pub out_trade_no: String,
    pub trade_no: Option<String>,
    pub amount: i64,
    pub auth_code_masked: Option<String>,
    pub status: Status,
    pub phase: Phase,
    pub reason: Option<String>,
    pub finished_at: Option<i64>,
    pub attempts: i32,
    pub query_until: i64,
    pub next_at: i64,
    pub lease_owner: Option<String>,
    pub lease_until: i64,
    pub created_at: i64,
    pub modified_at: i64,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = alipay_trades)]
pub struct NewTrade {
    pub traction_no: String,
    pub kind: Kind,
    pub merchant_uuid: String,
    pub out_trade_no: String,
    pub trade_no: Option<String>,
    pub amount: i64,
    pub auth_code_masked: Option<String>,
    pub status: Status,
    pub phase: Phase,
    pub reason: Option<String>,
    pub finished_at: Option<i64>,
    pub attempts: i32,
    pub query_until: i64,
    pub next_at: i64,
    pub lease_owner: Option<String>,
    pub lease_until: i64,
    pub created_at: i64,
    pub modified_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = alipay_merchants)]
pub struct MerchantRow {
    pub id: i64,
    pub uuid: String,
    pub merchant_uuid: String,
    pub app_auth_token: String,
    pub created_at: i64,
    pub modified_at: i64,
}
