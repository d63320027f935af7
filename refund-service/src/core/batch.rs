//! `POST /batchRefund`: at most 100 refunds, each processed exactly as its own `/refund`.

use actix_web::web;
use payserver_shared::ApiError;
use payserver_shared::auth::Caller;
use payserver_shared::batch_items;
use payserver_shared::http::RequestId;
use serde_json::Value;

use crate::db::models::RefundRow;
use crate::domain::RefundBody;
use crate::startup::AppState;

/// Each item's `clientRefundNo` (as sent) and result, in request order.
pub async fn batch_refund(
    state: web::Data<AppState>,
    caller: Caller,
    items: Vec<Value>,
    rid: RequestId,
) -> Vec<(Option<String>, Result<RefundRow, ApiError>)> {
    let concurrency = state.settings.batch_concurrency;
    batch_items::each(items, "clientRefundNo", "refund", concurrency, |i, body: RefundBody| {
        let (state, caller, rid) = (state.clone(), caller.clone(), RequestId(format!("{}-{i}", rid.0)));
        async move {
            let req = body.validate().map_err(ApiError::bad_request)?;
            super::refund::refund(&state, &caller, req, &rid).await
        }
    })
    .await
}
