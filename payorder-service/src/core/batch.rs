//! `POST /batchPay`: at most 100 pays, each processed exactly as its own `/pay`.

use actix_web::web;
use payserver_shared::ApiError;
use payserver_shared::auth::Caller;
use payserver_shared::http::RequestId;
use serde_json::Value;

use crate::db::models::OrderRow;
use crate::domain::PayBody;
use crate::startup::AppState;

pub const MAX_ITEMS: usize = 100;

/// Each item's `clientPayNo` (as sent) and result, in request order.
pub async fn batch_pay(
    state: web::Data<AppState>,
    caller: Caller,
    items: Vec<Value>,
    rid: RequestId,
) -> Vec<(Option<String>, Result<OrderRow, ApiError>)> {
    let numbers: Vec<Option<String>> = items
        .iter()
        .map(|i| i.get("clientPayNo").and_then(Value::as_str).map(str::to_string))
        .collect();
    let concurrency = state.settings.batch_concurrency;
    let results = payserver_shared::batch::run(items, concurrency, |i, item| {
        let (state, caller, rid) = (state.clone(), caller.clone(), RequestId(format!("{}-{i}", rid.0)));
        async move {
            let body = serde_json::from_value::<PayBody>(item)
                .map_err(|e| ApiError::bad_request(format!("invalid pay item: {e}")))?;
            let req = body.validate().map_err(ApiError::bad_request)?;
            super::pay::pay(&state, &caller, req, &rid).await
        }
    })
    .await;
    numbers.into_iter().zip(results).collect()
}
