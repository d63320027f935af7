//! `POST /batchPay`: at most 100 pays, each processed exactly as its own `/pay`.

use actix_web::web;
use payserver_shared::ApiError;
use payserver_shared::auth::Caller;
use payserver_shared::batch_items;
use payserver_shared::http::RequestId;
use serde_json::Value;

use crate::db::models::OrderRow;
use crate::domain::PayBody;
use crate::startup::AppState;

/// Each item's `clientPayNo` (as sent) and result, in request order.
pub async fn batch_pay(
    state: web::Data<AppState>,
    caller: Caller,
    items: Vec<Value>,
    rid: RequestId,
) -> Vec<(Option<String>, Result<OrderRow, ApiError>)> {
    let concurrency = state.settings.batch_concurrency;
    batch_items::each(items, "clientPayNo", "pay", concurrency, |i, body: PayBody| {
        let (state, caller, rid) = (state.clone(), caller.clone(), RequestId(format!("{}-{i}", rid.0)));
        async move {
            let req = body.validate().map_err(ApiError::bad_request)?;
            super::pay::pay(&state, &caller, req, &rid).await
        }
    })
    .await
}
