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
        .service(endpoint(refund_saga::RESERVE).post(take_step::<Reserve>))
        .service(endpoint(refund_saga::CONFIRM).post(take_step::<Confirm>))
        .service(endpoint(refund_saga::RELEASE).post(take_step::<Release>));
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
    orders::ORDER_LIST.list(&state.db, &state.clock, &call).await
}

async fn get_order(
    caller: Caller,
    path: web::Path<String>,
    base: BaseUrl,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    caller.require(Role::Service)?;
    let uuid = path_id(path.into_inner())?;
    orders::ORDER_LIST
        .get(&state.db, &state.clock, &caller, uuid, &base)
        .await
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

/// What a saga step does on the database, and what it answers.
type StepResult = Result<(Reservation, Applied), RefundError>;

/// One of the saga's steps: its body, and the database work it asks for (built from the body
/// before the work is queued, so a time it takes is the call's).
trait SagaStep: 'static {
    type Body: serde::de::DeserializeOwned + 'static;

    fn work(body: Self::Body) -> impl FnOnce(&mut DbConnection) -> StepResult + Send + 'static;
}

/// `POST /internal/v1/refunds/reserve`.
struct Reserve;
/// `POST /internal/v1/refunds/confirm`.
struct Confirm;
/// `POST /internal/v1/refunds/release`.
struct Release;

impl SagaStep for Reserve {
    type Body = refund_saga::Reserve;

    fn work(b: refund_saga::Reserve) -> impl FnOnce(&mut DbConnection) -> StepResult + Send + 'static {
        let req = ReserveRequest {
            pay_traction_no: b.pay_traction_no,
            refund_traction_no: b.refund_traction_no,
            refund_order_uuid: b.refund_order_uuid,
            amount: b.amount,
            is_cancel: b.is_cancel == 1,
            merchant: b.merchant_uuid,
        };
        move |c| refunds::reserve(c, &req, now_ms())
    }
}

impl SagaStep for Confirm {
    type Body = refund_saga::Step;

    fn work(b: refund_saga::Step) -> impl FnOnce(&mut DbConnection) -> StepResult + Send + 'static {
        let at = b.finished_at.unwrap_or_else(now_ms);
        move |c| refunds::confirm(c, &b.refund_traction_no, b.third_refund_no, at)
    }
}

impl SagaStep for Release {
    type Body = refund_saga::Step;

    fn work(b: refund_saga::Step) -> impl FnOnce(&mut DbConnection) -> StepResult + Send + 'static {
        move |c| refunds::release(c, &b.refund_traction_no, now_ms())
    }
}

/// A saga step's route, for the service token only: the step taken on the database, and what
/// it did.
async fn take_step<S: SagaStep>(
    caller: Caller,
    body: web::Json<S::Body>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    caller.require(Role::Service)?;
    let work = S::work(body.into_inner());
    let (r, applied) = state.db.run(work).await.map_err(ApiError::from)?;
    Ok(answer(r, applied))
}
