//! The refund order's JSON (API.md A.5, the seed's names), and its schemas in the OpenAPI
//! document (`RefundOrder`, `RefundAnswer`, ...). The shapes of `/batchRefund` are declared with
//! its route (refund.rs).

use payserver_shared::href::{BaseUrl, Link};
use payserver_shared::time::Clock;
use serde::Serialize;
use serde_json::{Value, json};

use crate::db::models::RefundRow;
use crate::domain::{RefundBusinessRet, RefundStatus};

payserver_shared::resource_view! {
    /// A refund order.
    #[derive(Debug, Serialize, utoipa::ToSchema)]
    #[serde(rename_all = "camelCase")]
    #[schema(as = RefundOrder)]
    pub struct RefundView {
        href;
        id;
        uuid;
        /// Null until the amount is fixed (reserved on the pay order). Fen (integer).
        #[schema(required = true, minimum = 0)]
        pub refund_amount: Option<i64>,
        /// Refund serial number (numeric string, starts with 2).
        pub traction_no: String,
        /// The pay order's tractionNo.
        pub pay_traction_no: String,
        pub client_refund_no: String,
        #[schema(schema_with = crate::api_doc::flag_schema)]
        pub is_cancel: i32,
        #[schema(required = true)]
        pub third_refund_no: Option<String>,
    } with (refund_start_at) with nullable (refund_finish_at) {
        /// Why a refund failed, e.g. NOT_REFUNDABLE, CONNECTOR_FAILED.
        #[schema(required = true)]
        pub result_code: Option<String>,
        #[schema(required = true)]
        pub third_error_reason: Option<String>,
        #[schema(schema_with = crate::api_doc::refund_status_schema)]
        pub status: RefundStatus,
        /// 22 characters of [0-9A-Za-z] (nanoid).
        #[serde(rename = "payOrderUUID")]
        #[schema(required = true, pattern = "^[0-9A-Za-z]{22}$", example = "irAl37TewwGEchYrXUWsfA")]
        pub pay_order_uuid: Option<String>,
        /// 22 characters of [0-9A-Za-z] (nanoid).
        #[serde(rename = "payModeUUID")]
        #[schema(required = true, pattern = "^[0-9A-Za-z]{22}$", example = "irAl37TewwGEchYrXUWsfA")]
        pub pay_mode_uuid: Option<String>,
    } with (merchant_uuid) {
        /// A free-form JSON object, stored and returned as sent.
        #[schema(value_type = Object)]
        pub client_extra_params: Value,
    } with (created_at, modified_at) {
        pub pay_order: Link,
        pub trade_records: Link,
    }
}

pub fn refund(r: &RefundRow, base: &BaseUrl, clock: &Clock) -> RefundView {
    let href = base.api(&format!("refundOrders/{}", r.uuid));
    payserver_shared::resource_moved!(r, href, clock => RefundView {
        refund_amount: r.refund_amount,
        traction_no: r.traction_no.clone(),
        pay_traction_no: r.pay_traction_no.clone(),
        client_refund_no: r.client_refund_no.clone(),
        is_cancel: r.is_cancel,
        third_refund_no: r.third_refund_no.clone(),
        refund_start_at: clock.render(r.refund_start_at),
        refund_finish_at: clock.render_opt(r.refund_finish_at),
        result_code: r.result_code.clone(),
        third_error_reason: r.third_error_reason.clone(),
        status: r.status,
        pay_order_uuid: r.pay_order_uuid.clone(),
        pay_mode_uuid: r.pay_mode_uuid.clone(),
        merchant_uuid: r.merchant_uuid.clone(),
        client_extra_params: serde_json::from_str::<Value>(&r.client_extra_params).unwrap_or_else(|_| json!({})),
        pay_order: Link {
            href: r.pay_order_uuid.as_ref().map(|p| base.api(&format!("payOrders/{p}"))),
        },
        trade_records: Link::to(format!("{href}/tradeRecords")),
    })
}

/// Answer of `/refund` and `/refundNotify`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = RefundAnswer)]
pub struct RefundAnswerView {
    #[schema(schema_with = crate::api_doc::refund_ret_schema)]
    pub ret: &'static str,
    #[schema(schema_with = crate::api_doc::refund_business_ret_schema, required = true)]
    pub business_ret: Option<RefundBusinessRet>,
    pub data: RefundView,
}

/// `{ret, businessRet, data}` of `/refund`.
pub fn refund_answer(r: &RefundRow, base: &BaseUrl, clock: &Clock) -> RefundAnswerView {
    let ret = if r.status == RefundStatus::RefundFailed {
        "failed"
    } else {
        "success"
    };
    RefundAnswerView {
        ret,
        business_ret: r.business_ret,
        data: refund(r, base, clock),
    }
}
