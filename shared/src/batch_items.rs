//! The item side of `/batchPay` and `/batchRefund`: every item of the body is parsed and
//! processed as its own request ([`each`], on [`crate::batch::run`]), and answered as its own
//! request would have been ([`ItemBody::of`]).

use std::future::Future;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use utoipa::ToSchema;
use utoipa::openapi::schema::{OneOfBuilder, Ref, Schema};

use crate::error::{ApiError, ApiResult};

/// The most items one batch takes.
pub const MAX_ITEMS: usize = 100;

/// The items of a batch body, when it holds 1 to [`MAX_ITEMS`] (else a 400 naming `field`).
pub fn checked(items: Vec<Value>, field: &str) -> ApiResult<Vec<Value>> {
    if items.is_empty() || items.len() > MAX_ITEMS {
        return Err(ApiError::bad_request(format!(
            "{field} must hold 1 to {MAX_ITEMS} items"
        )));
    }
    Ok(items)
}

/// Runs `one(index, body)` for every item parsed as a `B` (a 400 naming `what` in its place
/// when it does not parse), at most `concurrency` at a time. Answers each item's `key` as
/// sent (its client number, to match answers to items) and its result, in request order.
pub async fn each<B, T, F, Fut>(
    items: Vec<Value>,
    key: &str,
    what: &str,
    concurrency: usize,
    one: F,
) -> Vec<(Option<String>, Result<T, ApiError>)>
where
    B: DeserializeOwned,
    T: Send + 'static,
    F: Fn(usize, B) -> Fut,
    Fut: Future<Output = Result<T, ApiError>> + Send + 'static,
{
    let keys: Vec<Option<String>> = items
        .iter()
        .map(|i| i.get(key).and_then(Value::as_str).map(str::to_string))
        .collect();
    let results = crate::batch::run(items, concurrency, |i, item| {
        let job = serde_json::from_value::<B>(item)
            .map_err(|e| ApiError::bad_request(format!("invalid {what} item: {e}")))
            .map(|body| one(i, body));
        async move { job?.await }
    })
    .await;
    keys.into_iter().zip(results).collect()
}

// One item's answer in a batch: what its own request would have answered. (A plain comment:
// a doc comment would become a description in the document.)
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum ItemBody<T> {
    Answer(Box<T>),
    Error(ApiError),
}

impl<T: ToSchema> ItemBody<T> {
    /// The item's body in the document, for `#[schema(schema_with = ...)]`: `T`'s schema or
    /// the error envelope, by name. (Not derived: a derived generic schema would inline all of
    /// `T` where the document refers to it.)
    pub fn schema() -> Schema {
        OneOfBuilder::new()
            .item(Ref::from_schema_name(T::name()))
            .item(Ref::from_schema_name(ApiError::name()))
            .into()
    }
}

impl<T> ItemBody<T> {
    /// The item's HTTP status and body: 200 with the answer, or the error's own status.
    pub fn of(result: Result<T, ApiError>) -> (u16, Self) {
        match result {
            Ok(answer) => (200, ItemBody::Answer(Box::new(answer))),
            Err(e) => (e.status_code, ItemBody::Error(e)),
        }
    }
}
