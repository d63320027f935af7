//! The refund order's JSON (API.md A.5, the seed's names).

use payserver_shared::href::{BaseUrl, link};
use payserver_shared::time::Clock;
use serde_json::{Value, json};

use crate::db::models::RefundRow;

pub fn refund(r: &RefundRow, base: &BaseUrl, clock: &Clock) -> Value {
    let href = base.api(&format!("refundOrders/{}", r.uuid));
    json!({
        "href": href,
        "id": r.id,
        "uuid": r.uuid,
        "refundAmount": r.refund_amount,
        "tractionNo": r.traction_no,
        "payTractionNo": r.pay_traction_no,
        "clientRefundNo": r.client_refund_no,
        "isCancel": r.is_cancel,
        "thirdRefundNo": r.third_refund_no,
        "refundStartAt": clock.render(r.refund_start_at),
        "refundFinishAt": clock.render_opt(r.refund_finish_at),
        "resultCode": r.result_code,
        "thirdErrorReason": r.third_error_reason,
        "status": r.status,
        "payOrderUUID": r.pay_order_uuid,
        "payModeUUID": r.pay_mode_uuid,
        "merchantUUID": r.merchant_uuid,
        "clientExtraParams": serde_json::from_str::<Value>(&r.client_extra_params).unwrap_or_else(|_| json!({})),
        "createdAt": clock.render(r.created_at),
        "modifiedAt": clock.render(r.modified_at),
        "payOrder": link(r.pay_order_uuid.as_ref().map(|p| base.api(&format!("payOrders/{p}")))),
        "tradeRecords": link(Some(format!("{href}/tradeRecords"))),
    })
}

/// `{ret, businessRet, data}` of `/refund`.
pub fn refund_answer(r: &RefundRow, base: &BaseUrl, clock: &Clock) -> Value {
    let ret = if r.status == "refundFailed" {
        "failed"
    } else {
        "success"
    };
    json!({ "ret": ret, "businessRet": r.business_ret, "data": refund(r, base, clock) })
}
