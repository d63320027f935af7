//! Best-effort `/payNotify` / `/refundNotify` when the worker settles a trade that was
//! answered `running`, so the order leaves `paying` without waiting for the resolver's next
//! query. Failures are only logged: the resolver's `queryUrl` polling remains the guarantee.

use std::time::Duration;

use connector_contract::TradeAnswer;
use connector_contract::shared::auth::ConnectorCredential;
use connector_contract::shared::config::Settings;

pub struct Notifier {
    http: reqwest::Client,
    /// This connector's own credential (role `connector`, claim `connector: wechat`): it can
    /// move only orders sent to this connector.
    credential: ConnectorCredential,
}

impl Notifier {
    pub fn from_settings(settings: &Settings, timeout_ms: u64) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_millis(timeout_ms.max(1)))
            .build()
            .unwrap_or_default();
        Self {
            http,
            credential: ConnectorCredential::from_settings(settings, "wechat"),
        }
    }

    pub async fn send(&self, url: &str, answer: &TradeAnswer) {
        let Some(bearer) = self.credential.bearer() else {
            tracing::debug!(
                url,
                "no connector credential (auth.connector_tokens.wechat); notification skipped"
            );
            return;
        };
        match self
            .http
            .post(url)
            .header("authorization", bearer)
            .json(answer)
            .send()
            .await
        {
            Ok(resp) if resp.status().is_success() => {
                tracing::info!(url, traction_no = %answer.traction_no, "notified");
            }
            Ok(resp) => tracing::warn!(url, status = %resp.status(), "notification refused"),
            Err(e) => tracing::warn!(url, error = %e, "notification failed"),
        }
    }
}
