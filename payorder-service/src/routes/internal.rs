//! `/internal/v1`: the refund saga's steps on a pay order, for refund-service only (role
//! `service`). The gateway never forwards `/internal`. Each step is keyed by the refund's
//! tractionNo and safe to repeat.

use actix_web::{HttpResponse, web};
use payserver_shared::auth::{Caller, Role};
use payserver_shared::time::now_ms;
use payserver_shared::{ApiError, ApiResult};
use serde::Deserialize;
use serde_json::json;

use crate::db::refunds::{self, RefundError, Reservation, ReserveRequest};
use crate::startup::AppState;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/refunds/reserve").route(web::post().to(reserve)))
        .service(web::resource("/refunds/confirm").route(web::post().to(confirm)))
        .service(web::resource("/refunds/release").route(web::post().to(release)));
}

impl From<RefundError> for ApiError {
    fn from(e: RefundError) -> Self {
        match e {
            RefundError::UnknownOrder => ApiError::not_found("pay order not found"),
            RefundError::NotRefundable(m) => ApiError::business(9004, "PayOrderNotRefundable", m),
            RefundError::Invalid(m) => ApiError::bad_request(m),
            RefundError::Conflict(m) => ApiError::conflict(m),
            RefundError::Db(db) => db.into(),
        }
    }
}

fn answer(r: &Reservation) -> HttpResponse {
    let o = &r.order;
    let route = o.route();
    HttpResponse::Ok().json(json!({
        "amount": r.amount,
        "payOrder": {
            "uuid": o.uuid, "tractionNo": o.traction_no, "merchantUUID": o.merchant_uuid,
            "payModeUUID": o.pay_mode_uuid, "payTemplateId": o.pay_template_id,
            "payAmount": o.pay_amount, "refundAmount": o.refund_amount, "refundReserved": o.refund_reserved,
            "status": o.status, "businessRet": o.business_ret, "thirdPayNo": o.third_pay_no, "payee": o.payee,
            "refundUrl": route.refund_url, "queryUrl": route.query_url,
        }
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ReserveBody {
    pay_traction_no: String,
    refund_traction_no: String,
    #[serde(rename = "refundOrderUUID")]
    refund_order_uuid: String,
    amount: Option<i64>,
    #[serde(default)]
    is_cancel: i32,
    #[serde(rename = "merchantUUID")]
    merchant_uuid: Option<String>,
}

async fn reserve(caller: Caller, body: web::Json<ReserveBody>, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    caller.require(Role::Service)?;
    let b = body.into_inner();
    let req = ReserveRequest {
        pay_traction_no: b.pay_traction_no,
        refund_traction_no: b.refund_traction_no,
        refund_order_uuid: b.refund_order_uuid,
        amount: b.amount,
        is_cancel: b.is_cancel == 1,
        merchant: b.merchant_uuid,
    };
    let r = state
        .db
        .run(move |c| refunds::reserve(c, &req, now_ms()))
        .await
        .map_err(ApiError::from)?;
    Ok(answer(&r))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StepBody {
    refund_traction_no: String,
    third_refund_no: Option<String>,
    /// Epoch ms of the refund's completion; now when absent.
    finished_at: Option<i64>,
}

async fn confirm(caller: Caller, body: web::Json<StepBody>, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    caller.require(Role::Service)?;
    let b = body.into_inner();
    let at = b.finished_at.unwrap_or_else(now_ms);
    let r = state
        .db
        .run(move |c| refunds::confirm(c, &b.refund_traction_no, b.third_refund_no, at))
        .await
        .map_err(ApiError::from)?;
    Ok(answer(&r))
}

async fn release(caller: Caller, body: web::Json<StepBody>, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    caller.require(Role::Service)?;
    let b = body.into_inner();
    let r = state
        .db
        .run(move |c| refunds::release(c, &b.refund_traction_no, now_ms()))
        .await
        .map_err(ApiError::from)?;
    Ok(answer(&r))
}
