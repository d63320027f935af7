//! template-service's errors and their envelope.

use payserver_shared::ApiError;
use payserver_shared::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Invalid(String),
    #[error("template not found")]
    NotFound,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for Error {
    fn from(e: diesel::result::Error) -> Self {
        Error::Db(DbError::Query(e))
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        match e {
            Error::Invalid(msg) => ApiError::bad_request(msg),
            Error::NotFound => ApiError::not_found("payModeTemplate not found"),
            Error::Db(db) => db.into(),
        }
    }
}

impl From<payserver_shared::fields::Invalid> for Error {
    fn from(e: payserver_shared::fields::Invalid) -> Self {
        Error::Invalid(e.0)
    }
}
