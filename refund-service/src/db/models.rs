//! What refund-service writes to its tables, and the rows' helpers (the rows read are
//! declared with their tables in schema.rs).

use diesel::prelude::*;

pub use super::schema::RefundRow;
use super::schema::{refund_checks, refund_orders};
use crate::domain::{ConnectorInfo, RefundStatus};

impl RefundRow {
    pub fn connector_info(&self) -> ConnectorInfo {
        self.connector
            .as_deref()
            .and_then(|c| serde_json::from_str(c).ok())
            .unwrap_or_default()
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = refund_orders)]
pub struct NewRefund {
    pub uuid: String,
    pub merchant_uuid: String,
    pub client_refund_no: String,
    pub traction_no: String,
    pub pay_traction_no: String,
    pub requested_amount: Option<i64>,
    pub is_cancel: i32,
    pub status: RefundStatus,
    pub client_extra_params: String,
    pub refund_start_at: i64,
    pub created_at: i64,
    pub modified_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refund_checks)]
pub struct CheckRow {
    pub attempts: i32,
}
