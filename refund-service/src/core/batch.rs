//! `POST /batchRefund`: at most 100 refunds, each processed exactly as its own `/refund`.

use actix_web::web;
use payserver_shared::ApiError;
use payserver_shared::auth::Caller;
use payserver_shared::http::RequestId;
use serde_json::Value;

use crate::db::models::RefundRow;
use crate::domain::RefundBody;
use crate::startup::AppState;

pub const MAX_ITEMS: usize = 100;

/// Each item's `clientRefundNo` (as sent) and result, in request order.
pub async fn batch_refund(
    state: web::Data<AppState>,
    caller: Caller,
    items: Vec<Value>,
    rid: RequestId,
) -> Vec<(Option<String>, Result<RefundRow, ApiError>)> {
    let numbers: Vec<Option<String>> = items
        .iter()
        .map(|i| i.get("clientRefundNo").and_then(Value::as_str).map(str::to_string))
        .collect();
    let concurrency = state.settings.batch_concurrency;
    let results = payserver_shared::batch::run(items, concurrency, |i, item| {
        let (state, caller, rid) = (state.clone(), caller.clone(), RequestId(format!("{}-{i}", rid.0)));
        async move {
            let body = serde_json::from_value::<RefundBody>(item)
                .map_err(|e| ApiError::bad_request(format!("invalid refund item: {e}")))?;
            let req = body.validate().map_err(ApiError::bad_request)?;
            super::refund::refund(&state, &caller, req, &rid).await
        }
    })
    .await;
    numbers.into_iter().zip(results).collect()
}
