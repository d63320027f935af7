//! Rows of refund-service's tables.

use diesel::prelude::*;

use super::schema::{refund_checks, refund_orders};
use crate::domain::{ConnectorInfo, ConnectorRet, RefundBusinessRet, RefundStatus};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refund_orders)]
pub struct RefundRow {
    pub id: i64,
    pub uuid: String,
    pub merchant_uuid: String,
    pub client_refund_no: String,
    pub traction_no: String,
    pub pay_traction_no: String,
    pub pay_order_uuid: Option<String>,
    pub pay_mode_uuid: Option<String>,
    pub pay_template_id: Option<String>,
    pub requested_amount: Option<i64>,
    pub refund_amount: Option<i64>,
    pub is_cancel: i32,
    pub status: RefundStatus,
    pub business_ret: Option<RefundBusinessRet>,
    pub connector_ret: Option<ConnectorRet>,
    pub third_refund_no: Option<String>,
    pub result_code: Option<String>,
    pub third_error_reason: Option<String>,
    pub client_extra_params: String,
    pub connector: Option<String>,
    pub refund_start_at: i64,
    pub refund_finish_at: Option<i64>,
    pub created_at: i64,
    pub modified_at: i64,
}

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
