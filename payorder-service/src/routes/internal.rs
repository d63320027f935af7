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

use actix_web::{HttpResponse, web};
use payserver_shared::auth::{Caller, Role};
use payserver_shared::business::Business;
use payserver_shared::db::DbConnection;
use payserver_shared::href::BaseUrl;
use payserver_shared::http::endpoint;
use payserver_shared::listing::ListCall;
use payserver_shared::path::path_id;
use payserver_shared::time::now_ms;
use payserver_shared::{ApiError, ApiResult};
use refund_saga::{Held, HeldOrder};

use super::orders;
use crate::db::refunds::{self, Applied, RefundError, Reservation, ReserveRequest, Step};
use crate::startup::AppState;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(endpoint("/internal/v1/payOrders").get(list_orders))
        .service(endpoint("/internal/v1/payOrders/{uuid}").get(get_order))
        .service(endpoint(refund_saga::RESERVE).post(reserve))
        .service(endpoint(refund_saga::CONFIRM).post(confirm))
        .service(endpoint(refund_saga::RELEASE).post(release));
}

impl From<RefundError> for ApiError {
    fn from(e: RefundError) -> Self {
        match e {
            RefundError::UnknownOrder => ApiError::not_found("pay order not found"),
            RefundError::NotRefundable(m) => Business::PayOrderNotRefundable.error(m),
            RefundError::Invalid(m) => ApiError::bad_request(m),
            RefundError::Conflict(m) => ApiError::conflict(m),
            RefundError::Db(db) => db.into(),
        }
    }
}

async fn list_orders(call: ListCall, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    call.caller.require(Role::Service)?;
    orders::ORDER_LIST.list(&state, &call).await
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

impl From<Step> for refund_saga::Reservation {
    fn from(step: Step) -> Self {
        match step {
            Step::Reserved => refund_saga::Reservation::Reserved,
            Step::Confirmed => refund_saga::Reservation::Confirmed,
            Step::Released => refund_saga::Reservation::Released,
        }
    }
}

/// A step's answer: the reservation now, and whether this very call took the step (`false`:
/// it had been taken before, or a concurrent call of the same step won).
fn answer(r: Reservation, applied: Applied) -> HttpResponse {
    let o = r.order;
    let route = o.route();
    HttpResponse::Ok().json(Held {
        amount: r.amount,
        applied: applied == Applied::Done,
        state: r.step.into(),
        pay_order: HeldOrder {
            uuid: o.uuid,
            traction_no: o.traction_no,
            merchant_uuid: o.merchant_uuid,
            pay_mode_uuid: o.pay_mode_uuid,
            pay_template_id: o.pay_template_id,
            pay_amount: o.pay_amount,
            refund_amount: o.refund_amount,
            refund_reserved: o.refund_reserved,
            status: o.status.to_string(),
            business_ret: o.business_ret.to_string(),
            third_pay_no: o.third_pay_no,
            payee: o.payee,
            refund_url: route.refund_url,
            query_url: route.query_url,
        },
    })
}

/// Takes a saga step on the database and answers what it did.
async fn take_step(
    state: &AppState,
    step: impl FnOnce(&mut DbConnection) -> Result<(Reservation, Applied), RefundError> + Send + 'static,
) -> ApiResult<HttpResponse> {
    let (r, applied) = state.db.run(step).await.map_err(ApiError::from)?;
    Ok(answer(r, applied))
}

async fn reserve(
    caller: Caller,
    body: web::Json<refund_saga::Reserve>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
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
    take_step(&state, move |c| refunds::reserve(c, &req, now_ms())).await
}

async fn confirm(
    caller: Caller,
    body: web::Json<refund_saga::Step>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    caller.require(Role::Service)?;
    let b = body.into_inner();
    let at = b.finished_at.unwrap_or_else(now_ms);
    take_step(&state, move |c| {
        refunds::confirm(c, &b.refund_traction_no, b.third_refund_no, at)
    })
    .await
}

async fn release(
    caller: Caller,
    body: web::Json<refund_saga::Step>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    caller.require(Role::Service)?;
    let b = body.into_inner();
    take_step(&state, move |c| refunds::release(c, &b.refund_traction_no, now_ms())).await
}
