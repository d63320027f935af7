//! How services call connectors. The rule that keeps money safe: only a definite answer is
//! an outcome. A timeout, a broken connection after the request was sent, a 5xx or a body
//! that is not the contract leave the outcome [`Outcome::Unknown`] — the order stays open and
//! the resolver asks again — never a failure. A request that provably did not reach the
//! connector (connection refused) is [`Outcome::Unreachable`]: this call did nothing, but an
//! earlier one may have (only a first call may take it as "nothing happened"). A request the
//! connector refused (4xx) is [`Outcome::Rejected`] (404: [`Outcome::NotFound`]).
//!
//! Reasons never carry the connector's URL: they end up in a pay order's `thirdErrorReason`,
//! which the merchant reads, and internal addresses stay inside.

use payserver_shared::client::{ConnectorRegistry, ServiceClient};
use payserver_shared::http::RequestId;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::types::*;

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome<T> {
    /// The connector answered the contract.
    Answer(T),
    /// Nobody knows whether the operation happened.
    Unknown(String),
    /// The connector refused this request (4xx): it did not do it.
    Rejected(String),
    /// This request never reached the connector (connection refused). Says nothing about
    /// earlier calls for the same serial.
    Unreachable(String),
    /// 404: for a query, the connector has no record of the tractionNo; for pay and refund,
    /// the URL is wrong — either way nothing was done.
    NotFound(String),
}

/// Calls connectors. A registered connector's URL gets that connector's own call token (it
/// works nowhere else); any other URL, such as a merchant's custom payUrl, is called without
/// credentials.
#[derive(Clone)]
pub struct ConnectorClient {
    client: ServiceClient,
    registry: ConnectorRegistry,
}

impl ConnectorClient {
    pub fn new(client: ServiceClient, registry: ConnectorRegistry) -> Self {
        Self { client, registry }
    }

    /// The registered connector owning `url`, if any (whose notifications may move orders
    /// sent to it).
    pub fn connector_of(&self, url: &str) -> Option<&str> {
        self.registry.name_of(url)
    }

    pub async fn pay(&self, url: &str, req: &PayRequest, rid: Option<&RequestId>) -> Outcome<TradeAnswer> {
        checked(self.call("pay", url, req, rid).await, &req.traction_no)
    }

    pub async fn refund(&self, url: &str, req: &RefundRequest, rid: Option<&RequestId>) -> Outcome<TradeAnswer> {
        checked(self.call("refund", url, req, rid).await, &req.traction_no)
    }

    pub async fn query(&self, url: &str, req: &QueryRequest, rid: Option<&RequestId>) -> Outcome<TradeAnswer> {
        checked(self.call("query", url, req, rid).await, &req.traction_no)
    }

    /// `Ok` only for a well-formed answer; any failure says why (opening the mode fails).
    pub async fn check_env(
        &self,
        url: &str,
        req: &CheckEnvRequest,
        rid: Option<&RequestId>,
    ) -> Result<CheckEnvAnswer, String> {
        match self.call::<_, CheckEnvAnswer>("checkEnv", url, req, rid).await {
            Outcome::Answer(a) => Ok(a),
            Outcome::Unknown(why) | Outcome::Rejected(why) | Outcome::NotFound(why) | Outcome::Unreachable(why) => {
                Err(why)
            }
        }
    }

    /// One call, timed and counted by operation and outcome.
    async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        op: &str,
        url: &str,
        body: &B,
        rid: Option<&RequestId>,
    ) -> Outcome<T> {
        let started = std::time::Instant::now();
        let outcome = self.send(url, body, rid).await;
        let label = match &outcome {
            Outcome::Answer(_) => "answer",
            Outcome::Unknown(_) => "unknown",
            Outcome::Rejected(_) => "rejected",
            Outcome::NotFound(_) => "not_found",
            Outcome::Unreachable(_) => "unreachable",
        };
        payserver_shared::metrics::metrics().observe_connector(op, label, started.elapsed());
        outcome
    }

    async fn send<B: Serialize, T: DeserializeOwned>(
        &self,
        url: &str,
        body: &B,
        rid: Option<&RequestId>,
    ) -> Outcome<T> {
        let request = match self.registry.name_of(url) {
            Some(name) => self.client.to_connector(name, reqwest::Method::POST, url, rid),
            None => self.client.anonymous(reqwest::Method::POST, url, rid),
        };
        let sent = request.json(body).send().await;
        let resp = match sent {
            Ok(resp) => resp,
            Err(e) if e.is_connect() => {
                tracing::warn!(url, error = %e, "connector unreachable");
                return Outcome::Unreachable("connector unreachable".into());
            }
            Err(e) if e.is_timeout() => return Outcome::Unknown("connector timed out".into()),
            Err(e) => {
                tracing::warn!(url, error = %e, "connector call broke");
                return Outcome::Unknown(format!("connector call broke: {}", e.without_url()));
            }
        };
        let status = resp.status();
        let bytes = match resp.bytes().await {
            Ok(b) => b,
            Err(e) => return Outcome::Unknown(format!("connector answer broke: {}", e.without_url())),
        };
        if status.is_success() {
            match serde_json::from_slice(&bytes) {
                Ok(v) => Outcome::Answer(v),
                Err(e) => Outcome::Unknown(format!("connector answered outside the contract: {e}")),
            }
        } else if status.is_client_error() {
            let why = serde_json::from_slice::<payserver_shared::ApiError>(&bytes)
                .map(|e| e.message)
                .unwrap_or_default();
            if status == reqwest::StatusCode::NOT_FOUND {
                Outcome::NotFound(format!("connector knows no such operation: {why}"))
            } else {
                Outcome::Rejected(format!("connector refused the request ({status}): {why}"))
            }
        } else {
            Outcome::Unknown(format!("connector failed ({status})"))
        }
    }
}

/// An answer about another tractionNo is not an answer to this request.
fn checked(outcome: Outcome<TradeAnswer>, traction_no: &str) -> Outcome<TradeAnswer> {
    match outcome {
        Outcome::Answer(a) if a.traction_no != traction_no => Outcome::Unknown(format!(
            "connector answered for tractionNo {} instead of {traction_no}",
            a.traction_no
        )),
        other => other,
    }
}
