//! Helpers for the integration tests of every crate: test settings, fresh databases (a
//! temporary SQLite file, or a new PostgreSQL database when `TEST_DATABASE_URL` is set) and
//! tokens. Not used by the binaries.

use std::path::{Path, PathBuf};
use std::sync::Once;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::sql_types::Text;
use diesel::{PgConnection, QueryableByName, RunQueryDsl};
use reqwest::Method;
use secrecy::SecretString;
use serde_json::Value;

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
            let mut admin = crate::db::establish_pg(&admin_url).expect("connect to TEST_DATABASE_URL");
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
    token_with(claims_for("test-user", merchant, roles, 3600, &settings()))
}

/// An admin's public token.
pub fn admin_token() -> String {
    token(None, &[Role::Admin])
}

/// The public token of `merchant`'s own staff.
pub fn merchant_token(merchant: &str) -> String {
    token(Some(merchant), &[Role::Merchant])
}

/// A public token of `merchant` with these role names, known or not (`payer` is none of ours),
/// for tests of how unknown roles are refused.
pub fn token_with_roles(merchant: Option<&str>, roles: &[&str]) -> String {
    let claims = Claims {
        roles: roles.iter().map(|r| r.to_string()).collect(),
        ..claims_for("test-user", merchant, &[], 3600, &settings())
    };
    token_with(claims)
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

/// Tokens that a connector's public routes refuse on `merchant`'s resources, each with what it
/// is: none carries the merchant or the admin role (`connector` is the connector's name).
pub fn tokens_without_a_public_role(connector: &str, merchant: &str) -> [(&'static str, String); 7] {
    [
        ("a connector credential", connector_token(connector)),
        (
            "a connector role bound to the merchant",
            token(Some(merchant), &[Role::Connector]),
        ),
        (
            "a payer token of the merchant",
            token_with_roles(Some(merchant), &["payer"]),
        ),
        (
            "a role-less token of the merchant",
            token_with_roles(Some(merchant), &[]),
        ),
        ("a public service token", token(Some(merchant), &[Role::Service])),
        ("the internal service token", service_token()),
        ("the platform's call token", connector_call_token(connector)),
    ]
}

/// Tokens that the contract routes of `connector` refuse, each with what it is: every
/// credential but the platform's call token for it (`other` is another connector's name).
pub fn tokens_refused_by_contract_routes(connector: &str, other: &str, merchant: &str) -> [(&'static str, String); 6] {
    [
        ("another connector's call token", connector_call_token(other)),
        ("the internal service token", service_token()),
        ("a public service token", token(None, &[Role::Service])),
        ("its own notify credential", connector_token(connector)),
        ("an admin token", admin_token()),
        ("a merchant token", merchant_token(merchant)),
    ]
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

    /// A system of one service, started: the system (keep it as long as the test runs) and
    /// the service's base URL.
    pub async fn start_one(
        name: &'static str,
        build: impl AsyncFnOnce(&Settings) -> anyhow::Result<crate::service::Running>,
    ) -> (Self, String) {
        let mut system = Self::new(&[name]);
        let url = system.start(build).await;
        (system, url)
    }

    /// Stops every started service, the last started first.
    pub async fn stop(&mut self) {
        while let Some(mut r) = self.running.pop() {
            r.stop().await;
        }
    }
}

/// Starts another replica of service `name` with `settings` (so on the same database, its own
/// background jobs included) on a loopback port of its own; its base URL. It runs until the
/// test process ends.
pub async fn start_replica(
    settings: &Settings,
    name: &str,
    build: impl AsyncFnOnce(&Settings) -> anyhow::Result<crate::service::Running>,
) -> String {
    let mut settings = settings.clone();
    let port = crate::http::free_port("127.0.0.1").expect("a free loopback port");
    let address = format!("http://127.0.0.1:{port}");
    let svc = settings.services.get_mut(name).expect("a declared service");
    svc.port = port;
    svc.set_url(address.clone());
    let replica = build(&settings).await.expect("the replica builds");
    tokio::spawn(replica.run_until_stopped());
    address
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

    /// The public routes of the service at `address` (`{address}/api/v1.0.0`).
    pub fn public(address: &str) -> Self {
        Self::new(format!("{address}/api/v1.0.0"))
    }

    /// The internal routes of the service at `address` (`{address}/internal/v1`), which other
    /// services call.
    pub fn internal(address: &str) -> Self {
        Self::new(format!("{address}/internal/v1"))
    }

    /// The contract routes of the connector at `address` (`{address}/connector`).
    pub fn connector(address: &str) -> Self {
        Self::new(format!("{address}/connector"))
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/{}", self.base, path.trim_start_matches('/'))
    }

    /// A request of `path` with the bearer `token`, for a test that adds headers or reads the
    /// whole response: send it with [`send`].
    pub fn request(&self, method: Method, path: &str, token: &str) -> reqwest::RequestBuilder {
        self.http.request(method, self.url(path)).bearer_auth(token)
    }

    /// A call and its answer as text (for answers that may not be JSON).
    pub async fn text(&self, method: Method, path: &str, token: &str, body: Option<&Value>) -> (u16, String) {
        let mut rb = self.request(method, path, token);
        if let Some(b) = body {
            rb = rb.json(b);
        }
        let resp = send(rb).await;
        (resp.status().as_u16(), resp.text().await.expect("a response body"))
    }

    /// A call and its JSON answer (panics with the text when it is not JSON).
    pub async fn call(&self, method: Method, path: &str, token: &str, body: Option<&Value>) -> (u16, Value) {
        let (status, text) = self.text(method, path, token, body).await;
        let value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("{path}: not JSON ({status}): {text}"));
        (status, value)
    }

    /// A call and its JSON answer, where an empty answer (a 204) reads as `null`.
    pub async fn call_or_null(&self, method: Method, path: &str, token: &str, body: Option<&Value>) -> (u16, Value) {
        let (status, text) = self.text(method, path, token, body).await;
        (status, json_or_null(status, &text))
    }

    /// A call with `body` sent as written under a JSON content type (for malformed JSON), and
    /// its JSON answer.
    pub async fn call_raw(&self, method: Method, path: &str, token: &str, body: &str) -> (u16, Value) {
        let request = self
            .http
            .request(method, self.url(path))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(body.to_string());
        read(request.send().await.expect("the request is sent")).await
    }

    pub async fn get(&self, path: &str, token: &str) -> (u16, Value) {
        self.call(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> (u16, Value) {
        self.call(Method::POST, path, token, Some(body)).await
    }

    pub async fn put(&self, path: &str, token: &str, body: &Value) -> (u16, Value) {
        self.call(Method::PUT, path, token, Some(body)).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> (u16, String) {
        self.text(Method::DELETE, path, token, None).await
    }

    /// A GET that must be refused with the error envelope of this status and code
    /// ([`assert_envelope`]); the envelope. Tests that walk a list of refused paths or queries
    /// call it in their loop.
    pub async fn get_refused(&self, path: &str, token: &str, want_status: u16, want_code: u64) -> Value {
        let (status, body) = self.get(path, token).await;
        assert_envelope(status, &body, want_status, want_code);
        body
    }
}

/// Lets a test app be called as the [`Api`] in its field `$field` (the routes its tests call
/// most): `test_app_api!(TestApp, public);` then `app.get(path, &token)`.
#[macro_export]
macro_rules! test_app_api {
    ($app:ty, $field:ident) => {
        impl std::ops::Deref for $app {
            type Target = $crate::testing::Api;

            fn deref(&self) -> &$crate::testing::Api {
                &self.$field
            }
        }
    };
}

/// Calls `method path` once with each body, all at once (every call waits at one barrier, so
/// they race), and their JSON answers, in order.
pub async fn race(api: &Api, method: Method, path: &str, token: &str, bodies: Vec<Value>) -> Vec<(u16, Value)> {
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(bodies.len()));
    let tasks: Vec<_> = bodies
        .into_iter()
        .map(|body| {
            let (api, barrier, method) = (api.clone(), barrier.clone(), method.clone());
            let (path, token) = (path.to_string(), token.to_string());
            tokio::spawn(async move {
                barrier.wait().await;
                api.call(method, &path, &token, Some(&body)).await
            })
        })
        .collect();
    let mut answers = Vec::with_capacity(tasks.len());
    for task in tasks {
        answers.push(task.await.expect("a racing call"));
    }
    answers
}

/// A response's status and JSON body (panics with the text when it is not JSON).
pub async fn read(resp: reqwest::Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    let text = resp.text().await.expect("a response body");
    let value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
    (status, value)
}

/// A response that must be the error envelope of this status and code ([`read`], then
/// [`assert_envelope`]); the envelope.
pub async fn read_envelope(resp: reqwest::Response, want_status: u16, want_code: u64) -> Value {
    let (status, body) = read(resp).await;
    assert_envelope(status, &body, want_status, want_code);
    body
}

/// A response's status and JSON body, where an empty body (a 204) reads as `null`.
pub async fn read_or_null(resp: reqwest::Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    let text = resp.text().await.expect("a response body");
    (status, json_or_null(status, &text))
}

fn json_or_null(status: u16, text: &str) -> Value {
    if text.is_empty() {
        return Value::Null;
    }
    serde_json::from_str(text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"))
}

/// A GET of `url` as the gateway forwards one made to `https://pay.example.com/payServer/...`
/// (its `x-forwarded-*` headers), for the hrefs that follow them; the JSON answer.
pub async fn get_forwarded(url: &str, token: &str) -> (u16, Value) {
    let request = reqwest::Client::new()
        .get(url)
        .bearer_auth(token)
        .header("x-forwarded-proto", "https")
        .header("x-forwarded-host", "pay.example.com")
        .header("x-forwarded-prefix", "/payServer");
    read(request.send().await.expect("the request is sent")).await
}

/// Sends a request; its response, whatever its status.
pub async fn send(request: reqwest::RequestBuilder) -> reqwest::Response {
    request.send().await.expect("the request is sent")
}

/// Sends a request and reads its answer as text, whatever its status.
pub async fn answer_text(request: reqwest::RequestBuilder) -> String {
    let resp = request.send().await.expect("the request is sent");
    resp.text().await.expect("a response body")
}

/// Polls `check` every 20 ms until it holds; panics naming `what` once `within` has passed.
pub async fn eventually(within: Duration, what: &str, mut check: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + within;
    while !check() {
        assert!(
            std::time::Instant::now() < deadline,
            "{what} did not happen within {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Fetches a value every `every` until `done` holds of it or `within` has passed; the last
/// value fetched (the caller asserts on it, so a timeout shows what was last seen). `fetch`
/// may be an `async ||` closure or one that returns a future.
pub async fn poll<T>(
    within: Duration,
    every: Duration,
    mut fetch: impl AsyncFnMut() -> T,
    done: impl Fn(&T) -> bool,
) -> T {
    let deadline = std::time::Instant::now() + within;
    loop {
        let value = fetch().await;
        if done(&value) || std::time::Instant::now() > deadline {
            return value;
        }
        tokio::time::sleep(every).await;
    }
}

/// The text field `field` of each of a collection's items, in order (panics on an item
/// without it).
pub fn item_texts<'a>(page: &'a Value, field: &str) -> Vec<&'a str> {
    page["items"]
        .as_array()
        .expect("a collection's items")
        .iter()
        .map(|item| {
            item[field]
                .as_str()
                .unwrap_or_else(|| panic!("an item's {field}: {item}"))
        })
        .collect()
}

/// The integer fields `fields` of `value`, in order (`None` where one is missing or no
/// integer), for one assertion on several flags or amounts at once.
pub fn ints<const N: usize>(value: &Value, fields: [&str; N]) -> [Option<i64>; N] {
    fields.map(|field| value[field].as_i64())
}

/// The text parameter `key` of a connector request's parameter map (`payParams`,
/// `clientExtraParams`), or `default`: how test connectors read the script a test gave them.
pub fn text_param(params: &serde_json::Map<String, Value>, key: &str, default: &str) -> String {
    params.get(key).and_then(Value::as_str).unwrap_or(default).to_string()
}

/// A test connector that a test serves itself: its state (which this derefs to, so a test
/// asks it what it saw) and its base URL.
pub struct TestConnector<T> {
    pub state: actix_web::web::Data<T>,
    pub url: String,
}

impl<T> std::ops::Deref for TestConnector<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.state
    }
}

/// Serves a test connector with `spawn`, on fresh state, and registers its URL in `settings`
/// as partner connector `name` (so its calls carry the platform's credential).
pub fn register_connector<T: Default + 'static>(
    settings: &mut Settings,
    name: &str,
    spawn: impl FnOnce(actix_web::web::Data<T>) -> String,
) -> TestConnector<T> {
    let state = actix_web::web::Data::new(T::default());
    let url = spawn(state.clone());
    settings.auth.partner_connectors.insert(name.into(), url.clone());
    TestConnector { state, url }
}

/// The body that opens a custom online pay mode `name` on the connector at `base` (its
/// `/connector/pay` and `/connector/refund`, and `/connector/query` when `with_query`).
pub fn online_mode(name: &str, base: &str, with_query: bool) -> Value {
    let mut body = serde_json::json!({
        "name": name, "isOnline": 1,
        "payUrl": format!("{base}/connector/pay"),
        "refundUrl": format!("{base}/connector/refund"),
    });
    if with_query {
        body["queryUrl"] = serde_json::json!(format!("{base}/connector/query"));
    }
    body
}

/// How often service `service` counted a contradiction at `source` in this process so far
/// (the tests of one binary share it: compare a before and an after).
pub fn contradictions(service: &str, source: &str) -> u64 {
    let labels = crate::metrics::ContradictionLabels {
        service: service.into(),
        source: source.into(),
    };
    crate::metrics::metrics().contradictions.get_or_create(&labels).get()
}

/// The uuids of a collection's items, in order.
pub fn uuids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("a collection's items")
        .iter()
        .map(|m| m["uuid"].as_str().expect("an item's uuid").to_string())
        .collect()
}

/// A listener for a stand-in server (a simulator, a proxy, a fake connector) on a loopback
/// port that no `TestSystem` of this process has picked for a service it has yet to start,
/// and its base URL.
pub fn stand_in_listener() -> (std::net::TcpListener, String) {
    let port = crate::http::free_port("127.0.0.1").expect("a free loopback port");
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).expect("bind a stand-in");
    (listener, format!("http://127.0.0.1:{port}"))
}

/// Serves a stand-in app, made of the routes `configure` adds, in the background on a
/// [`stand_in_listener`] with `workers` workers; its base URL.
pub fn serve_stand_in(
    workers: usize,
    configure: impl Fn(&mut actix_web::web::ServiceConfig) + Clone + Send + 'static,
) -> String {
    let (listener, url) = stand_in_listener();
    let server = actix_web::HttpServer::new(move || actix_web::App::new().configure(configure.clone()))
        .listen(listener)
        .expect("serve a stand-in")
        .workers(workers)
        .run();
    tokio::spawn(server);
    url
}

/// The body is the API's error envelope with this status and code.
pub fn assert_envelope(status: u16, body: &Value, want_status: u16, want_code: u64) {
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
