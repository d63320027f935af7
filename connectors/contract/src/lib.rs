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

pub mod client;
pub mod conformance;
pub mod idempotency;
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
