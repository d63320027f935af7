//! Calling a template's checkEnvUrl, with the request id and the service client's timeout
//! (`http.client_timeout_ms`, 5 s by default). The service token goes along only when the URL
//! is a trusted connector's (`Settings::trusted_connector_urls`): the project's connectors
//! require it, and no other party may collect it.

use payserver_shared::client::{ServiceClient, TrustedUrls};
use payserver_shared::http::RequestId;

use crate::domain::check_env::{CheckEnvOutcome, CheckEnvRequest};

pub async fn call(
    client: &ServiceClient,
    trusted: &TrustedUrls,
    url: &str,
    body: &CheckEnvRequest<'_>,
    rid: Option<&RequestId>,
) -> CheckEnvOutcome {
    let rb = if trusted.trusts(url) {
        client.request(reqwest::Method::POST, url, rid)
    } else {
        client.anonymous(reqwest::Method::POST, url, rid)
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
