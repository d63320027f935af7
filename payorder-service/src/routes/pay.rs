//! `/pay`, `/batchPay`, `/payNotify`.

use actix_web::{HttpResponse, web};
use connector_contract::types::TradeAnswer;
use payserver_shared::auth::Caller;
use payserver_shared::batch_items::{self, ItemBody};
use payserver_shared::href::BaseUrl;
use payserver_shared::http::RequestId;
use payserver_shared::http::endpoint;
use payserver_shared::{ApiError, ApiResult};
use serde::Deserialize;
use serde_json::Value;

use super::view::{self, BatchPayAnswer, BatchPayResultItem, PayAnswerView};
use crate::core::{batch, notify, pay as pay_core};
use crate::domain::PayBody;
use crate::startup::AppState;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(endpoint("/pay").post(pay))
        .service(endpoint("/batchPay").post(batch_pay))
        .service(endpoint("/payNotify").post(pay_notify));
}

#[utoipa::path(
    post,
    path = "/api/v1.0.0/pay",
    operation_id = "pay",
    tag = "pay",
    summary = "Pay",
    description = "Roles merchant (for itself), admin or service. Offline modes are `payed` at once (`offlinePay`); online ones call the connector's payUrl (`syncOnlinePay` / `asyncOnlinePay`). Poll `GET /payOrders?clientPayNo=` while `paying`.",
    request_body = PayBody,
    responses(
        (status = 200, description = "The order (new, or the existing one of an identical earlier request).", body = PayAnswerView),
        (status = 404, description = "The pay mode is unknown or another merchant's.", body = ApiError),
        (status = 409, description = "The clientPayNo was used for another mode or amount.", body = ApiError),
        (status = 500, description = "A business rule refused the request (HTTP 500 with `code` >= 9000, as in the seed): 9002 (pay mode not opened); 9003 (pay mode or template unusable (disabled, online without payUrl)); or an unexpected error (5000).", body = ApiError,
            example = json!({"name": "PayModeNotOpened", "statusCode": 500, "code": 9002, "message": "pay mode not opened", "description": "pay mode not opened"})),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn pay(
    caller: Caller,
    body: web::Json<PayBody>,
    base: BaseUrl,
    rid: RequestId,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    caller.require_merchant_or_admin()?;
    let req = body.into_inner().validate().map_err(ApiError::bad_request)?;
    let order = pay_core::pay(&state, &caller, req, &rid).await?;
    Ok(HttpResponse::Ok().json(view::pay_answer(&order, &base, &state.clock)))
}

/// Each item is processed as its own `/pay`; an invalid item fails alone.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = BatchPayRequest)]
pub(crate) struct BatchBody {
    #[schema(value_type = Vec<PayBody>, min_items = 1, max_items = 100)]
    batch_pay_data: Vec<Value>,
}

#[utoipa::path(
    post,
    path = "/api/v1.0.0/batchPay",
    operation_id = "batchPay",
    tag = "pay",
    summary = "Pay up to 100 orders",
    description = "1 to 100 items (else 400); each item answers like its own `/pay`.",
    request_body = BatchBody,
    responses((status = 200, description = "OK", body = BatchPayAnswer))
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn batch_pay(
    caller: Caller,
    body: web::Json<BatchBody>,
    base: BaseUrl,
    rid: RequestId,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    caller.require_merchant_or_admin()?;
    let items = batch_items::checked(body.into_inner().batch_pay_data, "batchPayData")?;
    let results = batch::batch_pay(state.clone(), caller, items, rid).await;
    let batch_pay_result = results
        .into_iter()
        .map(|(client_pay_no, result)| {
            let (status_code, body) = ItemBody::of(result.map(|r| view::pay_answer(&r, &base, &state.clock)));
            BatchPayResultItem {
                client_pay_no,
                status_code,
                body,
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(BatchPayAnswer { batch_pay_result }))
}

/// `POST /payNotify`, for the order's own connector only (core/notify.rs):
/// - 200 with the order when the notification is the order's outcome (it settled the order,
///   or the order already had that outcome: a repeat);
/// - 202 with the still `paying` order when it reports a `success` the channel's `queryUrl`
///   does not confirm (yet): nothing changed, and the resolver asks the channel again soon. A
///   connector may repeat the notification; it is never an error for the real one;
/// - 403 from any other connector, 404 for an unknown tractionNo, 409 when it contradicts the
///   order's final state (or the channel's own query).
#[utoipa::path(
    post,
    path = "/api/v1.0.0/payNotify",
    operation_id = "payNotify",
    tag = "pay",
    summary = "A connector's pay outcome",
    description = "Role `connector` only. 404 when no order has this tractionNo; 409 when it contradicts the settled order.",
    request_body = payserver_shared::api_doc::NotifyBody,
    responses(
        (status = 200, description = "OK", body = PayAnswerView),
        (status = 202, description = "A `success` the channel's own query does not confirm (yet): the order is still `paying`, nothing changed, and the resolver asks the channel again soon.", body = PayAnswerView),
        (status = 404, description = "No order has this tractionNo.", body = ApiError),
        (status = 409, description = "The outcome contradicts the order's final state (or the channel's own query).", body = ApiError),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn pay_notify(
    caller: Caller,
    body: web::Json<TradeAnswer>,
    base: BaseUrl,
    rid: RequestId,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let connector = caller.connector_name()?;
    let answer = match notify::pay_notify(&state, connector, body.into_inner(), &rid).await? {
        notify::Notified::Settled(order) => HttpResponse::Ok().json(view::pay_answer(&order, &base, &state.clock)),
        notify::Notified::Unconfirmed(order) => {
            HttpResponse::Accepted().json(view::pay_answer(&order, &base, &state.clock))
        }
    };
    Ok(answer)
}
