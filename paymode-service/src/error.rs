//! paymode-service's errors and their envelope.

use payserver_shared::ApiError;
use payserver_shared::business::Business;
use payserver_shared::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A malformed or invalid request: 400.
    #[error("{0}")]
    Invalid(String),
    /// An unknown pay mode, or another merchant's (they answer alike): 404.
    #[error("payMode not found")]
    NotFound,
    /// The merchant has already opened this template: 409.
    #[error("{0}")]
    AlreadyOpened(String),
    /// The template's checkEnvUrl refused the merchant, failed or timed out: 500/9001 (seed).
    #[error("{0}")]
    CheckEnvFailed(String),
    /// The template cannot be opened (disabled, online without payUrl): 500/9003.
    #[error("{0}")]
    TemplateUnusable(String),
    /// An envelope decided elsewhere (auth, an upstream service's answer).
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    Db(#[from] DbError),
}

// From a diesel error and a field's `Invalid`, and into the envelope.
payserver_shared::service_error! {
    Error, not_found: "payMode not found",
    Error::AlreadyOpened(msg) => ApiError::conflict(msg),
    Error::CheckEnvFailed(msg) => Business::CheckEnvFailed.error(msg),
    Error::TemplateUnusable(msg) => Business::PayModeUnusable.error(msg),
    Error::Api(api) => api,
}
