//! JSON shapes: the pay order (API.md A.4, the seed's names) and the trade record.

use payserver_shared::href::{BaseUrl, link};
use payserver_shared::time::Clock;
use serde_json::{Value, json};

use crate::db::models::{OrderRow, TradeRow};
use crate::domain::PayStatus;

pub fn order(o: &OrderRow, base: &BaseUrl, clock: &Clock) -> Value {
    let href = base.api(&format!("payOrders/{}", o.uuid));
    let parse = |s: &str| serde_json::from_str::<Value>(s).unwrap_or_else(|_| json!({}));
    json!({
        "href": href,
        "id": o.id,
        "uuid": o.uuid,
        "payer": o.payer,
        "payee": o.payee,
        "payAmount": o.pay_amount,
        "tractionNo": o.traction_no,
        "clientPayNo": o.client_pay_no,
        "orderStartAt": clock.render(o.order_start_at),
        "orderExpiredAt": clock.render(o.order_expired_at),
        "payParams": parse(&o.pay_params),
        "clientExtraParams": parse(&o.client_extra_params),
        "thirdPayNo": o.third_pay_no,
        "resultCode": o.result_code,
        "thirdErrorReason": o.third_error_reason,
        "payModeName": o.pay_mode_name,
        "payTemplateId": o.pay_template_id,
        "payChannel": o.pay_channel,
        "payWay": o.pay_way,
        "payStartAt": clock.render_opt(o.pay_start_at),
        "payFinishAt": clock.render_opt(o.pay_finish_at),
        "refundAmount": o.refund_amount,
        "lastRefundAt": clock.render_opt(o.last_refund_at),
        "status": o.status,
        "payModeUUID": o.pay_mode_uuid,
        "merchantUUID": o.merchant_uuid,
        "createdAt": clock.render(o.created_at),
        "modifiedAt": clock.render(o.modified_at),
        "payMode": link(Some(base.api(&format!("payModes/{}", o.pay_mode_uuid)))),
        "refundOrders": link(Some(format!("{href}/refundOrders"))),
        "tradeRecords": link(Some(format!("{href}/tradeRecords"))),
    })
}

/// `{ret, businessRet, data}` of `/pay`.
pub fn pay_answer(o: &OrderRow, base: &BaseUrl, clock: &Clock) -> Value {
    let ret = PayStatus::parse(&o.status).map_or("failed", PayStatus::ret);
    json!({ "ret": ret, "businessRet": o.business_ret, "data": order(o, base, clock) })
}

pub fn trade(t: &TradeRow, base: &BaseUrl, clock: &Clock) -> Value {
    json!({
        "href": base.api(&format!("tradeRecords/{}", t.uuid)),
        "id": t.id,
        "uuid": t.uuid,
        "tradeType": t.trade_type,
        "amount": t.amount,
        "tractionNo": t.traction_no,
        "payOrderUUID": t.pay_order_uuid,
        "refundOrderUUID": t.refund_order_uuid,
        "payModeUUID": t.pay_mode_uuid,
        "payTemplateId": t.pay_template_id,
        "merchantUUID": t.merchant_uuid,
        "thirdNo": t.third_no,
        "tradeAt": clock.render(t.trade_at),
        "payOrder": link(Some(base.api(&format!("payOrders/{}", t.pay_order_uuid)))),
    })
}
