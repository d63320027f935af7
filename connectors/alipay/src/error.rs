//! The alipay connector's errors and their envelope.

use connector_contract::ConnectorError;
use connector_contract::shared::ApiError;
use connector_contract::shared::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Invalid(String),
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Db(#[from] DbError),
}

connector_contract::db_errors!(Error);

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        match e {
            Error::Invalid(msg) => ApiError::bad_request(msg),
            Error::NotFound => ApiError::not_found("no Alipay settings for this merchant"),
            Error::Db(db) => db.into(),
        }
    }
}

/// A database that cannot be reached leaves the outcome unknown to the caller (503), never a
/// failure.
impl From<Error> for ConnectorError {
    fn from(e: Error) -> Self {
        match e {
            Error::Invalid(msg) => ConnectorError::BadRequest(msg),
            Error::NotFound => ConnectorError::Unavailable("record vanished".into()),
            Error::Db(e) => e.into(),
        }
    }
}
