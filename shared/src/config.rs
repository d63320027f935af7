//! Configuration: built-in defaults (`config/defaults.toml`, compiled in) <
//! `config/default.toml` < `--config FILE` < `PAYSERVER__SECTION__KEY` environment variables.
//! Every layer is merged key by key, so a file or a variable that sets one key of a section
//! (`PAYSERVER__SERVICES__PAYORDER__DATABASE_URL`) keeps the section's other defaults.
//!
//! Every binary reads the same [`Settings`]; each uses the sections it needs. Secrets have no
//! built-in value: the development JWT secret lives in `config/default.toml` under
//! `[development]` and is only used while `environment = "development"`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    #[default]
    Development,
    Production,
}

/// No container-level `serde(default)`: the defaults layer provides every key, and
/// `Settings::default()` is itself built from that layer.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    pub environment: Environment,
    /// Where the SQLite files live when a service has no `database_url`.
    pub data_dir: PathBuf,
    /// Public base URL of the gateway (`https://pay.example.com/payServer`), used for hrefs
    /// when a request carries no `X-Forwarded-*` headers.
    pub public_url: Option<String>,
    /// Offset in which times are rendered and parsed, e.g. `+08:00`.
    pub display_offset: String,
    pub log: LogSettings,
    pub auth: AuthSettings,
    pub development: DevelopmentSettings,
    pub http: HttpSettings,
    pub gateway: GatewaySettings,
    pub template: TemplateSettings,
    pub payorder: ResolverSettings,
    pub refund: ResolverSettings,
    /// Each connector's own section (`[connectors.wechat]`, ...), read by that connector with
    /// [`Settings::connector`]. Kept as configuration values, not JSON: an all-digit
    /// environment value (`PAYSERVER__CONNECTORS__WECHAT__MCH_ID=1900000109`) arrives as a
    /// number and must still fill a text field.
    pub connectors: BTreeMap<String, config::Value>,
    /// Settings shared by every service, keyed by service name (`template`, `paymode`, ...).
    pub services: BTreeMap<String, ServiceSettings>,
}

/// The built-in defaults: every key, no secrets. The tables derived from the service
/// registry (routes, services, built-in template URLs) are appended.
const DEFAULTS: &str = include_str!("../../config/defaults.toml");

fn defaults_layer() -> config::File<config::FileSourceString, config::FileFormat> {
    let text = format!("{DEFAULTS}\n{}", crate::registry::defaults_toml());
    config::File::from_str(&text, config::FileFormat::Toml)
}

impl Default for Settings {
    /// The built-in defaults alone (no files, no environment).
    fn default() -> Self {
        config::Config::builder()
            .add_source(defaults_layer())
            .build()
            .and_then(|c| c.try_deserialize::<Settings>())
            .map(Settings::with_default_upstreams)
            .expect("config/defaults.toml is valid (checked by a unit test)")
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct LogSettings {
    /// `tracing_subscriber::EnvFilter` syntax; `RUST_LOG` wins when set.
    pub filter: String,
    /// `true` for JSON lines, `false` for human-readable output.
    pub json: bool,
}

impl Default for LogSettings {
    fn default() -> Self {
        Self {
            filter: "info".into(),
            json: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
pub enum JwtAlgorithm {
    #[default]
    HS256,
    RS256,
    ES256,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub struct AuthSettings {
    pub algorithm: JwtAlgorithm,
    /// HS256 shared secret. No built-in value.
    pub jwt_secret: Option<SecretString>,
    /// RS256/ES256 public key (PEM text) used to verify tokens.
    pub jwt_public_key: Option<String>,
    /// Path of a PEM public key file, read when `jwt_public_key` is empty.
    pub jwt_public_key_file: Option<PathBuf>,
    /// When set, tokens must carry this `iss`.
    pub issuer: Option<String>,
    /// When set, tokens must carry this `aud`.
    pub audience: Option<String>,
    /// A pre-issued token with role `service` and audience `payserver-internal`, presented on
    /// other services' `/internal` routes. When empty and an HS256 secret is configured
    /// (development), services mint short-lived ones themselves.
    pub service_token: Option<SecretString>,
    /// Per registered connector: the pre-issued token (role `service`, audience
    /// `payserver-connector:<name>`) the platform presents to that connector only.
    pub connector_call_tokens: BTreeMap<String, SecretString>,
    /// Per connector: its own pre-issued credential (role `connector`, claim
    /// `connector: <name>`) for `/payNotify` and `/refundNotify`; read by that connector.
    pub connector_tokens: BTreeMap<String, SecretString>,
    /// Connectors besides this project's own: name → base URL. Calls below a registered
    /// connector's base carry that connector's call token; any other URL (a merchant's
    /// custom mode, say) is called without credentials.
    pub partner_connectors: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub struct DevelopmentSettings {
    /// The development JWT secret, used only while `environment = "development"` and
    /// `auth.jwt_secret` is empty. A production start refuses it.
    pub jwt_secret: Option<SecretString>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct HttpSettings {
    /// actix workers per server; 0 means one per CPU.
    pub workers: usize,
    /// Timeout of service-to-service calls, in milliseconds.
    pub client_timeout_ms: u64,
    /// Maximum request body in bytes (413 above it).
    pub body_limit: usize,
    /// On SIGTERM, how long in-flight requests may take before the server stops.
    pub shutdown_grace_secs: u64,
    /// A peer instance that refused a connection is skipped this long (services with several
    /// `url`s).
    pub instance_cooldown_ms: u64,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            workers: 0,
            client_timeout_ms: 5_000,
            body_limit: 1024 * 1024,
            shutdown_grace_secs: 30,
            instance_cooldown_ms: 10_000,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, from = "RawServiceSettings")]
pub struct ServiceSettings {
    pub host: String,
    pub port: u16,
    /// `postgres://...` or `sqlite://path`; empty means `sqlite://{data_dir}/{name}.db`.
    pub database_url: Option<SecretString>,
    pub pool_size: u32,
    /// How other binaries reach this service, e.g. `http://template:6101`: its first
    /// instance when `url` lists several.
    pub url: String,
    /// Every instance (`url = ["http://payorder-1:6103", "http://payorder-2:6103"]`, or from
    /// the environment a comma-separated list): the services' client takes them in turn and
    /// moves on from one that refuses connections, and the gateway's upstream defaults to them.
    pub instances: Vec<String>,
}

impl ServiceSettings {
    fn local(port: u16) -> Self {
        let url = format!("http://127.0.0.1:{port}");
        Self {
            host: "127.0.0.1".into(),
            port,
            database_url: None,
            pool_size: 4,
            instances: vec![url.clone()],
            url,
        }
    }

    /// Points other binaries at this one address.
    pub fn set_url(&mut self, url: impl Into<String>) {
        self.url = url.into();
        self.instances = vec![self.url.clone()];
    }
}

/// `services.<name>` as written: `url` is one URL, a comma-separated list or a list.
#[derive(Deserialize)]
#[serde(default)]
struct RawServiceSettings {
    host: String,
    port: u16,
    database_url: Option<SecretString>,
    pool_size: u32,
    url: OneOrMany,
}

impl Default for RawServiceSettings {
    fn default() -> Self {
        let d = ServiceSettings::default();
        Self {
            host: d.host,
            port: d.port,
            database_url: None,
            pool_size: d.pool_size,
            url: OneOrMany::One(d.url),
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl From<RawServiceSettings> for ServiceSettings {
    fn from(raw: RawServiceSettings) -> Self {
        let listed = match raw.url {
            OneOrMany::One(s) => s.split(',').map(str::to_string).collect(),
            OneOrMany::Many(v) => v,
        };
        let instances: Vec<String> = listed
            .into_iter()
            .map(|u| u.trim().trim_end_matches('/').to_string())
            .filter(|u| !u.is_empty())
            .collect();
        Self {
            host: raw.host,
            port: raw.port,
            database_url: raw.database_url,
            pool_size: raw.pool_size,
            url: instances.first().cloned().unwrap_or_default(),
            instances,
        }
    }
}

impl Default for ServiceSettings {
    fn default() -> Self {
        Self::local(0)
    }
}

/// An operator's prefix naming a bare origin (`https://pay.acme.example`) would also match
/// `https://pay.acme.example.evil.com/`: such a prefix ends at its origin (`.../`). A prefix
/// that ends inside the authority on purpose (`http://127.0.0.1:`, any loopback port, as the
/// tests use) stays as given.
fn bounded_prefix(prefix: &str) -> String {
    match prefix.split_once("://") {
        Some((_, rest)) if !rest.contains('/') && !rest.ends_with(':') => format!("{prefix}/"),
        _ => prefix.to_string(),
    }
}

/// The built-in port of a service (`template` 6101, `sign_account` 6201, ...).
pub fn default_port(name: &str) -> Option<u16> {
    crate::registry::get(name).map(|e| e.port)
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct GatewaySettings {
    pub host: String,
    pub port: u16,
    /// Public path prefix the gateway serves the API under.
    pub prefix: String,
    /// Upstream call timeout in milliseconds (504 past it).
    pub upstream_timeout_ms: u64,
    /// Trust `X-Forwarded-Proto/Host` sent to the gateway (only behind a trusted proxy).
    pub trust_forwarded_headers: bool,
    /// Collection segment (`payModes`) → upstream name (`paymode`). Matched without regard
    /// to case, because environment overrides arrive lower-cased.
    pub routes: BTreeMap<String, String>,
    /// Upstream name → base URLs of its instances.
    pub upstreams: BTreeMap<String, Vec<String>>,
    /// An instance that refused a connection is skipped this long before it is tried again.
    pub instance_cooldown_ms: u64,
    pub rate_limit: RateLimitSettings,
    /// Origins allowed to call the API from a browser (CORS), e.g. `https://shop.example.com`.
    /// Empty: no cross-origin access.
    pub cors_origins: Vec<String>,
}

/// Requests per second (sustained) and burst, per client IP and per merchant; 0 turns a
/// limit off.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct RateLimitSettings {
    pub per_ip_per_second: u32,
    pub per_ip_burst: u32,
    pub per_merchant_per_second: u32,
    pub per_merchant_burst: u32,
}

impl Default for RateLimitSettings {
    fn default() -> Self {
        Self {
            per_ip_per_second: 500,
            per_ip_burst: 1000,
            per_merchant_per_second: 200,
            per_merchant_burst: 400,
        }
    }
}

impl Default for GatewaySettings {
    /// Scalars only; the route table and upstreams come from `config/defaults.toml`.
    fn default() -> Self {
        Self {
            host: "0.0.0.0".into(),
            port: 8080,
            prefix: "/payServer".into(),
            upstream_timeout_ms: 30_000,
            trust_forwarded_headers: false,
            routes: BTreeMap::new(),
            upstreams: BTreeMap::new(),
            instance_cooldown_ms: 10_000,
            rate_limit: RateLimitSettings::default(),
            cors_origins: Vec::new(),
        }
    }
}

/// payorder-service and refund-service (`[payorder]`, `[refund]`): their calls to connectors
/// and the resolver of what those calls left unknown (`paying` orders, `refunding` refunds).
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct ResolverSettings {
    /// Timeout of a call to a connector's payUrl/refundUrl/queryUrl; past it the outcome is
    /// unknown and the resolver takes over.
    pub connector_timeout_ms: u64,
    pub resolver_interval_ms: u64,
    /// First retry delay of the resolver; doubled per attempt up to `resolver_backoff_max_ms`.
    pub resolver_backoff_ms: u64,
    pub resolver_backoff_max_ms: u64,
    /// Items of one batch (batchPay, a refund batch) processed at once.
    pub batch_concurrency: usize,
}

impl Default for ResolverSettings {
    fn default() -> Self {
        Self {
            connector_timeout_ms: 10_000,
            resolver_interval_ms: 1_000,
            resolver_backoff_ms: 2_000,
            resolver_backoff_max_ms: 300_000,
            batch_concurrency: 8,
        }
    }
}

/// URLs of the built-in templates' connector endpoints.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub struct TemplateSettings {
    /// Keyed by the built-in's short name (`sign_account`, `wechat`, `alipay`,
    /// `member_stored_value`, `member_count`).
    pub builtin_urls: BTreeMap<String, ConnectorUrls>,
}

#[derive(Debug, Clone, Deserialize, Default, PartialEq, Eq)]
#[serde(default)]
pub struct ConnectorUrls {
    pub pay_url: Option<String>,
    pub refund_url: Option<String>,
    pub check_env_url: Option<String>,
    pub query_url: Option<String>,
}

/// The command-line flag every binary takes.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ConfigArgs {
    /// A configuration file layered over config/default.toml.
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration could not be read: {0}")]
    Load(#[from] config::ConfigError),
    #[error("configuration is invalid: {0}")]
    Invalid(String),
}

/// The local configuration file every binary reads from its working directory.
const LOCAL_CONFIG: &str = "config/default.toml";

/// The checkout's `config/default.toml` seen from anywhere inside it: in the working
/// directory or one of its parents, else above the binary (`target/release/payserver` →
/// `config/default.toml` of that checkout). Only for commands that read no relative paths
/// from it, such as `payserver token`.
fn checkout_config_file() -> Option<PathBuf> {
    let relative = Path::new("config").join("default.toml");
    let cwd = std::env::current_dir().ok();
    let exe = std::env::current_exe().ok();
    let exe_dirs = exe.iter().flat_map(|e| e.ancestors().skip(1));
    let cwd_dirs = cwd.iter().flat_map(|d| d.ancestors());
    cwd_dirs
        .chain(exe_dirs)
        .map(|d| d.join(&relative))
        .find(|f| f.is_file())
}

impl Settings {
    /// Loads the layered configuration. `file` is the optional `--config FILE`.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        Self::load_layers(Path::new(LOCAL_CONFIG), file)
    }

    /// [`Settings::load`], with the checkout's `config/default.toml` found from anywhere
    /// inside the checkout or next to its built binary (for `payserver token`).
    pub fn load_from_checkout(file: Option<&Path>) -> Result<Self, ConfigError> {
        let local = checkout_config_file().unwrap_or_else(|| PathBuf::from(LOCAL_CONFIG));
        Self::load_layers(&local, file)
    }

    fn load_layers(local: &Path, file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut builder = config::Config::builder()
            .add_source(defaults_layer())
            .add_source(config::File::from(local).required(false));
        if let Some(file) = file {
            builder = builder.add_source(config::File::from(file).required(true));
        }
        let mut environment = config::Environment::with_prefix("PAYSERVER")
            .prefix_separator("__")
            .separator("__")
            .list_separator(",")
            .with_list_parse_key("gateway.cors_origins")
            .with_list_parse_key("connectors.allowed_url_prefixes");
        for e in crate::registry::upstreams() {
            environment = environment
                .with_list_parse_key(&format!("gateway.upstreams.{}", e.name))
                .with_list_parse_key(&format!("services.{}.url", e.name));
        }
        let raw = builder.add_source(environment.try_parsing(true)).build()?;
        let settings = raw.try_deserialize::<Settings>()?.with_default_upstreams();
        settings.validate()?;
        Ok(settings)
    }

    /// An upstream the configuration does not list goes to its service's `url` instances, so
    /// one `services.<name>.url = [...]` points both the gateway and the services at every
    /// replica. `gateway.upstreams.<name> = []` says the service is not deployed: its routes
    /// answer 503 and the gateway's readiness does not wait for it.
    fn with_default_upstreams(mut self) -> Self {
        for e in crate::registry::upstreams() {
            if !self.gateway.upstreams.contains_key(e.name) {
                let instances = self.service(e.name).instances;
                self.gateway.upstreams.insert(e.name.to_string(), instances);
            }
        }
        self
    }

    /// Refuses configurations that must never run: production with the development secret,
    /// no verification key at all, or a malformed display offset.
    pub fn validate(&self) -> Result<(), ConfigError> {
        crate::time::parse_offset(&self.display_offset)
            .ok_or_else(|| ConfigError::Invalid(format!("display_offset {:?}", self.display_offset)))?;
        if self.environment == Environment::Production {
            let dev = self
                .development
                .jwt_secret
                .as_ref()
                .map(|s| s.expose_secret().to_string());
            let live = self.auth.jwt_secret.as_ref().map(|s| s.expose_secret().to_string());
            if let (Some(dev), Some(live)) = (&dev, &live)
                && !dev.is_empty()
                && dev == live
            {
                return Err(ConfigError::Invalid(
                    "environment is production but auth.jwt_secret is still the development secret".into(),
                ));
            }
            // With a shared secret every pod that verifies tokens could also mint them, any
            // role for any merchant: production verifies with a public key only.
            if self.auth.algorithm == JwtAlgorithm::HS256 {
                return Err(ConfigError::Invalid(
                    "environment is production: auth.algorithm must be RS256 or ES256 (a public key verifies, \
                     only the operator's private key issues tokens; see docs/operations.md)"
                        .into(),
                ));
            }
            if live.is_some_and(|l| !l.is_empty()) {
                return Err(ConfigError::Invalid(
                    "environment is production: auth.jwt_secret must not be set (RS256/ES256 use a public key)".into(),
                ));
            }
        }
        Ok(())
    }

    /// The HS256 secret in force: `auth.jwt_secret`, else (development only) the
    /// development secret.
    pub fn hs256_secret(&self) -> Option<&SecretString> {
        let non_empty = |s: &&SecretString| !s.expose_secret().is_empty();
        self.auth.jwt_secret.as_ref().filter(non_empty).or_else(|| {
            if self.environment == Environment::Development {
                self.development.jwt_secret.as_ref().filter(non_empty)
            } else {
                None
            }
        })
    }

    /// The registered connectors, `(name, base URL)`: this project's own
    /// (`services.{sign_account,member_card,wechat,alipay}.url`) and
    /// `auth.partner_connectors`. Only these receive a credential from the platform, each its
    /// own.
    pub fn connector_registry(&self) -> Vec<(String, String)> {
        let own = crate::registry::connectors().map(|e| (e.name.to_string(), self.service(e.name).url));
        own.chain(self.auth.partner_connectors.iter().map(|(n, u)| (n.clone(), u.clone())))
            .filter(|(_, u)| !u.is_empty())
            .collect()
    }

    /// The prefixes a custom pay mode's connector URLs must start with:
    /// `connectors.allowed_url_prefixes` (a list, or from the environment a comma-separated
    /// string), by default this project's own connectors (`{url}/`).
    pub fn allowed_connector_url_prefixes(&self) -> Vec<String> {
        let configured: Option<Vec<String>> =
            self.connectors
                .get("allowed_url_prefixes")
                .map(|v| match v.clone().into_array() {
                    Ok(items) => items.into_iter().filter_map(|i| i.into_string().ok()).collect(),
                    Err(_) => v
                        .clone()
                        .into_string()
                        .map(|s| s.split(',').map(str::to_string).collect())
                        .unwrap_or_default(),
                });
        match configured {
            Some(list) => list
                .into_iter()
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .map(|p| bounded_prefix(&p))
                .collect(),
            None => crate::registry::connectors()
                .map(|e| format!("{}/", self.service(e.name).url.trim_end_matches('/')))
                .collect(),
        }
    }

    /// A connector's own settings from `[connectors.<name>]`; its defaults when absent.
    pub fn connector<T: serde::de::DeserializeOwned + Default>(&self, name: &str) -> Result<T, ConfigError> {
        match self.connectors.get(name) {
            None => Ok(T::default()),
            Some(v) => v
                .clone()
                .try_deserialize()
                .map_err(|e| ConfigError::Invalid(format!("connectors.{name}: {e}"))),
        }
    }

    /// Sets keys of a connector's section (the one-process wiring, tests); other keys stay.
    pub fn set_connector(&mut self, name: &str, values: serde_json::Value) -> Result<(), ConfigError> {
        let bad = |e: config::ConfigError| ConfigError::Invalid(format!("connectors.{name}: {e}"));
        let mut table = match self.connectors.remove(name) {
            Some(v) => v.into_table().map_err(bad)?,
            None => Default::default(),
        };
        let serde_json::Value::Object(map) = values else {
            return Err(ConfigError::Invalid(format!("connectors.{name}: expected an object")));
        };
        for (k, v) in map {
            let v: config::Value =
                serde_json::from_value(v).map_err(|e| ConfigError::Invalid(format!("connectors.{name}.{k}: {e}")))?;
            table.insert(k, v);
        }
        self.connectors.insert(
            name.to_string(),
            config::Value::new(None, config::ValueKind::Table(table)),
        );
        Ok(())
    }

    /// One text setting of a connector's section.
    pub fn connector_str(&self, name: &str, key: &str) -> Option<String> {
        let table = self.connectors.get(name)?.clone().into_table().ok()?;
        table.get(key)?.clone().into_string().ok()
    }

    /// Settings of one service; a service missing from the table gets port-0 defaults.
    pub fn service(&self, name: &str) -> ServiceSettings {
        self.services.get(name).cloned().unwrap_or_default()
    }

    /// The database URL of a service, defaulting to a SQLite file under `data_dir`.
    pub fn database_url(&self, name: &str) -> String {
        match self.service(name).database_url {
            Some(url) if !url.expose_secret().is_empty() => url.expose_secret().to_string(),
            _ => format!("sqlite://{}", self.data_dir.join(format!("{name}.db")).display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_refuses_shared_secrets_and_takes_public_keys() {
        let mut s = Settings {
            environment: Environment::Production,
            ..Default::default()
        };
        let dev: SecretString = "a-development-secret-that-is-long-enough".into();
        s.development.jwt_secret = Some(dev.clone());
        s.auth.jwt_secret = Some(dev);
        assert!(s.validate().is_err());
        s.auth.jwt_secret = Some("another-secret-that-is-long-enough-1234".into());
        assert!(s.validate().is_err(), "HS256 lets every verifier mint tokens");
        s.auth.algorithm = JwtAlgorithm::ES256;
        assert!(s.validate().is_err(), "no shared secret beside a public key");
        s.auth.jwt_secret = None;
        assert!(s.validate().is_ok());
    }

    #[test]
    fn the_connector_registry_and_allowed_prefixes_default_to_our_own_connectors() {
        let mut s = Settings::default();
        let names: Vec<String> = s.connector_registry().into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["sign_account", "member_card", "wechat", "alipay"]);
        assert!(
            s.allowed_connector_url_prefixes()
                .contains(&"http://127.0.0.1:6203/".to_string())
        );
        s.auth
            .partner_connectors
            .insert("acme".into(), "https://pay.acme.example".into());
        assert!(
            s.connector_registry()
                .contains(&("acme".into(), "https://pay.acme.example".into()))
        );
        s.connectors.insert(
            "allowed_url_prefixes".into(),
            config::Value::from("http://a/, http://b/"),
        );
        assert_eq!(s.allowed_connector_url_prefixes(), ["http://a/", "http://b/"]);
        s.connectors.insert(
            "allowed_url_prefixes".into(),
            config::Value::from(vec![
                "https://pay.acme.example".to_string(),
                "http://127.0.0.1:".to_string(),
            ]),
        );
        assert_eq!(
            s.allowed_connector_url_prefixes(),
            ["https://pay.acme.example/", "http://127.0.0.1:"],
            "a bare origin ends at the origin"
        );
    }

    #[test]
    fn production_ignores_the_development_secret_when_no_live_one_is_set() {
        let mut s = Settings {
            environment: Environment::Production,
            ..Default::default()
        };
        s.development.jwt_secret = Some("a-development-secret-that-is-long-enough".into());
        assert!(s.validate().is_err());
        assert!(s.hs256_secret().is_none());
    }

    #[test]
    fn the_built_in_defaults_list_every_service_route_and_template() {
        let s = Settings::default();
        for (name, port) in [
            ("template", 6101),
            ("refund", 6104),
            ("member_card", 6202),
            ("alipay_simulator", 6302),
        ] {
            assert_eq!(s.service(name).port, port, "{name}");
            assert_eq!(default_port(name), Some(port));
        }
        assert_eq!(s.gateway.routes.get("members").map(String::as_str), Some("member_card"));
        assert_eq!(s.gateway.upstreams["payorder"], ["http://127.0.0.1:6103"]);
        assert!(s.template.builtin_urls["wechat"].check_env_url.is_some());
        assert!(s.hs256_secret().is_none(), "no secret is built in");
        assert!(s.validate().is_ok());
    }

    #[test]
    fn a_layer_setting_one_key_keeps_the_sections_other_defaults() {
        let s: Settings = config::Config::builder()
            .add_source(defaults_layer())
            .add_source(config::File::from_str(
                "[services.payorder]\ndatabase_url = \"postgres://db/payorder\"\n[gateway.routes]\nextra = \"x\"",
                config::FileFormat::Toml,
            ))
            .build()
            .unwrap()
            .try_deserialize()
            .unwrap();
        assert_eq!(s.service("payorder").port, 6103);
        assert_eq!(s.database_url("payorder"), "postgres://db/payorder");
        assert_eq!(s.gateway.routes.get("payModes").map(String::as_str), Some("paymode"));
        assert_eq!(s.gateway.routes.get("extra").map(String::as_str), Some("x"));
    }

    #[test]
    fn a_service_url_may_list_replicas_which_the_gateway_follows() {
        let s: Settings = config::Config::builder()
            .add_source(defaults_layer())
            .add_source(config::File::from_str(
                "[services.payorder]\nurl = [\"http://po-1:6103/\", \"http://po-2:6103\"]\n\
                 [services.refund]\nurl = \"http://rf-1:6104,http://rf-2:6104\"\n\
                 [gateway.upstreams]\nwechat = []",
                config::FileFormat::Toml,
            ))
            .build()
            .unwrap()
            .try_deserialize::<Settings>()
            .unwrap()
            .with_default_upstreams();
        let po = s.service("payorder");
        assert_eq!(po.url, "http://po-1:6103");
        assert_eq!(po.instances, ["http://po-1:6103", "http://po-2:6103"]);
        assert_eq!(s.service("refund").instances, ["http://rf-1:6104", "http://rf-2:6104"]);
        assert_eq!(s.gateway.upstreams["payorder"], po.instances);
        assert_eq!(s.gateway.upstreams["template"], ["http://127.0.0.1:6101"]);
        assert!(
            s.gateway.upstreams["wechat"].is_empty(),
            "an empty list says: not deployed"
        );
        assert_eq!(s.service("template").pool_size, 4);
    }

    #[test]
    fn load_without_any_file_or_variable_gives_the_built_in_defaults() {
        // The test runs in the crate directory, which has no config/default.toml.
        let s = Settings::load(None).expect("the built-in defaults alone are a valid configuration");
        assert_eq!(s.gateway.port, 8080);
        assert_eq!(s.service("payorder").port, 6103);
        assert_eq!(s.gateway.routes.get("refundOrders").map(String::as_str), Some("refund"));
    }

    #[test]
    fn numeric_environment_values_still_fill_connector_text_fields() {
        #[derive(Debug, Default, serde::Deserialize)]
        #[serde(default)]
        struct Channel {
            mch_id: String,
            app_id: Option<String>,
            query_interval_ms: u64,
        }
        // Environment variables arrive parsed: all-digit ids become numbers.
        let s: Settings = config::Config::builder()
            .add_source(defaults_layer())
            .set_override("connectors.wechat.mch_id", 1900000109i64)
            .unwrap()
            .set_override("connectors.wechat.app_id", 2021000100000001i64)
            .unwrap()
            .set_override("connectors.wechat.query_interval_ms", "200")
            .unwrap()
            .build()
            .unwrap()
            .try_deserialize()
            .unwrap();
        let c: Channel = s.connector("wechat").unwrap();
        assert_eq!(
            (c.mch_id.as_str(), c.app_id.as_deref(), c.query_interval_ms),
            ("1900000109", Some("2021000100000001"), 200)
        );
        let mut s = s;
        s.set_connector("wechat", serde_json::json!({"base_url": "http://sim:1"}))
            .unwrap();
        assert_eq!(s.connector_str("wechat", "base_url").as_deref(), Some("http://sim:1"));
        assert_eq!(
            s.connector::<Channel>("wechat").unwrap().mch_id,
            "1900000109",
            "other keys stay"
        );
    }

    #[test]
    fn database_url_defaults_to_sqlite_under_data_dir() {
        let s = Settings {
            data_dir: "/tmp/x".into(),
            ..Default::default()
        };
        assert_eq!(s.database_url("template"), "sqlite:///tmp/x/template.db");
    }
}
