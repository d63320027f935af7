//! Starts the Alipay simulator and the connector (a `TestSystem`: a fresh SQLite file or
//! PostgreSQL database) and talks to them.

use std::time::Duration;

use connector_contract::TradeAnswer;
use connector_contract::conformance::until_final;
use connector_contract::shared::auth::Role;
use connector_contract::shared::testing::{self, Api, TestSystem};
pub use connector_contract::shared::testing::{
    admin_token as admin, merchant_token as merchant, read_or_null as read, stand_in_listener,
};
use reqwest::Method;
use serde_json::{Value, json};
use simulators::alipay::{self as sim, Journal};

pub const KEYS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/keys");

/// Payment codes of the simulator's behaviour table.
pub const PAID_AT_ONCE: &str = "280000000000000001";
pub const WAIT_THEN_PAID: &str = "281100000000000001";
pub const WAIT_FOREVER: &str = "281200000000000001";
pub const BALANCE_NOT_ENOUGH: &str = "281300000000000001";
pub const SYSTEM_ERROR_THEN_PAID: &str = "281400000000000001";
pub const AUTH_CODE_INVALID: &str = "281500000000000001";
pub const SLOW: &str = "281600000000000001";
pub const CANCEL_RETRY: &str = "281700000000000001";
pub const PAYS_AT_CANCEL: &str = "281800000000000001";
pub const REFUND_UNKNOWN: &str = "281900000000000001";
pub const WECHAT_CODE: &str = "134567890123456789";

pub struct Simulator {
    pub url: String,
    pub journal: Journal,
}

/// The simulator with the development keys; `slow_delay_ms` shortened for tests.
pub fn spawn_simulator() -> Simulator {
    let config = sim::Config {
        slow_delay_ms: 2_500,
        ..Default::default()
    };
    let journal = config.journal.clone();
    let (listener, base) = stand_in_listener();
    tokio::spawn(sim::build(listener, config).expect("simulator"));
    Simulator {
        url: format!("{base}/gateway.do"),
        journal,
    }
}

/// The connector's `[connectors.alipay]` for tests: the development keys, fast timings.
pub fn alipay_config(gateway_url: &str) -> Value {
    json!({
        "gateway_url": gateway_url,
        "app_id": sim::DEV_APP_ID,
        "private_key_pem_file": format!("{KEYS}/app_private_key.pem"),
        "alipay_public_key_pem_file": format!("{KEYS}/alipay_public_key.pem"),
        "query_interval_ms": 100,
        "query_budget_ms": 800,
        "request_timeout_ms": 1_000,
        "retry_max_ms": 400,
        "recovery_interval_ms": 200,
    })
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub sim: Simulator,
    /// The public routes (`/api/v1.0.0`).
    public: Api,
    /// The contract routes (`/connector`).
    contract: Api,
    /// The connector (kept so it lives as long as the test).
    system: TestSystem,
}

/// The platform's token for this connector's contract URLs.
pub fn platform() -> String {
    testing::connector_call_token("alipay")
}

/// A plain `service` token: refused on every public route.
pub fn service() -> String {
    testing::token(None, &[Role::Service])
}

/// A fresh merchant uuid and a numeric tractionNo.
pub fn new_merchant() -> String {
    connector_contract::shared::ids::new_uuid()
}

pub fn traction(prefix: char) -> String {
    connector_contract::shared::ids::traction_no(prefix)
}

/// The connector against a fresh simulator with the test configuration.
pub async fn spawn_app() -> TestApp {
    let sim = spawn_simulator();
    let config = alipay_config(&sim.url);
    spawn_app_with(sim, config, None).await
}

/// The set-up of most tests: [`spawn_app`] and a merchant with an app_auth_token.
pub async fn spawn_with_merchant() -> (TestApp, String) {
    let app = spawn_app().await;
    let (m, _) = app.authorized_merchant().await;
    (app, m)
}

/// The connector with this `[connectors.alipay]`, on `database_url` (else a fresh database).
pub async fn spawn_app_with(sim: Simulator, alipay: Value, database_url: Option<String>) -> TestApp {
    let mut system = TestSystem::new(&["alipay"]);
    if let Some(url) = database_url {
        system
            .settings
            .services
            .entry("alipay".into())
            .or_default()
            .database_url = Some(url.into());
    }
    system
        .settings
        .set_connector("alipay", alipay)
        .expect("valid connector settings");
    let address = system.start(alipay::Application::build).await;
    TestApp {
        public: Api::public(&address),
        contract: Api::connector(&address),
        address,
        client: reqwest::Client::new(),
        sim,
        system,
    }
}

pub fn pay_body(traction_no: &str, merchant: &str, code: &str, amount: i64) -> Value {
    json!({
        "payer": "pos-1", "payee": format!("http://shops.example/{merchant}"), "payAmount": amount,
        "tractionNo": traction_no, "clientPayNo": format!("c{traction_no}"),
        "orderStartAt": "2026-01-01 00:00:00", "orderExpiredAt": "2026-01-02 00:00:00",
        "payParams": {"payBarCode": code}, "clientExtraParams": {"subject": "测试 order"},
        "payStartAt": "2026-01-01 00:00:00", "merchantUUID": merchant, "payTemplateId": "alipay"
    })
}

pub fn refund_body(
    traction_no: &str,
    pay: &TradeAnswer,
    pay_traction: &str,
    merchant: &str,
    pay_amount: i64,
    amount: i64,
) -> Value {
    json!({
        "clientRefundNo": format!("r{traction_no}"), "tractionNo": traction_no, "payTractionNo": pay_traction,
        "thirdPayNo": pay.third_order_no, "payAmount": pay_amount, "refundAmount": amount, "isCancel": 0,
        "merchantUUID": merchant, "clientExtraParams": {}
    })
}

impl TestApp {
    pub fn api(&self, path: &str) -> String {
        self.public.url(path)
    }

    /// `POST /connector/{path}` with the platform's token.
    pub async fn contract(&self, path: &str, body: &Value) -> (u16, Value) {
        self.contract
            .call_or_null(Method::POST, path, &platform(), Some(body))
            .await
    }

    /// [`TestApp::contract`] with each body, all at once; the answers in order.
    pub async fn race_contract(&self, path: &str, bodies: Vec<Value>) -> Vec<(u16, Value)> {
        testing::race(&self.contract, Method::POST, path, &platform(), bodies).await
    }

    pub async fn pay(&self, body: &Value) -> TradeAnswer {
        let (s, b) = self.contract("pay", body).await;
        assert_eq!(s, 200, "{b}");
        serde_json::from_value(b).unwrap()
    }

    pub async fn refund(&self, body: &Value) -> TradeAnswer {
        let (s, b) = self.contract("refund", body).await;
        assert_eq!(s, 200, "{b}");
        serde_json::from_value(b).unwrap()
    }

    pub async fn query(&self, traction_no: &str, kind: &str) -> (u16, Value) {
        self.contract("query", &json!({"tractionNo": traction_no, "kind": kind}))
            .await
    }

    /// Polls `query` until the trade is no longer running.
    pub async fn wait_final(&self, traction_no: &str, kind: &str) -> TradeAnswer {
        until_final(
            Duration::from_secs(15),
            "",
            || self.query(traction_no, kind),
            |a| format!("{traction_no} still running: {a:?}"),
        )
        .await
    }

    /// A call on the merchant's `alipayMerchants/{merchant}` (its app_auth_token).
    async fn merchant_call(&self, method: Method, merchant: &str, bearer: &str, body: Option<&Value>) -> (u16, Value) {
        let path = format!("alipayMerchants/{merchant}");
        self.public.call_or_null(method, &path, bearer, body).await
    }

    pub async fn put_token(&self, merchant: &str, token: &str, bearer: &str) -> (u16, Value) {
        let body = json!({"appAuthToken": token});
        self.merchant_call(Method::PUT, merchant, bearer, Some(&body)).await
    }

    pub async fn get_token(&self, merchant: &str, bearer: &str) -> (u16, Value) {
        self.merchant_call(Method::GET, merchant, bearer, None).await
    }

    pub async fn delete_token(&self, merchant: &str, bearer: &str) -> (u16, Value) {
        self.merchant_call(Method::DELETE, merchant, bearer, None).await
    }

    /// A merchant with an app_auth_token.
    pub async fn authorized_merchant(&self) -> (String, String) {
        let m = new_merchant();
        let token = format!("202611BB{}", m.to_lowercase());
        let (s, b) = self.put_token(&m, &token, &admin()).await;
        assert_eq!(s, 200, "{b}");
        (m, token)
    }

    /// Stops the server and its worker (the steps in flight give their leases back); the
    /// simulator and the database, for a next run.
    pub async fn stop(mut self) -> (Simulator, String) {
        self.system.stop().await;
        let database_url = self.system.database_url("alipay");
        (self.sim, database_url)
    }
}
