//! The connector contract (API.md A.6): what every payUrl, refundUrl, checkEnvUrl and queryUrl
//! implements. A connector team writes one crate against this one:
//!
//! - [`types`]: the request and answer bodies;
//! - [`Connector`]: the trait a channel implements;
//! - [`server::configure`]: exposes a `Connector` at `/connector/{pay,refund,checkEnv,query}`,
//!   service token required;
//! - [`client::ConnectorClient`]: what payorder-service and refund-service call connectors
//!   with — a timeout or a 5xx is an *unknown* outcome, never a failure;
//! - [`conformance`]: checks a running connector's shapes, idempotency and errors, for the
//!   connector's own tests.
//!
//! Everything else a connector needs (config, database, auth, errors) is re-exported as
//! [`shared`].

pub mod api_doc;
pub mod client;
pub mod conformance;
pub mod idempotency;
pub mod management_error;
pub mod merchant_settings;
pub mod pay_code;
pub mod pay_params;
pub mod rows;
pub mod scripted;
pub mod server;
pub mod types;

pub use payserver_shared as shared;
pub use types::*;

use std::future::Future;

/// Why a connector could not answer the contract at all. Business outcomes — insufficient
/// credit, an unknown member, a wrong barcode — are *answers* (`ret: failed` with a reason),
/// not errors: they tell the caller for certain that no money moved.
#[derive(Debug, thiserror::Error)]
pub enum ConnectorError {
    /// The contract body itself is wrong (400).
    #[error("{0}")]
    BadRequest(String),
    /// `query` for a tractionNo the connector never saw (404).
    #[error("unknown tractionNo {0}")]
    UnknownTraction(String),
    /// The connector does not implement this endpoint (501). Not a 404: for a query, 404
    /// means "never seen this tractionNo", on which the platform re-sends or fails the order.
    #[error("not supported by this connector")]
    Unsupported,
    /// The connector's own dependency is down (503): the outcome is unknown to the caller.
    #[error("{0}")]
    Unavailable(String),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<ConnectorError> for shared::ApiError {
    fn from(e: ConnectorError) -> Self {
        use shared::ApiError;
        match e {
            ConnectorError::BadRequest(m) => ApiError::bad_request(m),
            ConnectorError::UnknownTraction(t) => ApiError::not_found(format!("unknown tractionNo {t}")),
            ConnectorError::Unsupported => ApiError::new(
                actix_web::http::StatusCode::NOT_IMPLEMENTED,
                5010,
                "NotImplemented",
                "not supported by this connector",
            ),
            ConnectorError::Unavailable(m) => ApiError::unavailable(m),
            ConnectorError::Unexpected(e) => ApiError::internal(format!("{e:#}")),
        }
    }
}

/// For connectors that keep their operations in the database: one that cannot be reached
/// leaves the outcome unknown to the caller (503, it asks again), never a failure; any other
/// database error is unexpected (500).
impl From<shared::db::DbError> for ConnectorError {
    fn from(e: shared::db::DbError) -> Self {
        use shared::db::DbError;
        match e {
            DbError::Pool(e) => {
                tracing::error!(error = %e, "database pool unavailable");
                ConnectorError::Unavailable("database unavailable".into())
            }
            DbError::Canceled => ConnectorError::Unavailable("database unavailable".into()),
            e => ConnectorError::Unexpected(anyhow::Error::new(e)),
        }
    }
}

/// The database half of a connector's error enum `$error`, which has a `Db(DbError)` variant:
/// diesel's own errors (what `?` on a query gives) become `Db`, and `is_unique_violation`
/// says whether the database refused a duplicate, which is how a connector learns that a
/// concurrent request won (its unique keys are the money-safety guards). The calling crate
/// depends on `diesel`.
#[macro_export]
macro_rules! db_errors {
    ($error:ident) => {
        impl From<diesel::result::Error> for $error {
            fn from(e: diesel::result::Error) -> Self {
                $error::Db($crate::shared::db::DbError::Query(e))
            }
        }

        impl $error {
            pub fn is_unique_violation(&self) -> bool {
                matches!(self, $error::Db(e) if e.is_unique_violation())
            }
        }
    };
}

/// A payment channel. Every operation must be idempotent by its `tractionNo`: a repeated
/// request is the same operation and gets the same answer, and moves no money twice.
pub trait Connector: Send + Sync + 'static {
    /// The connector's registered name (`wechat`, `sign_account`, ...): the platform calls it
    /// with a token for this name only, and its notifications carry this `connector` claim.
    const NAME: &'static str;

    fn pay(&self, req: PayRequest) -> impl Future<Output = Result<TradeAnswer, ConnectorError>> + Send;

    fn refund(&self, req: RefundRequest) -> impl Future<Output = Result<TradeAnswer, ConnectorError>> + Send;

    /// Whether the merchant may open this channel (for example: has a sub-merchant id).
    fn check_env(&self, req: CheckEnvRequest) -> impl Future<Output = Result<CheckEnvAnswer, ConnectorError>> + Send {
        async move {
            Ok(CheckEnvAnswer {
                ret: true,
                merchant_uuid: req.merchant_uuid,
                reason: None,
            })
        }
    }

    /// The current outcome of an earlier pay or refund; optional.
    fn query(&self, _req: QueryRequest) -> impl Future<Output = Result<TradeAnswer, ConnectorError>> + Send {
        async { Err(ConnectorError::Unsupported) }
    }
}
