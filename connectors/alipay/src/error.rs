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

impl From<diesel::result::Error> for Error {
    fn from(e: diesel::result::Error) -> Self {
        Error::Db(DbError::Query(e))
    }
}

impl Error {
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, Error::Db(e) if e.is_unique_violation())
    }
}

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
            Error::Db(DbError::Pool(e)) => {
                tracing::error!(error = %e, "database pool unavailable");
                ConnectorError::Unavailable("database unavailable".into())
            }
            Error::Db(DbError::Canceled) => ConnectorError::Unavailable("database unavailable".into()),
            Error::Db(other) => ConnectorError::Unexpected(anyhow::anyhow!(other)),
        }
    }
}
