//! JSON shapes: the pay order (API.md A.4, the seed's names) and the trade record, and their
//! schemas in the OpenAPI document (`PayOrder`, `PayAnswer`, `TradeRecord`, ...). The shapes of
//! `/batchPay` are declared with its route (pay.rs).

use payserver_shared::href::{BaseUrl, Link};
use payserver_shared::time::Clock;
use serde::Serialize;
use serde_json::{Value, json};

use crate::db::models::{OrderRow, TradeRow};
use crate::domain::{BusinessRet, PayStatus, TradeType};

payserver_shared::resource_view! {
    /// A pay order.
    #[derive(Debug, Serialize, utoipa::ToSchema)]
    #[serde(rename_all = "camelCase")]
    #[schema(as = PayOrder)]
    pub struct OrderView {
        href;
        id;
        uuid;
        #[schema(required = true)]
        pub payer: Option<String>,
        #[schema(required = true)]
        pub payee: Option<String>,
        /// Fen (integer).
        #[schema(minimum = 1)]
        pub pay_amount: i64,
        /// Platform serial number (numeric string, starts with 1).
        #[schema(example = "1531367230400202")]
        pub traction_no: String,
        /// The client's own number, unique per merchant.
        #[schema(example = "201807120130")]
        pub client_pay_no: String,
    } with (order_start_at, order_expired_at) {
        /// A free-form JSON object, stored and returned as sent.
        #[schema(value_type = Object)]
        pub pay_params: Value,
        /// A free-form JSON object, stored and returned as sent.
        #[schema(value_type = Object)]
        pub client_extra_params: Value,
        /// The channel's own number.
        #[schema(required = true)]
        pub third_pay_no: Option<String>,
        /// Why a pay failed, e.g. CONNECTOR_FAILED, CONNECTOR_REJECTED, EXPIRED.
        #[schema(required = true)]
        pub result_code: Option<String>,
        #[schema(required = true)]
        pub third_error_reason: Option<String>,
        pub pay_mode_name: String,
        #[schema(required = true)]
        pub pay_template_id: Option<String>,
        #[schema(required = true)]
        pub pay_channel: Option<String>,
        #[schema(required = true)]
        pub pay_way: Option<String>,
    } with nullable (pay_start_at, pay_finish_at) {
        /// Refunded so far. Fen (integer).
        #[schema(minimum = 0)]
        pub refund_amount: i64,
    } with nullable (last_refund_at) {
        #[schema(schema_with = crate::api_doc::pay_status_schema)]
        pub status: PayStatus,
        /// 22 characters of [0-9A-Za-z] (nanoid).
        #[serde(rename = "payModeUUID")]
        #[schema(pattern = "^[0-9A-Za-z]{22}$", example = "irAl37TewwGEchYrXUWsfA")]
        pub pay_mode_uuid: String,
    } with (merchant_uuid, created_at, modified_at) {
        pub pay_mode: Link,
        pub refund_orders: Link,
        pub trade_records: Link,
    }
}

/// A JSON object column as stored (an object; `{}` when unreadable).
fn object(s: &str) -> Value {
    serde_json::from_str::<Value>(s).unwrap_or_else(|_| json!({}))
}

pub fn order(o: &OrderRow, base: &BaseUrl, clock: &Clock) -> OrderView {
    let href = base.api(&format!("payOrders/{}", o.uuid));
    payserver_shared::resource_moved!(o, href, clock => OrderView {
        payer: o.payer.clone(),
        payee: o.payee.clone(),
        pay_amount: o.pay_amount,
        traction_no: o.traction_no.clone(),
        client_pay_no: o.client_pay_no.clone(),
        order_start_at: clock.render(o.order_start_at),
        order_expired_at: clock.render(o.order_expired_at),
        pay_params: object(&o.pay_params),
        client_extra_params: object(&o.client_extra_params),
        third_pay_no: o.third_pay_no.clone(),
        result_code: o.result_code.clone(),
        third_error_reason: o.third_error_reason.clone(),
        pay_mode_name: o.pay_mode_name.clone(),
        pay_template_id: o.pay_template_id.clone(),
        pay_channel: o.pay_channel.clone(),
        pay_way: o.pay_way.clone(),
        pay_start_at: clock.render_opt(o.pay_start_at),
        pay_finish_at: clock.render_opt(o.pay_finish_at),
        refund_amount: o.refund_amount,
        last_refund_at: clock.render_opt(o.last_refund_at),
        status: o.status,
        pay_mode_uuid: o.pay_mode_uuid.clone(),
        merchant_uuid: o.merchant_uuid.clone(),
        pay_mode: Link::to(base.api(&format!("payModes/{}", o.pay_mode_uuid))),
        refund_orders: Link::to(format!("{href}/refundOrders")),
        trade_records: Link::to(format!("{href}/tradeRecords")),
    })
}

/// Answer of `/pay` and `/payNotify`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PayAnswer)]
pub struct PayAnswerView {
    #[schema(schema_with = crate::api_doc::pay_ret_schema)]
    pub ret: &'static str,
    #[schema(schema_with = crate::api_doc::pay_business_ret_schema)]
    pub business_ret: BusinessRet,
    pub data: OrderView,
}

/// `{ret, businessRet, data}` of `/pay`.
pub fn pay_answer(o: &OrderRow, base: &BaseUrl, clock: &Clock) -> PayAnswerView {
    PayAnswerView {
        ret: o.status.ret(),
        business_ret: o.business_ret,
        data: order(o, base, clock),
    }
}

payserver_shared::resource_view! {
    /// One money movement (append-only journal).
    #[derive(Debug, Serialize, utoipa::ToSchema)]
    #[serde(rename_all = "camelCase")]
    #[schema(as = TradeRecord)]
    pub struct TradeView {
        href;
        id;
        uuid;
        #[schema(schema_with = crate::api_doc::trade_type_schema)]
        pub trade_type: TradeType,
        /// Always positive; `tradeType` gives the direction. Fen (integer).
        #[schema(minimum = 1)]
        pub amount: i64,
        /// The pay's or the refund's serial number.
        pub traction_no: String,
        /// 22 characters of [0-9A-Za-z] (nanoid).
        #[serde(rename = "payOrderUUID")]
        #[schema(pattern = "^[0-9A-Za-z]{22}$", example = "irAl37TewwGEchYrXUWsfA")]
        pub pay_order_uuid: String,
        /// 22 characters of [0-9A-Za-z] (nanoid).
        #[serde(rename = "refundOrderUUID")]
        #[schema(required = true, pattern = "^[0-9A-Za-z]{22}$", example = "irAl37TewwGEchYrXUWsfA")]
        pub refund_order_uuid: Option<String>,
        /// 22 characters of [0-9A-Za-z] (nanoid).
        #[serde(rename = "payModeUUID")]
        #[schema(pattern = "^[0-9A-Za-z]{22}$", example = "irAl37TewwGEchYrXUWsfA")]
        pub pay_mode_uuid: String,
        #[schema(required = true)]
        pub pay_template_id: Option<String>,
    } with (merchant_uuid) {
        #[schema(required = true)]
        pub third_no: Option<String>,
    } with (trade_at) {
        pub pay_order: Link,
    }
}

pub fn trade(t: &TradeRow, base: &BaseUrl, clock: &Clock) -> TradeView {
    TradeView {
        href: base.api(&format!("tradeRecords/{}", t.uuid)),
        id: t.id,
        uuid: t.uuid.clone(),
        trade_type: t.trade_type,
        amount: t.amount,
        traction_no: t.traction_no.clone(),
        pay_order_uuid: t.pay_order_uuid.clone(),
        refund_order_uuid: t.refund_order_uuid.clone(),
        pay_mode_uuid: t.pay_mode_uuid.clone(),
        pay_template_id: t.pay_template_id.clone(),
        merchant_uuid: t.merchant_uuid.clone(),
        third_no: t.third_no.clone(),
        trade_at: clock.render(t.trade_at),
        pay_order: Link::to(base.api(&format!("payOrders/{}", t.pay_order_uuid))),
    }
}
