//! Helpers for the integration tests of every crate: test settings, fresh databases (a
//! temporary SQLite file, or a new PostgreSQL database when `TEST_DATABASE_URL` is set) and
//! tokens. Not used by the binaries.

use std::path::{Path, PathBuf};
use std::sync::Once;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::sql_types::Text;
use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl};
use secrecy::SecretString;

use crate::auth::{Claims, INTERNAL_AUDIENCE, Role, claims_for, connector_audience, mint_hs256};
use crate::config::Settings;
use crate::ids::new_uuid;

/// The HS256 secret test settings use.
pub const TEST_SECRET: &str = "integration-test-secret-0123456789abcdef";

/// Settings for an in-process test app: the test secret, one worker, a private data dir.
pub fn settings() -> Settings {
    crate::telemetry::init_for_tests();
    let mut s = Settings::default();
    s.auth.jwt_secret = Some(SecretString::from(TEST_SECRET));
    s.http.workers = 1;
    s.data_dir = temp_dir();
    // Test connectors and stand-ins listen on random loopback ports; a test of the prefix rule
    // itself sets a narrower list.
    s.connectors.insert(
        "allowed_url_prefixes".into(),
        config::Value::from(vec!["http://127.0.0.1:".to_string(), "http://localhost:".to_string()]),
    );
    // Many test apps run at once against one PostgreSQL and its connection limit.
    for svc in s.services.values_mut() {
        svc.pool_size = 4;
    }
    s
}

/// Test databases and directories are not removed by the test that made them (its system still
/// runs when the test body ends); the first test of a later run sweeps those older than this,
/// so repeated local runs do not pile them up. No test runs anywhere near this long.
const STALE_AFTER: Duration = Duration::from_secs(3600);

/// A fresh private directory under the system temp dir.
pub fn temp_dir() -> PathBuf {
    let root = std::env::temp_dir().join("payserver-tests");
    static SWEEP: Once = Once::new();
    SWEEP.call_once(|| sweep_stale_dirs(&root));
    let dir = root.join(new_uuid());
    std::fs::create_dir_all(&dir).expect("create test dir");
    dir
}

/// A database URL for one test: a new database on `TEST_DATABASE_URL`'s server, or a new
/// SQLite file.
pub fn database_url(settings: &Settings, name: &str) -> String {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let db = format!("pstest_{}_{}_{}", unix_now(), name, new_uuid().to_lowercase());
            let mut admin = PgConnection::establish(&admin_url).expect("connect to TEST_DATABASE_URL");
            static SWEEP: Once = Once::new();
            SWEEP.call_once(|| sweep_stale_databases(&mut admin));
            admin
                .batch_execute(&format!("CREATE DATABASE {db}"))
                .expect("create test database");
            replace_database(&admin_url, &db)
        }
        _ => format!("sqlite://{}", settings.data_dir.join(format!("{name}.db")).display()),
    }
}

/// Now in whole seconds since the epoch, as test database names carry it.
fn unix_now() -> u64 {
    u64::try_from(crate::time::now_ms() / 1000).unwrap_or(0)
}

/// When a test database was created, from its name `pstest_<unix seconds>_<name>_<uuid>`.
fn created_at(datname: &str) -> Option<u64> {
    datname.strip_prefix("pstest_")?.split('_').next()?.parse().ok()
}

/// Drops the test databases of earlier runs. Best effort: another test process may be dropping
/// the same ones, and a failure here must not fail the test.
fn sweep_stale_databases(admin: &mut PgConnection) {
    #[derive(QueryableByName)]
    struct Db {
        #[diesel(sql_type = Text)]
        datname: String,
    }
    let Ok(dbs) =
        diesel::sql_query(r"SELECT datname FROM pg_database WHERE datname LIKE 'pstest\_%'").load::<Db>(admin)
    else {
        return;
    };
    let cutoff = unix_now().saturating_sub(STALE_AFTER.as_secs());
    for db in dbs {
        if created_at(&db.datname).is_some_and(|at| at < cutoff) {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", db.datname));
        }
    }
}

/// Removes the test directories of earlier runs (best effort, as above).
fn sweep_stale_dirs(root: &Path) {
    let Ok(entries) = std::fs::read_dir(root) else { return };
    for entry in entries.flatten() {
        let age = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|m| m.elapsed().ok());
        if age.is_some_and(|age| age > STALE_AFTER) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// `postgres://u@h:5432/postgres?x=y` with the database name replaced.
fn replace_database(url: &str, db: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_part = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{host_part}/{db}?{q}"),
        None => format!("{host_part}/{db}"),
    }
}

/// A public bearer token for tests (what a client presents at the gateway).
pub fn token(merchant: Option<&str>, roles: &[Role]) -> String {
    let settings = settings();
    let claims = claims_for("test-user", merchant, roles, 3600, &settings);
    mint_hs256(&SecretString::from(TEST_SECRET), &claims).expect("sign test token")
}

fn token_with(claims: Claims) -> String {
    mint_hs256(&SecretString::from(TEST_SECRET), &claims).expect("sign test token")
}

/// The internal service token (role `service`, audience `payserver-internal`), as services
/// present it to each other's `/internal` routes.
pub fn service_token() -> String {
    let claims = claims_for("test-service", None, &[Role::Service], 3600, &settings());
    token_with(Claims {
        aud: Some(serde_json::Value::String(INTERNAL_AUDIENCE.into())),
        ..claims
    })
}

/// The token the platform presents to connector `name` on its `/connector/...` routes.
pub fn connector_call_token(name: &str) -> String {
    let claims = claims_for("test-service", None, &[Role::Service], 3600, &settings());
    token_with(Claims {
        aud: Some(serde_json::Value::String(connector_audience(name))),
        ..claims
    })
}

/// Connector `name`'s own credential (role `connector`, claim `connector`), for notifications.
pub fn connector_token(name: &str) -> String {
    let claims = claims_for("test-connector", None, &[Role::Connector], 3600, &settings());
    token_with(Claims {
        connector: Some(name.into()),
        ..claims
    })
}

/// The services one integration test runs, in-process: each on a port picked up front, with a
/// fresh database (`TEST_DATABASE_URL` or SQLite), and every other service's URL pointing at
/// it, so services that call each other both ways can start in any order.
///
/// ```ignore
/// let mut system = TestSystem::new(&["template", "paymode"]);
/// system.settings.payorder.resolver_interval_ms = 100;   // tune before starting
/// system.start(template_service::Application::build).await;
/// let paymode = system.start(paymode_service::Application::build).await;
/// ```
pub struct TestSystem {
    /// What every service of the test is built with.
    pub settings: Settings,
    names: Vec<&'static str>,
    running: Vec<crate::service::Running>,
}

impl TestSystem {
    pub fn new(names: &[&'static str]) -> Self {
        let mut settings = self::settings();
        for name in names {
            let database = database_url(&settings, name);
            let port = crate::http::free_port("127.0.0.1").expect("a free loopback port");
            let svc = settings.services.entry((*name).to_string()).or_default();
            svc.host = "127.0.0.1".into();
            svc.port = port;
            svc.set_url(format!("http://127.0.0.1:{port}"));
            svc.database_url = Some(database.into());
        }
        Self {
            settings,
            names: names.to_vec(),
            running: Vec::new(),
        }
    }

    /// Builds one of the services with the system's settings and serves it in the background;
    /// its base URL. The build names the service (`Running::name`), which must be one of
    /// [`TestSystem::new`]'s.
    pub async fn start(
        &mut self,
        build: impl AsyncFnOnce(&Settings) -> anyhow::Result<crate::service::Running>,
    ) -> String {
        let mut running = build(&self.settings).await.expect("the service builds");
        assert!(
            self.names.contains(&running.name),
            "{} was not declared in TestSystem::new",
            running.name
        );
        if let Some(server) = running.take_server() {
            tokio::spawn(server);
        }
        let url = format!("http://127.0.0.1:{}", running.port());
        self.running.push(running);
        url
    }

    /// The base URL of a declared service.
    pub fn url(&self, name: &str) -> String {
        self.settings.service(name).url
    }

    /// The database a declared service uses.
    pub fn database_url(&self, name: &str) -> String {
        self.settings.database_url(name)
    }

    /// Stops every started service, the last started first.
    pub async fn stop(&mut self) {
        while let Some(mut r) = self.running.pop() {
            r.stop().await;
        }
    }
}

/// A JSON client of one base URL (a service's `http://127.0.0.1:port/api/v1.0.0`, or the
/// gateway's `.../payServer/api/v1.0.0`), as tests call the API.
#[derive(Clone)]
pub struct Api {
    pub http: reqwest::Client,
    /// Paths are appended to it after a `/`.
    pub base: String,
}

impl Api {
    pub fn new(base: impl Into<String>) -> Self {
        Self {
            http: reqwest::Client::new(),
            base: base.into().trim_end_matches('/').to_string(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/{}", self.base, path.trim_start_matches('/'))
    }

    /// A call and its answer as text (for answers that may not be JSON).
    pub async fn text(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<&serde_json::Value>,
    ) -> (u16, String) {
        let mut rb = self.http.request(method, self.url(path)).bearer_auth(token);
        if let Some(b) = body {
            rb = rb.json(b);
        }
        let resp = rb.send().await.expect("the request is sent");
        (resp.status().as_u16(), resp.text().await.expect("a response body"))
    }

    /// A call and its JSON answer (panics with the text when it is not JSON).
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<&serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let (status, text) = self.text(method, path, token, body).await;
        let value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("{path}: not JSON ({status}): {text}"));
        (status, value)
    }

    pub async fn get(&self, path: &str, token: &str) -> (u16, serde_json::Value) {
        self.call(reqwest::Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        self.call(reqwest::Method::POST, path, token, Some(&body)).await
    }

    pub async fn put(&self, path: &str, token: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        self.call(reqwest::Method::PUT, path, token, Some(&body)).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> (u16, String) {
        self.text(reqwest::Method::DELETE, path, token, None).await
    }
}

/// A response's status and JSON body (panics with the text when it is not JSON).
pub async fn read(resp: reqwest::Response) -> (u16, serde_json::Value) {
    let status = resp.status().as_u16();
    let text = resp.text().await.expect("a response body");
    let value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
    (status, value)
}

/// The body is the API's error envelope with this status and code.
pub fn assert_envelope(status: u16, body: &serde_json::Value, want_status: u16, want_code: u64) {
    assert_eq!(status, want_status, "{body}");
    assert_eq!(body["statusCode"], want_status, "{body}");
    assert_eq!(body["code"], want_code, "{body}");
    for field in ["name", "message", "description"] {
        assert!(body[field].is_string(), "{field} is text: {body}");
    }
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;

    #[test]
    fn reads_the_creation_time_from_a_test_database_name() {
        assert_eq!(created_at("pstest_1764590000_sign_account_abc"), Some(1_764_590_000));
        // Names of an older layout, or not ours, are never swept.
        assert_eq!(created_at("pstest_payorder_abc"), None);
        assert_eq!(created_at("payserver_payorder"), None);
    }

    #[test]
    fn sweeps_only_directories_older_than_the_cutoff() {
        let root = std::env::temp_dir().join("payserver-sweep-test").join(new_uuid());
        let (old, fresh) = (root.join("old"), root.join("fresh"));
        std::fs::create_dir_all(&old).unwrap();
        std::fs::create_dir_all(&fresh).unwrap();
        let long_ago = SystemTime::now() - STALE_AFTER - Duration::from_secs(60);
        std::fs::File::open(&old).unwrap().set_modified(long_ago).unwrap();
        sweep_stale_dirs(&root);
        assert!(!old.exists());
        assert!(fresh.exists());
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn replaces_the_database_name() {
        assert_eq!(
            replace_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            replace_database("postgres://postgres@127.0.0.1:5432", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            replace_database("postgres://h/db?sslmode=disable", "t1"),
            "postgres://h/t1?sslmode=disable"
        );
    }
}
