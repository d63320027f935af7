//! `/pay`, `/batchPay`, `/payNotify`.

use actix_web::{HttpResponse, web};
use connector_contract::types::TradeAnswer;
use payserver_shared::auth::Caller;
use payserver_shared::href::BaseUrl;
use payserver_shared::http::RequestId;
use payserver_shared::{ApiError, ApiResult};
use serde::Deserialize;
use serde_json::{Value, json};

use super::view;
use crate::core::{batch, notify, pay as pay_core};
use crate::domain::PayBody;
use crate::startup::AppState;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/pay").route(web::post().to(pay)))
        .service(web::resource("/batchPay").route(web::post().to(batch_pay)))
        .service(web::resource("/payNotify").route(web::post().to(pay_notify)));
}

#[tracing::instrument(skip_all)]
async fn pay(
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

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BatchBody {
    batch_pay_data: Vec<Value>,
}

#[tracing::instrument(skip_all)]
async fn batch_pay(
    caller: Caller,
    body: web::Json<BatchBody>,
    base: BaseUrl,
    rid: RequestId,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    caller.require_merchant_or_admin()?;
    let items = body.into_inner().batch_pay_data;
    if items.is_empty() || items.len() > batch::MAX_ITEMS {
        return Err(ApiError::bad_request(format!(
            "batchPayData must hold 1 to {} items",
            batch::MAX_ITEMS
        )));
    }
    let results = batch::batch_pay(state.clone(), caller, items, rid).await;
    let out: Vec<Value> = results
        .into_iter()
        .map(|(number, result)| match result {
            Ok(order) => {
                json!({"clientPayNo": number, "statusCode": 200, "body": view::pay_answer(&order, &base, &state.clock)})
            }
            Err(e) => json!({"clientPayNo": number, "statusCode": e.status_code, "body": e}),
        })
        .collect();
    Ok(HttpResponse::Ok().json(json!({ "batchPayResult": out })))
}

/// `POST /payNotify`, for the order's own connector only (core/notify.rs):
/// - 200 with the order when the notification is the order's outcome (it settled the order,
///   or the order already had that outcome: a repeat);
/// - 202 with the still `paying` order when it reports a `success` the channel's `queryUrl`
///   does not confirm (yet): nothing changed, and the resolver asks the channel again soon. A
///   connector may repeat the notification; it is never an error for the real one;
/// - 403 from any other connector, 404 for an unknown tractionNo, 409 when it contradicts the
///   order's final state (or the channel's own query).
#[tracing::instrument(skip_all)]
async fn pay_notify(
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
