//! `/refund`, `/batchRefund`, `/refundNotify`.

use actix_web::{HttpResponse, web};
use connector_contract::types::TradeAnswer;
use payserver_shared::auth::Caller;
use payserver_shared::href::BaseUrl;
use payserver_shared::http::RequestId;
use payserver_shared::{ApiError, ApiResult};
use serde::Deserialize;
use serde_json::{Value, json};

use super::view;
use crate::core::{batch, notify, refund as refund_core};
use crate::domain::RefundBody;
use crate::startup::AppState;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/refund").route(web::post().to(refund)))
        .service(web::resource("/batchRefund").route(web::post().to(batch_refund)))
        .service(web::resource("/refundNotify").route(web::post().to(refund_notify)));
}

#[tracing::instrument(skip_all)]
async fn refund(
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

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BatchBody {
    batch_refund_data: Vec<Value>,
}

#[tracing::instrument(skip_all)]
async fn batch_refund(
    caller: Caller,
    body: web::Json<BatchBody>,
    base: BaseUrl,
    rid: RequestId,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    caller.require_merchant_or_admin()?;
    let items = body.into_inner().batch_refund_data;
    if items.is_empty() || items.len() > batch::MAX_ITEMS {
        return Err(ApiError::bad_request(format!(
            "batchRefundData must hold 1 to {} items",
            batch::MAX_ITEMS
        )));
    }
    let results = batch::batch_refund(state.clone(), caller, items, rid).await;
    let out: Vec<Value> = results
        .into_iter()
        .map(|(number, result)| match result {
            Ok(row) => json!({"clientRefundNo": number, "statusCode": 200, "body": view::refund_answer(&row, &base, &state.clock)}),
            Err(e) => json!({"clientRefundNo": number, "statusCode": e.status_code, "body": e}),
        })
        .collect();
    Ok(HttpResponse::Ok().json(json!({ "batchRefundResult": out })))
}

#[tracing::instrument(skip_all)]
async fn refund_notify(
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
