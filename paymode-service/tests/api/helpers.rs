use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{HttpRequest, HttpResponse, web};
use payserver_shared::auth::{JwtVerifier, Role, claims_for, mint_hs256};
use payserver_shared::config::Settings;
use payserver_shared::testing::{self, Api, TestSystem};
pub use payserver_shared::testing::{admin_token as admin, assert_envelope, merchant_token as merchant, read, uuids};
use serde_json::{Value, json};

/// Seed built-ins without a checkEnvUrl, safe to open in tests.
pub const CASH: &str = "C924182F-581B-4990-944A-ABCAB8E552B3";
pub const UNIONPAY: &str = "4CE44A21-68DA-4ADA-B7EE-371187327F75";
pub const SIGN_ACCOUNT: &str = "382CF8DF-017F-4009-928F-D5B008095962";
/// How many templates template-service has on first start.
pub const BUILTINS: usize = 7;

/// The service-to-service timeout of test apps; the slow checkEnvUrl sleeps well past it.
const CLIENT_TIMEOUT_MS: u64 = 1500;

pub struct TestApp {
    /// paymode-service.
    pub address: String,
    /// The checkEnvUrl stand-in: `/ok`, `/refuse`, `/slow`, `/broken` (HTTP 500).
    pub check_env: String,
    /// Bodies the stand-in received, in order.
    pub check_env_calls: Arc<Mutex<Vec<Value>>>,
    /// The `Authorization` header of each call the stand-in received (`None`: no header).
    pub check_env_auth: Arc<Mutex<Vec<Option<String>>>>,
    /// paymode-service's public routes (the app derefs to them), its internal ones and
    /// template-service's public ones.
    public: Api,
    pub internal: Api,
    template: Api,
    /// Modes the stand-in payorder-service reports as having pay orders.
    pub modes_with_orders: Arc<Mutex<Vec<String>>>,
    /// The two running services (kept so they live as long as the test).
    _system: TestSystem,
}

/// What the checkEnvUrl stand-in records.
#[derive(Clone, Default)]
struct CheckEnvLog {
    bodies: Arc<Mutex<Vec<Value>>>,
    auth: Arc<Mutex<Vec<Option<String>>>>,
}

async fn check_env(req: HttpRequest, body: web::Json<Value>, log: web::Data<CheckEnvLog>) -> HttpResponse {
    log.bodies.lock().unwrap().push(body.0.clone());
    let auth = req
        .headers()
        .get("authorization")
        .map(|v| v.to_str().unwrap().to_string());
    log.auth.lock().unwrap().push(auth);
    let merchant = body.0["merchantUUID"].clone();
    match req.path() {
        "/ok" => HttpResponse::Ok().json(json!({"ret": true, "merchantUUID": merchant})),
        "/refuse" => HttpResponse::Ok()
            .json(json!({"ret": false, "merchantUUID": merchant, "reason": "not a WeChat sub-merchant"})),
        "/slow" => {
            tokio::time::sleep(Duration::from_millis(CLIENT_TIMEOUT_MS * 4)).await;
            HttpResponse::Ok().json(json!({"ret": true, "merchantUUID": merchant}))
        }
        _ => HttpResponse::InternalServerError().body("boom"),
    }
}

fn spawn_check_env(log: CheckEnvLog) -> String {
    let log = web::Data::new(log);
    testing::serve_stand_in(1, move |cfg| {
        cfg.app_data(log.clone()).default_service(web::post().to(check_env));
    })
}

/// A URL on a loopback port nothing listens on (and no `TestSystem` of another test has
/// picked for a service it has yet to start).
pub fn closed_port_url() -> String {
    let port = payserver_shared::http::free_port("127.0.0.1").unwrap();
    format!("http://127.0.0.1:{port}")
}

/// paymode-service in front of a real template-service, each with a fresh database, a
/// payorder-service stand-in and a checkEnvUrl stand-in. Test settings allow connector URLs
/// on any loopback port (`testing::settings`).
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_, _| {}).await
}

/// [`spawn_app`] with paymode-service's settings changed first; `configure` also gets the
/// checkEnvUrl stand-in's base URL (to register it as a connector, say).
pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings, &str)) -> TestApp {
    let mut system = TestSystem::new(&["template", "paymode"]);
    system.settings.http.client_timeout_ms = CLIENT_TIMEOUT_MS;
    let log = CheckEnvLog::default();
    let check_env = spawn_check_env(log.clone());

    let template_address = system.start(template_service::Application::build).await;

    let modes_with_orders = Arc::new(Mutex::new(Vec::new()));
    system
        .settings
        .services
        .entry("payorder".into())
        .or_default()
        .set_url(spawn_payorder_stand_in(modes_with_orders.clone()));
    configure(&mut system.settings, &check_env);
    let address = system.start(paymode_service::Application::build).await;

    TestApp {
        modes_with_orders,
        public: Api::public(&address),
        internal: Api::internal(&address),
        template: Api::public(&template_address),
        address,
        check_env,
        check_env_calls: log.bodies,
        check_env_auth: log.auth,
        _system: system,
    }
}

/// Settings that allow connector URLs only under these prefixes (the comma-separated form
/// the environment uses).
pub fn allow_only(settings: &mut Settings, prefixes: &[&str]) {
    settings
        .connectors
        .insert("allowed_url_prefixes".into(), prefixes.join(",").into());
}

/// The internal service token other services present on `/internal/v1`.
pub fn service() -> String {
    testing::service_token()
}

/// A merchant token that also carries the shop link (`merchantHref` claim).
pub fn merchant_with_href(uuid: &str, href: &str) -> String {
    let settings = testing::settings();
    let mut claims = claims_for("test-user", Some(uuid), &[Role::Merchant], 3600, &settings);
    claims.merchant_href = Some(href.to_string());
    mint_hs256(&testing::TEST_SECRET.into(), &claims).unwrap()
}

/// A template with a payUrl; `checkEnvUrl` set when `check_env` is given.
pub fn test_template(id: &str, check_env: Option<String>) -> Value {
    json!({
        "payTemplateId": id, "name": format!("测试 {id}"), "description": "a test channel",
        "payUrl": "http://127.0.0.1:9/pay", "refundUrl": "http://127.0.0.1:9/refund", "checkEnvUrl": check_env,
        "isOnline": 1, "isThridPay": 1, "isAsyncNotify": 1, "orderValidTime": 2, "payChannel": "测试", "payWay": "扫码枪"
    })
}

/// The path of a pay mode's own route, `payModes/{uuid}`.
pub fn mode_path(mode: &Value) -> String {
    format!("payModes/{}", mode["uuid"].as_str().unwrap())
}

payserver_shared::test_app_api!(TestApp, public);

impl TestApp {
    pub async fn open(&self, body: &Value, token: &str) -> (u16, Value) {
        self.post("payModes", token, body).await
    }

    /// Opens the template `pay_template_id` as a mode, which must succeed; its JSON.
    pub async fn open_template(&self, pay_template_id: &str, token: &str) -> Value {
        self.opened(&json!({ "payTemplateId": pay_template_id }), token).await
    }

    /// [`TestApp::open_template`]: the mode and its path ([`mode_path`]).
    pub async fn open_template_at(&self, pay_template_id: &str, token: &str) -> (Value, String) {
        let mode = self.open_template(pay_template_id, token).await;
        let path = mode_path(&mode);
        (mode, path)
    }

    /// Opens a mode that must succeed; its JSON.
    pub async fn opened(&self, body: &Value, token: &str) -> Value {
        let (status, mode) = self.open(body, token).await;
        assert_eq!(status, 201, "{mode}");
        mode
    }

    /// Opens a mode that must be refused with this status and code; the envelope.
    pub async fn open_refused(&self, body: &Value, token: &str, want_status: u16, want_code: u64) -> Value {
        let (status, answer) = self.open(body, token).await;
        assert_envelope(status, &answer, want_status, want_code);
        answer
    }

    /// Opens `m1`'s cash mode, as the access tests start: the mode, its path and its
    /// template's uuid.
    pub async fn open_cash_mode(&self) -> (Value, String, String) {
        let (mode, path) = self.open_template_at(CASH, &merchant("m1")).await;
        (mode, path, self.template_uuid(CASH).await)
    }

    /// A PUT of `body` and a DELETE of the mode at `path` with `token`, both refused with this
    /// status and code.
    pub async fn put_and_delete_refused(
        &self,
        path: &str,
        token: &str,
        body: &Value,
        want_status: u16,
        want_code: u64,
    ) {
        let (status, answer) = self.put(path, token, body).await;
        assert_envelope(status, &answer, want_status, want_code);
        let (status, answer) = self.delete_answer(path, token).await;
        assert_envelope(status, &answer.unwrap(), want_status, want_code);
    }

    /// The mode at `path` still reads, to `m1`, as `mode` did.
    pub async fn assert_unchanged(&self, path: &str, mode: &Value) {
        let (_, after) = self.get(path, &merchant("m1")).await;
        assert_eq!(after, *mode, "nothing changed");
    }

    /// A DELETE and its answer, `None` when it has no body (a 204).
    pub async fn delete_answer(&self, path: &str, token: &str) -> (u16, Option<Value>) {
        let (status, text) = self.delete(path, token).await;
        (status, (!text.is_empty()).then(|| serde_json::from_str(&text).unwrap()))
    }

    /// Registers (or updates) a template on template-service; its JSON.
    /// Registers [`test_template`] `id` with the stand-in's `/ok` as its checkEnvUrl.
    pub async fn register_checked_template(&self, id: &str) -> Value {
        self.register_template(&test_template(id, Some(format!("{}/ok", self.check_env))))
            .await
    }

    /// [`TestApp::register_checked_template`], then `m1` opens it; the mode.
    pub async fn open_checked_template(&self, id: &str) -> Value {
        self.register_checked_template(id).await;
        self.open_template(id, &merchant("m1")).await
    }

    pub async fn register_template(&self, body: &Value) -> Value {
        let (status, template) = self.template.post("registerPayModeTemplate", &admin(), body).await;
        assert!(status == 201 || status == 200, "{template}");
        template
    }

    /// The uuid of the template with this payTemplateId.
    pub async fn template_uuid(&self, pay_template_id: &str) -> String {
        let path = format!("payModeTemplates?payTemplateId={pay_template_id}");
        let (_, page) = self.template.get(&path, &admin()).await;
        page["items"][0]["uuid"].as_str().unwrap().to_string()
    }

    /// How many modes exist across all merchants.
    pub async fn mode_count(&self) -> i64 {
        let (status, page) = self.get("payModes", &admin()).await;
        assert_eq!(status, 200, "{page}");
        page["size"].as_i64().unwrap()
    }
}

#[derive(serde::Deserialize)]
struct PayOrdersQuery {
    #[serde(rename = "payModeUUID")]
    pay_mode_uuid: String,
}

/// Answers payorder-service's internal list `GET /internal/v1/payOrders?payModeUUID=` with the
/// number of orders the test says the mode has (0 or 1), to the internal service token only
/// (like the real route: 403 for anything else).
fn spawn_payorder_stand_in(modes_with_orders: Arc<Mutex<Vec<String>>>) -> String {
    let verifier = Arc::new(JwtVerifier::from_settings(&testing::settings()).unwrap());
    testing::serve_stand_in(1, move |cfg| {
        let (modes, verifier) = (modes_with_orders.clone(), verifier.clone());
        cfg.route(
            "/internal/v1/payOrders",
            web::get().to(move |req: HttpRequest, query: web::Query<PayOrdersQuery>| {
                let auth = req.headers().get("authorization").and_then(|v| v.to_str().ok());
                let admitted = verifier.verify_header(auth).and_then(|c| c.admit(req.path()));
                let size = i64::from(modes.lock().unwrap().contains(&query.pay_mode_uuid));
                async move {
                    match admitted {
                        Ok(_) => HttpResponse::Ok().json(json!({"size": size, "items": []})),
                        Err(e) => HttpResponse::Forbidden().json(json!({"statusCode": 403, "message": e.message})),
                    }
                }
            }),
        );
    })
}
