//! Calling a template's checkEnvUrl, with the request id and the service client's timeout
//! (`http.client_timeout_ms`, 5 s by default). A credential goes along only when the URL is a
//! registered connector's (`Settings::connector_registry`), and then only that connector's
//! own call token: no other party may collect a credential of the platform.

use payserver_shared::client::{ConnectorRegistry, ServiceClient};
use payserver_shared::http::RequestId;

use crate::domain::check_env::{CheckEnvOutcome, CheckEnvRequest};

pub async fn call(
    client: &ServiceClient,
    registry: &ConnectorRegistry,
    url: &str,
    body: &CheckEnvRequest<'_>,
    rid: Option<&RequestId>,
) -> CheckEnvOutcome {
    let rb = match registry.name_of(url) {
        Some(name) => client.to_connector(name, reqwest::Method::POST, url, rid),
        None => client.anonymous(reqwest::Method::POST, url, rid),
    }
    .json(body);
    let outcome = match rb.send().await {
        Err(e) if e.is_timeout() => CheckEnvOutcome::Timeout,
        Err(_) => CheckEnvOutcome::Unreachable,
        Ok(resp) if !resp.status().is_success() => CheckEnvOutcome::Status(resp.status().as_u16()),
        Ok(resp) => match resp.bytes().await {
            Err(e) if e.is_timeout() => CheckEnvOutcome::Timeout,
            Err(_) => CheckEnvOutcome::Unreachable,
            Ok(bytes) => serde_json::from_slice(&bytes).map_or(CheckEnvOutcome::Garbage, CheckEnvOutcome::Answered),
        },
    };
    if !matches!(outcome, CheckEnvOutcome::Answered(_)) {
        tracing::warn!(
            ?outcome,
            pay_template_id = body.pay_template_id,
            "checkEnvUrl call failed"
        );
    }
    outcome
}
