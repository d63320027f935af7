//! `[connectors.wechat]`: the service provider's WeChat Pay account and the timing of the
//! uncertain-outcome handling. Per-merchant settings (the sub-merchant) live in the database,
//! managed through `/wechatMerchants`.

use std::path::PathBuf;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::wxpay::SignType;

/// The local simulator's DEVELOPMENT key (`simulators::wechat::DEV_API_KEY`): refused in
/// production.
pub const SIMULATOR_DEV_API_KEY: &str = "devonly0wechat0simulator0key0000";

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct WechatSettings {
    /// `https://api.mch.weixin.qq.com` in production; the local simulator by default.
    pub base_url: String,
    /// The service provider's app id (`appid`).
    pub appid: String,
    /// The service provider's merchant id (`mch_id`).
    pub mch_id: String,
    /// The API v2 key. No built-in value: without it every pay fails with a clear reason and
    /// checkEnv answers false.
    pub api_key: Option<SecretString>,
    /// `MD5` or `HMAC-SHA256`.
    pub sign_type: SignType,
    /// Client certificate and key (PEM) for the `/secapi/...` calls (reverse, refund).
    pub client_cert_pem_file: Option<PathBuf>,
    pub client_key_pem_file: Option<PathBuf>,
    /// While the customer is entering the password (`USERPAYING`) or after an unclear
    /// answer, `/pay/orderquery` is asked this often, the first time this long after
    /// `USERPAYING` (WeChat Pay's guidance: about every 5 s) ...
    pub query_interval_ms: u64,
    /// ... for this long from the start of the pay; then the trade is reversed.
    pub query_budget_ms: u64,
    /// After `SYSTEMERROR`/`BANKERROR` or no answer, the first query waits this long.
    pub system_error_wait_ms: u64,
    /// First delay before repeating a reverse that got no answer or `recall=Y` (doubled per
    /// attempt, at most 5 minutes).
    pub reverse_retry_ms: u64,
    /// Timeout of one call to WeChat Pay; keep it below the payorder connector timeout (10 s).
    pub request_timeout_ms: u64,
    /// `spbill_create_ip` sent with micropay.
    pub spbill_create_ip: String,
    /// `body` (goods description) of micropay when payParams carry none.
    pub body: String,
}

impl Default for WechatSettings {
    fn default() -> Self {
        Self {
            base_url: "http://127.0.0.1:6301".into(),
            appid: String::new(),
            mch_id: String::new(),
            api_key: None,
            sign_type: SignType::HmacSha256,
            client_cert_pem_file: None,
            client_key_pem_file: None,
            query_interval_ms: 5_000,
            query_budget_ms: 30_000,
            system_error_wait_ms: 5_000,
            reverse_retry_ms: 5_000,
            request_timeout_ms: 6_000,
            spbill_create_ip: "127.0.0.1".into(),
            body: "POS".into(),
        }
    }
}

impl WechatSettings {
    /// The API key when one is configured.
    pub fn key(&self) -> Option<&str> {
        self.api_key
            .as_ref()
            .map(|k| k.expose_secret())
            .filter(|k| !k.trim().is_empty())
    }

    /// Why WeChat Pay cannot be called at all with this configuration, if it cannot.
    pub fn incomplete(&self) -> Option<String> {
        let mut missing = Vec::new();
        if self.key().is_none() {
            missing.push("api_key");
        }
        if self.appid.trim().is_empty() {
            missing.push("appid");
        }
        if self.mch_id.trim().is_empty() {
            missing.push("mch_id");
        }
        if self.base_url.trim().is_empty() {
            missing.push("base_url");
        }
        (!missing.is_empty()).then(|| {
            format!(
                "WeChat Pay is not configured: [connectors.wechat] {} missing",
                missing.join(", ")
            )
        })
    }

    /// Refuses what must never run in production: the simulator's development key, and a
    /// configured account without the API client certificate (without it every reverse would
    /// be retried for ever and every refund fail). A base URL that is not HTTPS is only warned
    /// about (a local proxy may terminate TLS).
    pub fn validate(&self, production: bool) -> anyhow::Result<()> {
        if !production {
            return Ok(());
        }
        if self.key() == Some(SIMULATOR_DEV_API_KEY) {
            anyhow::bail!("environment is production but connectors.wechat.api_key is the simulator's development key");
        }
        // An unconfigured connector calls nobody (every pay fails before any call), so a
        // deployment that does not use WeChat Pay needs no certificate.
        if self.incomplete().is_none() && self.client_identity_files()?.is_none() {
            anyhow::bail!(
                "environment is production but connectors.wechat has no API client certificate: set client_cert_pem_file and client_key_pem_file (apiclient_cert.pem, apiclient_key.pem), which /secapi/pay/reverse and /secapi/pay/refund need"
            );
        }
        if !self.base_url.starts_with("https://") {
            tracing::warn!(base_url = %self.base_url, "connectors.wechat.base_url is not HTTPS in production");
        }
        Ok(())
    }

    fn non_empty(p: &Option<PathBuf>) -> Option<&PathBuf> {
        p.as_ref().filter(|p| !p.as_os_str().is_empty())
    }

    /// The client certificate file and key file, when configured.
    pub fn client_identity_files(&self) -> anyhow::Result<Option<(&PathBuf, &PathBuf)>> {
        match (
            Self::non_empty(&self.client_cert_pem_file),
            Self::non_empty(&self.client_key_pem_file),
        ) {
            (Some(c), Some(k)) => Ok(Some((c, k))),
            (None, None) => Ok(None),
            _ => anyhow::bail!("connectors.wechat: set both client_cert_pem_file and client_key_pem_file, or neither"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_point_at_the_simulator_with_no_key() {
        let s: WechatSettings = serde_json::from_value(serde_json::json!({})).unwrap();
        assert_eq!(s.base_url, "http://127.0.0.1:6301");
        assert_eq!(s.sign_type, SignType::HmacSha256);
        assert_eq!(
            (s.query_interval_ms, s.query_budget_ms, s.system_error_wait_ms),
            (5_000, 30_000, 5_000)
        );
        assert!(s.key().is_none());
        assert!(s.incomplete().unwrap().contains("api_key"));
    }

    fn live() -> WechatSettings {
        WechatSettings {
            appid: "wx1".into(),
            mch_id: "1900000109".into(),
            api_key: Some("a-live-key-a-live-key-a-live-key-".into()),
            client_cert_pem_file: Some("/etc/wechat/apiclient_cert.pem".into()),
            client_key_pem_file: Some("/etc/wechat/apiclient_key.pem".into()),
            ..Default::default()
        }
    }

    #[test]
    fn production_refuses_the_simulators_key() {
        let s = WechatSettings {
            api_key: Some(SIMULATOR_DEV_API_KEY.into()),
            ..live()
        };
        assert!(s.validate(false).is_ok());
        assert!(s.validate(true).is_err());
        assert!(live().validate(true).is_ok());
    }

    #[test]
    fn production_needs_the_client_certificate_once_the_account_is_configured() {
        let no_cert = WechatSettings {
            client_cert_pem_file: None,
            client_key_pem_file: None,
            ..live()
        };
        assert!(no_cert.validate(false).is_ok());
        let why = no_cert.validate(true).unwrap_err().to_string();
        assert!(why.contains("client_cert_pem_file"), "{why}");
        let half = WechatSettings {
            client_key_pem_file: None,
            ..live()
        };
        assert!(half.validate(true).is_err());
        // Not configured at all: nothing is ever called, so nothing to reverse or refund.
        assert!(WechatSettings::default().validate(true).is_ok());
    }

    #[test]
    fn reads_its_section() {
        let s: WechatSettings = serde_json::from_value(serde_json::json!({
            "api_key": "k", "appid": "wx1", "mch_id": "1900000109", "sign_type": "MD5", "query_budget_ms": 100
        }))
        .unwrap();
        assert_eq!(s.sign_type, SignType::Md5);
        assert_eq!(s.query_budget_ms, 100);
        assert!(s.incomplete().is_none());
        assert!(!format!("{s:?}").contains("\"k\""), "the key stays out of logs");
    }
}
