//! Best-effort `/payNotify` / `/refundNotify` when the worker settles a trade that was
//! answered `running`, so the order leaves `paying` without waiting for the resolver's next
//! query. Failures are only logged: the resolver's `queryUrl` polling remains the guarantee.

use std::time::Duration;

use connector_contract::TradeAnswer;
use connector_contract::shared::auth::{Role, claims_for, mint_hs256};
use connector_contract::shared::config::Settings;
use secrecy::SecretString;

pub struct Notifier {
    http: reqwest::Client,
    /// The HS256 secret and the settings that sign `connector` tokens; `None` without one
    /// (notifications are then skipped).
    minting: Option<(SecretString, Box<Settings>)>,
}

impl Notifier {
    pub fn from_settings(settings: &Settings, timeout_ms: u64) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_millis(timeout_ms.max(1)))
            .build()
            .unwrap_or_default();
        Self {
            http,
            minting: settings
                .hs256_secret()
                .cloned()
                .map(|secret| (secret, Box::new(settings.clone()))),
        }
    }

    pub async fn send(&self, url: &str, answer: &TradeAnswer) {
        let Some((secret, settings)) = &self.minting else {
            tracing::debug!(url, "no HS256 secret to sign a connector token; notification skipped");
            return;
        };
        let claims = claims_for("wechat-connector", None, &[Role::Connector], 300, settings);
        let Ok(token) = mint_hs256(secret, &claims) else {
            return;
        };
        match self.http.post(url).bearer_auth(token).json(answer).send().await {
            Ok(resp) if resp.status().is_success() => {
                tracing::info!(url, traction_no = %answer.traction_no, "notified");
            }
            Ok(resp) => tracing::warn!(url, status = %resp.status(), "notification refused"),
            Err(e) => tracing::warn!(url, error = %e, "notification failed"),
        }
    }
}
