//! `/internal/v1`: routes for the other services only. The `Caller` extractor admits nothing
//! but the internal service token (audience `payserver-internal`, role `service`) under
//! `/internal/`, and each handler checks the role again. The gateway refuses `/internal/...`
//! paths (API.md A.1 "Trust boundary"), but that is not what protects these routes: a service
//! must never rely on the edge for its own authorisation.
//!
//! - `GET /payOrders/{uuid}`, `GET /payOrders`: the public reads, for any merchant
//!   (refund-service reads an order's owner, paymode-service whether a mode has orders).
//! - `POST /refunds/{reserve,confirm,release}`: the refund saga's steps on a pay order, each
//!   keyed by the refund's tractionNo and safe to repeat.

use actix_web::{HttpRequest, HttpResponse, web};
use payserver_shared::auth::{Caller, Role};
use payserver_shared::href::BaseUrl;
use payserver_shared::params::Params;
use payserver_shared::path::path_id;
use payserver_shared::time::now_ms;
use payserver_shared::{ApiError, ApiResult};
use serde::Deserialize;
use serde_json::json;

use super::orders;
use crate::db::refunds::{self, Applied, RefundError, Reservation, ReserveRequest};
use crate::startup::AppState;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/payOrders").route(web::get().to(list_orders)))
        .service(web::resource("/payOrders/{uuid}").route(web::get().to(get_order)))
        .service(web::resource("/refunds/reserve").route(web::post().to(reserve)))
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

async fn list_orders(
    caller: Caller,
    params: Params,
    base: BaseUrl,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    caller.require(Role::Service)?;
    orders::list_orders(&state, &caller, &params, &base, &req).await
}

async fn get_order(
    caller: Caller,
    path: web::Path<String>,
    base: BaseUrl,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    caller.require(Role::Service)?;
    let uuid = path_id(path.into_inner())?;
    orders::get_order(&state, &caller, uuid, &base).await
}

/// A step's answer. refund-service reads `amount` and `payOrder`; `applied` says whether this
/// very call took the step (`false`: it had been taken before, or a concurrent call of the
/// same step won), `state` what the reservation is now (`reserved|confirmed|released`).
fn answer(r: &Reservation, applied: Applied) -> HttpResponse {
    let o = &r.order;
    let route = o.route();
    HttpResponse::Ok().json(json!({
        "amount": r.amount,
        "applied": applied == Applied::Done,
        "state": r.step.as_str(),
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
    let (r, applied) = state
        .db
        .run(move |c| refunds::reserve(c, &req, now_ms()))
        .await
        .map_err(ApiError::from)?;
    Ok(answer(&r, applied))
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
    let (r, applied) = state
        .db
        .run(move |c| refunds::confirm(c, &b.refund_traction_no, b.third_refund_no, at))
        .await
        .map_err(ApiError::from)?;
    Ok(answer(&r, applied))
}

async fn release(caller: Caller, body: web::Json<StepBody>, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    caller.require(Role::Service)?;
    let b = body.into_inner();
    let (r, applied) = state
        .db
        .run(move |c| refunds::release(c, &b.refund_traction_no, now_ms()))
        .await
        .map_err(ApiError::from)?;
    Ok(answer(&r, applied))
}
