//! What payorder-service writes to its tables, and the rows' helpers (the rows read, and the
//! pay order and trade record inserted, are declared with their tables in schema.rs).

use diesel::prelude::*;

use super::schema::pay_order_checks;
pub use super::schema::{NewOrder, NewTrade, OrderRow, TradeRow};
use crate::domain::TradeType;

impl OrderRow {
    pub fn route(&self) -> crate::domain::ConnectorRoute {
        serde_json::from_str(&self.connector).unwrap_or_default()
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = pay_order_checks)]
pub struct CheckRow {
    pub attempts: i32,
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
