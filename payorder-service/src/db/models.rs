//! What payorder-service writes to its tables, and the rows' helpers (the rows read are
//! declared with their tables in schema.rs).

use diesel::prelude::*;

pub use super::schema::{OrderRow, TradeRow};
use super::schema::{pay_order_checks, pay_orders, trade_records};
use crate::domain::{BusinessRet, PayStatus, TradeType};

impl OrderRow {
    pub fn route(&self) -> crate::domain::ConnectorRoute {
        serde_json::from_str(&self.connector).unwrap_or_default()
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = pay_orders)]
pub struct NewOrder {
    pub uuid: String,
    pub merchant_uuid: String,
    pub client_pay_no: String,
    pub traction_no: String,
    pub pay_mode_uuid: String,
    pub pay_mode_name: String,
    pub pay_template_id: Option<String>,
    pub pay_channel: Option<String>,
    pub pay_way: Option<String>,
    pub payer: Option<String>,
    pub payee: Option<String>,
    pub pay_amount: i64,
    pub status: PayStatus,
    pub business_ret: BusinessRet,
    pub pay_params: String,
    pub client_extra_params: String,
    pub connector: String,
    pub order_start_at: i64,
    pub order_expired_at: i64,
    pub pay_start_at: Option<i64>,
    pub pay_finish_at: Option<i64>,
    pub created_at: i64,
    pub modified_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = pay_order_checks)]
pub struct CheckRow {
    pub attempts: i32,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = trade_records)]
pub struct NewTrade {
    pub uuid: String,
    pub trade_type: TradeType,
    pub amount: i64,
    pub traction_no: String,
    pub pay_order_uuid: String,
    pub refund_order_uuid: Option<String>,
    pub pay_mode_uuid: String,
    pub pay_template_id: Option<String>,
    pub merchant_uuid: String,
    pub third_no: Option<String>,
    pub trade_at: i64,
}

impl NewTrade {
    /// The journal row of a successful pay.
    pub fn pay(order: &OrderRow, third_no: Option<String>, at: i64) -> Self {
        Self {
            uuid: payserver_shared::ids::new_uuid(),
            trade_type: TradeType::Pay,
            amount: order.pay_amount,
            traction_no: order.traction_no.clone(),
            pay_order_uuid: order.uuid.clone(),
            refund_order_uuid: None,
            pay_mode_uuid: order.pay_mode_uuid.clone(),
            pay_template_id: order.pay_template_id.clone(),
            merchant_uuid: order.merchant_uuid.clone(),
            third_no,
            trade_at: at,
        }
    }

    /// The journal row of money returned on `order`: a refund (with its refund order) or the
    /// reversal of an expiry cancel (without one). `traction_no` is the refund's or the
    /// cancel's serial, so each is journaled once.
    pub fn refund(
        order: &OrderRow,
        traction_no: &str,
        amount: i64,
        refund_order_uuid: Option<String>,
        third_no: Option<String>,
        at: i64,
    ) -> Self {
        Self {
            trade_type: TradeType::Refund,
            amount,
            traction_no: traction_no.to_string(),
            refund_order_uuid,
            ..Self::pay(order, third_no, at)
        }
    }
}
