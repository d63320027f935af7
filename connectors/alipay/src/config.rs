//! `[connectors.alipay]`: the gateway, the application and its keys, and the timing of the
//! background resolution. There are no built-in keys: without them every pay fails with a
//! clear reason and checkEnv answers false.

use std::path::PathBuf;

use serde::Deserialize;

use crate::domain::sign::{PrivateKey, PublicKey};

/// The real Alipay gateway, for reference in docs and configuration.
pub const PRODUCTION_GATEWAY: &str = "https://openapi.alipay.com/gateway.do";

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct AlipaySettings {
    /// The open API gateway; the default is the local simulator.
    pub gateway_url: String,
    /// The (ISV) application's id.
    pub app_id: String,
    /// The application's private key (PKCS#8 or PKCS#1; PEM or bare Base64) in a file...
    pub private_key_pem_file: Option<PathBuf>,
    /// ... or inline (wins when both are set).
    pub private_key: Option<String>,
    /// Alipay's public key (X.509 SubjectPublicKeyInfo; PEM or bare Base64) in a file...
    pub alipay_public_key_pem_file: Option<PathBuf>,
    /// ... or inline (wins when both are set).
    pub alipay_public_key: Option<String>,
    /// How often a waiting or unknown pay is queried.
    pub query_interval_ms: u64,
    /// How long a pay is queried before it is cancelled.
    pub query_budget_ms: u64,
    /// Timeout of one call to the gateway. Keep it under payorder's connector timeout (10 s):
    /// the pay call happens inside the contract call.
    pub request_timeout_ms: u64,
    /// Longest wait between two attempts of a cancel or an unresolved refund (they back off
    /// from `query_interval_ms` up to this).
    pub retry_max_ms: u64,
    /// The longest pause between two passes of the worker over the due pending trades nobody
    /// holds (it passes every `query_interval_ms / 2` when that is shorter; 10 ms to 1 s).
    pub recovery_interval_ms: u64,
    /// `subject` of the Alipay order when the client's `clientExtraParams.subject` is absent.
    pub subject: String,
    /// ISV partner id sent as `extend_params.sys_service_provider_id`, when set.
    pub sys_service_provider_id: Option<String>,
}

impl Default for AlipaySettings {
    fn default() -> Self {
        Self {
            gateway_url: "http://127.0.0.1:6302/gateway.do".into(),
            app_id: String::new(),
            private_key_pem_file: None,
            private_key: None,
            alipay_public_key_pem_file: None,
            alipay_public_key: None,
            query_interval_ms: 5_000,
            query_budget_ms: 25_000,
            request_timeout_ms: 8_000,
            retry_max_ms: 60_000,
            recovery_interval_ms: 5_000,
            subject: "payserver".into(),
            sys_service_provider_id: None,
        }
    }
}

fn key_text(
    inline: &Option<String>,
    file: &Option<PathBuf>,
    inline_name: &str,
    file_name: &str,
) -> Result<String, String> {
    match (inline, file) {
        (Some(text), _) if !text.trim().is_empty() => Ok(text.clone()),
        (_, Some(path)) if !path.as_os_str().is_empty() => {
            std::fs::read_to_string(path).map_err(|e| format!("connectors.alipay.{file_name} {}: {e}", path.display()))
        }
        _ => Err(format!(
            "the alipay connector is not configured: set connectors.alipay.{inline_name} or {file_name}"
        )),
    }
}

/// One key (`what`, in reasons): its text inline or from its `_pem_file` (see [`key_text`]),
/// parsed, and refused with `production` when `is_dev` finds it is the repository's public
/// development key. The private and the public key go through the same three steps.
fn load_key<K, E: std::fmt::Display>(
    inline: &Option<String>,
    file: &Option<PathBuf>,
    inline_name: &str,
    what: &str,
    production: bool,
    parse: impl FnOnce(&str) -> Result<K, E>,
    is_dev: impl FnOnce(&K) -> bool,
) -> Result<K, String> {
    let text = key_text(inline, file, inline_name, &format!("{inline_name}_pem_file"))?;
    let key = parse(&text).map_err(|e| format!("connectors.alipay {what}: {e}"))?;
    if production && is_dev(&key) {
        Err(format!(
            "connectors.alipay {what} is the public development key from connectors/alipay/tests/keys, refused in production: configure your own"
        ))
    } else {
        Ok(key)
    }
}

/// The application's credentials, or why they are unusable (a reason, never a panic).
#[derive(Debug)]
pub struct Credentials {
    pub app_id: Result<String, String>,
    pub private_key: Result<PrivateKey, String>,
    pub alipay_public_key: Result<PublicKey, String>,
}

/// The public development keys of this repository (`tests/keys`), refused in production.
const DEV_APP_PUBLIC_KEY: &str = include_str!("../tests/keys/app_public_key.pem");
const DEV_ALIPAY_PUBLIC_KEY: &str = include_str!("../tests/keys/alipay_public_key.pem");

impl Credentials {
    /// Loads the keys; with `production`, the repository's development keys are refused.
    pub fn load(s: &AlipaySettings, production: bool) -> Self {
        let app_id = if s.app_id.trim().is_empty() {
            Err("the alipay connector is not configured: set connectors.alipay.app_id".to_string())
        } else {
            Ok(s.app_id.trim().to_string())
        };
        let private_key = load_key(
            &s.private_key,
            &s.private_key_pem_file,
            "private_key",
            "private key",
            production,
            PrivateKey::parse,
            |k| {
                let dev_app = PublicKey::parse(DEV_APP_PUBLIC_KEY).expect("the development key parses");
                dev_app.der().ends_with(&k.public_key_der())
            },
        );
        let alipay_public_key = load_key(
            &s.alipay_public_key,
            &s.alipay_public_key_pem_file,
            "alipay_public_key",
            "Alipay public key",
            production,
            PublicKey::parse,
            |k| {
                let dev_alipay = PublicKey::parse(DEV_ALIPAY_PUBLIC_KEY).expect("the development key parses");
                dev_alipay.der() == k.der()
            },
        );
        Self {
            app_id,
            private_key,
            alipay_public_key,
        }
    }

    /// `Ok` when requests can be signed and answers verified.
    pub fn ready(&self) -> Result<(), String> {
        self.app_id.as_ref().map_err(Clone::clone)?;
        self.private_key.as_ref().map_err(Clone::clone)?;
        self.alipay_public_key.as_ref().map_err(Clone::clone)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/keys")
    }

    #[test]
    fn defaults_point_at_the_simulator_and_have_no_keys() {
        let s = AlipaySettings::default();
        assert_eq!(s.gateway_url, "http://127.0.0.1:6302/gateway.do");
        assert_eq!((s.query_interval_ms, s.query_budget_ms), (5_000, 25_000));
        let c = Credentials::load(&s, false);
        let why = c.ready().unwrap_err();
        assert!(why.contains("app_id"), "{why}");
        assert!(c.private_key.unwrap_err().contains("private_key"));
    }

    #[test]
    fn keys_load_from_files_or_inline_and_bad_ones_say_why() {
        let s = AlipaySettings {
            app_id: "2021000100000001".into(),
            private_key_pem_file: Some(keys_dir().join("app_private_key.pem")),
            alipay_public_key_pem_file: Some(keys_dir().join("alipay_public_key.pem")),
            ..Default::default()
        };
        assert!(Credentials::load(&s, false).ready().is_ok());
        let inline = AlipaySettings {
            private_key: Some(std::fs::read_to_string(keys_dir().join("app_private_key.pem")).unwrap()),
            private_key_pem_file: Some("/nonexistent".into()),
            ..s.clone()
        };
        assert!(Credentials::load(&inline, false).ready().is_ok());
        let missing = AlipaySettings {
            alipay_public_key_pem_file: Some("/nonexistent/key.pem".into()),
            ..s.clone()
        };
        let why = Credentials::load(&missing, false).ready().unwrap_err();
        assert!(why.contains("/nonexistent/key.pem"), "{why}");
        let swapped = AlipaySettings {
            alipay_public_key_pem_file: Some(keys_dir().join("alipay_private_key.pem")),
            ..s.clone()
        };
        assert!(
            Credentials::load(&swapped, false)
                .ready()
                .unwrap_err()
                .contains("public key")
        );
        let prod = Credentials::load(&s, true);
        assert!(prod.private_key.unwrap_err().contains("development key"));
        assert!(prod.alipay_public_key.unwrap_err().contains("development key"));
    }
}
