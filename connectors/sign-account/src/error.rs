//! sign-account's errors, and their envelope (management API) or contract error (connector).

use connector_contract::ConnectorError;
use connector_contract::shared::ApiError;
use connector_contract::shared::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A malformed or invalid request: 400.
    #[error("{0}")]
    Invalid(String),
    /// An unknown resource, or another merchant's (they answer alike): 404.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The request contradicts the current state (a credit limit below the used credit): 409.
    #[error("{0}")]
    Conflict(String),
    /// An envelope decided elsewhere (auth).
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

connector_contract::db_errors!(Error);

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        match e {
            Error::Invalid(msg) => ApiError::bad_request(msg),
            Error::NotFound(what) => ApiError::not_found(format!("{what} not found")),
            Error::Conflict(msg) => ApiError::conflict(msg),
            Error::Api(api) => api,
            Error::Db(db) => db.into(),
            Error::Unexpected(e) => ApiError::internal(format!("{e:#}")),
        }
    }
}

/// For the contract: a database that cannot be reached is 503 (the caller's outcome stays
/// unknown and it asks again), anything else unexpected is a 500.
impl From<Error> for ConnectorError {
    fn from(e: Error) -> Self {
        match e {
            Error::Invalid(msg) | Error::Conflict(msg) => ConnectorError::BadRequest(msg),
            Error::Db(e) => e.into(),
            Error::NotFound(what) => ConnectorError::Unexpected(anyhow::anyhow!("{what} not found")),
            Error::Api(api) => ConnectorError::Unexpected(anyhow::Error::new(api)),
            Error::Unexpected(e) => ConnectorError::Unexpected(e),
        }
    }
}

impl From<connector_contract::shared::fields::Invalid> for Error {
    fn from(e: connector_contract::shared::fields::Invalid) -> Self {
        Error::Invalid(e.0)
    }
}
