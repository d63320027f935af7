//! template-service's errors and their envelope.

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

// From a diesel error and a field's `Invalid`, and into the envelope.
payserver_shared::service_error!(Error, not_found: "payModeTemplate not found");
