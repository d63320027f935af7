//! `/refund`, `/batchRefund`, `/refundNotify`.

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

use super::view::{self, BatchRefundAnswer, BatchRefundResultItem, RefundAnswerView};
use crate::core::{batch, notify, refund as refund_core};
use crate::domain::RefundBody;
use crate::startup::AppState;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(endpoint("/refund").post(refund))
        .service(endpoint("/batchRefund").post(batch_refund))
        .service(endpoint("/refundNotify").post(refund_notify));
}

#[utoipa::path(
    post,
    path = "/api/v1.0.0/refund",
    operation_id = "refund",
    tag = "refund",
    summary = "Refund",
    description = "Roles merchant (for itself), admin or service. 404 when the pay order is unknown or another merchant's; 409 when `clientRefundNo` was used for another refund.",
    request_body = RefundBody,
    responses(
        (status = 200, description = "The refund (new, or the existing one of an identical earlier request).", body = RefundAnswerView),
        (status = 404, description = "The pay order is unknown or another merchant's.", body = ApiError),
        (status = 409, description = "The clientRefundNo was used for another refund.", body = ApiError),
        (status = 500, description = "A business rule refused the request (HTTP 500 with `code` >= 9000, as in the seed): 9004 (pay order not refundable (wrong status, amount exceeds what is left)); or an unexpected error (5000).", body = ApiError,
            example = json!({"name": "PayOrderNotRefundable", "statusCode": 500, "code": 9004, "message": "pay order not refundable (wrong status, amount exceeds what is left)", "description": "pay order not refundable (wrong status, amount exceeds what is left)"})),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn refund(
    caller: Caller,
    body: web::Json<RefundBody>,
    base: BaseUrl,
    rid: RequestId,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    caller.require_merchant_or_admin()?;
    let req = body.into_inner().validate().map_err(ApiError::bad_request)?;
    let row = refund_core::refund(&state, &caller, req, &rid).await?;
    Ok(HttpResponse::Ok().json(view::refund_answer(&row, &base, &state.clock)))
}

/// Each item is processed as its own `/refund`; an invalid item fails alone.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = BatchRefundRequest)]
pub(crate) struct BatchBody {
    #[schema(value_type = Vec<RefundBody>, min_items = 1, max_items = 100)]
    batch_refund_data: Vec<Value>,
}

#[utoipa::path(
    post,
    path = "/api/v1.0.0/batchRefund",
    operation_id = "batchRefund",
    tag = "refund",
    summary = "Refund up to 100 orders",
    description = "1 to 100 items (else 400); each item answers like its own `/refund`.",
    request_body = BatchBody,
    responses((status = 200, description = "OK", body = BatchRefundAnswer))
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn batch_refund(
    caller: Caller,
    body: web::Json<BatchBody>,
    base: BaseUrl,
    rid: RequestId,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    caller.require_merchant_or_admin()?;
    let items = batch_items::checked(body.into_inner().batch_refund_data, "batchRefundData")?;
    let results = batch::batch_refund(state.clone(), caller, items, rid).await;
    let batch_refund_result = results
        .into_iter()
        .map(|(client_refund_no, result)| {
            let (status_code, body) = ItemBody::of(result.map(|r| view::refund_answer(&r, &base, &state.clock)));
            BatchRefundResultItem {
                client_refund_no,
                status_code,
                body,
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(BatchRefundAnswer { batch_refund_result }))
}

#[utoipa::path(
    post,
    path = "/api/v1.0.0/refundNotify",
    operation_id = "refundNotify",
    tag = "refund",
    summary = "A connector's refund outcome",
    description = "Role `connector` only; `tractionNo` is the refund's serial.",
    request_body = payserver_shared::api_doc::NotifyBody,
    responses(
        (status = 200, description = "OK", body = RefundAnswerView),
        (status = 404, description = "No refund has this tractionNo.", body = ApiError),
        (status = 409, description = "The outcome contradicts the refund's final state.", body = ApiError),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn refund_notify(
    caller: Caller,
    body: web::Json<TradeAnswer>,
    base: BaseUrl,
    rid: RequestId,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let connector = caller.connector_name()?.to_string();
    let row = notify::refund_notify(&state, &connector, body.into_inner(), &rid).await?;
    Ok(HttpResponse::Ok().json(view::refund_answer(&row, &base, &state.clock)))
}
