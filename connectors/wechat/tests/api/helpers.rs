//! A WeChat Pay simulator and the connector on port 0, with short budgets so every branch
//! of the uncertain-outcome handling runs in about a second.

use std::time::Duration;

use connector_contract::TradeAnswer;
use connector_contract::conformance::until_final;
use connector_contract::shared::auth::Role;
use connector_contract::shared::ids;
use connector_contract::shared::testing::{self, Api, TestSystem};
pub use connector_contract::shared::testing::{
    admin_token as admin, merchant_token, read_or_null as read, stand_in_listener,
};
use reqwest::Method;
use serde_json::{Value, json};
use simulators::wechat::{self as sim, Journal};
use wechat::WechatSettings;
use wechat::wxpay::{CallOutcome, SubMerchant, WxClient};

pub const PAID: &str = "134500000000000001";
pub const USERPAYING_THEN_PAID: &str = "131100000000000001";
pub const USERPAYING_FOREVER: &str = "131200000000000001";
pub const NOTENOUGH: &str = "131300000000000001";
pub const SYSTEMERROR_BUT_PAID: &str = "131400000000000001";
pub const AUTH_CODE_INVALID: &str = "131500000000000001";
pub const SLOW_BUT_PAID: &str = "131600000000000001";
pub const RECALL_ONCE: &str = "131700000000000001";
pub const PAID_BEFORE_REVERSE: &str = "131800000000000001";
pub const REFUND_SYSTEMERROR_ONCE: &str = "131900000000000001";
pub const BANKERROR_BUT_PAID: &str = "132100000000000001";
pub const SYSTEMERROR_NO_TRADE: &str = "132200000000000001";
pub const WRONG_SIGNATURE_BUT_PAID: &str = "132300000000000001";
pub const AUTHCODEEXPIRE: &str = "132400000000000001";
pub const REFUND_PROCESSING: &str = "132500000000000001";
pub const USERPAYING_THEN_CANCELLED: &str = "132600000000000001";
pub const ALIPAY_CODE: &str = "284500000000000001";

pub const SUB_MCH_ID: &str = "1900000110";

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub journal: Journal,
    pub sim_url: String,
    /// The connector (kept so it lives as long as the test; stopped and started again by
    /// [`TestApp::stop`] and [`TestApp::restart`]).
    system: TestSystem,
}

/// The connector's test configuration: the simulator's development credentials, short
/// budgets.
pub fn wechat_section(sim_url: &str) -> Value {
    json!({
        "base_url": sim_url,
        "appid": sim::DEV_APPID,
        "mch_id": sim::DEV_MCH_ID,
        "api_key": sim::DEV_API_KEY,
        "sign_type": "HMAC-SHA256",
        "query_interval_ms": 150,
        "query_budget_ms": 900,
        "system_error_wait_ms": 100,
        "reverse_retry_ms": 100,
        "request_timeout_ms": 700,
    })
}

/// The set-up of most tests: [`spawn_app`] and a merchant with a sub-merchant.
pub async fn spawn_with_merchant() -> (TestApp, String) {
    let app = spawn_app().await;
    let m = app.merchant().await;
    (app, m)
}

pub async fn spawn_app() -> TestApp {
    spawn_with(|_| {}).await
}

/// `tune` adjusts the `[connectors.wechat]` section.
pub async fn spawn_with(tune: impl FnOnce(&mut Value)) -> TestApp {
    let journal = Journal::default();
    let config = sim::Config {
        userpaying_queries: 2,
        slow_answer_ms: 1_500,
        refund_processing_queries: 1,
        journal: journal.clone(),
        ..Default::default()
    };
    let (listener, sim_url) = stand_in_listener();
    tokio::spawn(sim::build(listener, config).unwrap());

    let mut system = TestSystem::new(&["wechat"]);
    let mut section = wechat_section(&sim_url);
    tune(&mut section);
    system
        .settings
        .set_connector("wechat", section)
        .expect("valid connector settings");
    let address = system.start(wechat::Application::build).await;
    TestApp {
        address,
        client: reqwest::Client::new(),
        journal,
        sim_url,
        system,
    }
}

/// The platform's token for this connector's contract URLs.
pub fn platform() -> String {
    testing::connector_call_token("wechat")
}

/// A plain `service` token: refused on every public route.
pub fn service() -> String {
    testing::token(None, &[Role::Service])
}

/// A fresh tractionNo: `1...` for pays, `2...` for refunds.
pub fn serial(prefix: char) -> String {
    let digits: String = ids::new_uuid().bytes().map(|b| char::from(b'0' + b % 10)).collect();
    format!("{prefix}{}", &digits[..19])
}

pub fn pay_body(traction_no: &str, merchant: &str, code: Option<&str>, amount: i64) -> Value {
    let pay_params = match code {
        Some(c) => json!({ "payBarCode": c }),
        None => json!({}),
    };
    json!({
        "payer": "tester", "payee": format!("http://shops.example/{merchant}"), "payAmount": amount,
        "tractionNo": traction_no, "clientPayNo": format!("c{traction_no}"),
        "orderStartAt": "2026-01-01 00:00:00", "orderExpiredAt": "2026-01-02 00:00:00",
        "payParams": pay_params, "clientExtraParams": {}, "payStartAt": "2026-01-01 00:00:00",
        "merchantUUID": merchant, "payTemplateId": "wechat"
    })
}

impl TestApp {
    /// Stops the connector and its worker; pending trades stay in its database.
    pub async fn stop(&mut self) {
        self.system.stop().await;
    }

    /// Starts the connector again, with the same settings and database.
    pub async fn restart(&mut self) {
        self.address = self.system.start(wechat::Application::build).await;
    }

    pub fn api(&self, path: &str) -> String {
        Api::public(&self.address).url(path)
    }

    /// `POST /connector/{path}` with the platform's token.
    pub async fn contract(&self, path: &str, body: &Value) -> (u16, Value) {
        Api::connector(&self.address)
            .call_or_null(Method::POST, path, &platform(), Some(body))
            .await
    }

    /// [`TestApp::contract`] with each body, all at once; the answers in order.
    pub async fn race_contract(&self, path: &str, bodies: Vec<Value>) -> Vec<(u16, Value)> {
        testing::race(&Api::connector(&self.address), Method::POST, path, &platform(), bodies).await
    }

    async fn answer(&self, path: &str, body: &Value) -> TradeAnswer {
        let (status, v) = self.contract(path, body).await;
        assert_eq!(status, 200, "{path}: {v}");
        serde_json::from_value(v).unwrap()
    }

    /// A merchant with a sub-merchant, ready to pay.
    pub async fn merchant(&self) -> String {
        let m = ids::new_uuid();
        let (status, body) = self
            .put_merchant(&m, &json!({ "subMchId": SUB_MCH_ID }), &admin())
            .await;
        assert_eq!(status, 200, "{body}");
        m
    }

    /// A call on the merchant's `wechatMerchants/{merchant}` (its sub-merchant).
    async fn merchant_call(&self, method: Method, merchant: &str, token: &str, body: Option<&Value>) -> (u16, Value) {
        let path = format!("wechatMerchants/{merchant}");
        Api::public(&self.address)
            .call_or_null(method, &path, token, body)
            .await
    }

    pub async fn put_merchant(&self, merchant: &str, body: &Value, token: &str) -> (u16, Value) {
        self.merchant_call(Method::PUT, merchant, token, Some(body)).await
    }

    pub async fn get_merchant(&self, merchant: &str, token: &str) -> (u16, Value) {
        self.merchant_call(Method::GET, merchant, token, None).await
    }

    pub async fn delete_merchant(&self, merchant: &str, token: &str) -> (u16, Value) {
        self.merchant_call(Method::DELETE, merchant, token, None).await
    }

    pub async fn pay(&self, merchant: &str, code: &str, amount: i64) -> (String, TradeAnswer) {
        let traction = serial('1');
        let a = self.pay_as(&traction, merchant, Some(code), amount).await;
        (traction, a)
    }

    pub async fn pay_as(&self, traction: &str, merchant: &str, code: Option<&str>, amount: i64) -> TradeAnswer {
        let a = self.answer("pay", &pay_body(traction, merchant, code, amount)).await;
        assert_eq!(a.traction_no, traction);
        a
    }

    pub async fn refund(
        &self,
        merchant: &str,
        pay: &str,
        amount: i64,
        paid: i64,
        cancel: bool,
    ) -> (String, TradeAnswer) {
        let traction = serial('2');
        let a = self.refund_as(&traction, merchant, pay, amount, paid, cancel).await;
        (traction, a)
    }

    pub async fn refund_as(
        &self,
        traction: &str,
        merchant: &str,
        pay: &str,
        amount: i64,
        paid: i64,
        cancel: bool,
    ) -> TradeAnswer {
        let body = json!({
            "clientRefundNo": format!("r{traction}"), "tractionNo": traction, "payTractionNo": pay,
            "payAmount": paid, "refundAmount": amount, "isCancel": i32::from(cancel),
            "merchantUUID": merchant, "clientExtraParams": {}
        });
        self.answer("refund", &body).await
    }

    pub async fn query(&self, traction: &str, kind: &str) -> (u16, Value) {
        self.contract("query", &json!({ "tractionNo": traction, "kind": kind }))
            .await
    }

    /// Polls `queryUrl` until the trade is no longer running.
    pub async fn settled(&self, traction: &str, kind: &str) -> TradeAnswer {
        until_final(
            Duration::from_secs(20),
            "query: ",
            || self.query(traction, kind),
            |_| format!("{traction} still running: {:?}", self.journal.for_trade(traction)),
        )
        .await
    }

    pub async fn check_env(&self, merchant: &str) -> Value {
        let (status, v) = self
            .contract(
                "checkEnv",
                &json!({ "merchantUUID": merchant, "payTemplateId": "wechat" }),
            )
            .await;
        assert_eq!(status, 200, "{v}");
        v
    }

    /// What the simulator itself says about a trade (a signed orderquery of our own).
    pub async fn simulator_trade_state(&self, traction: &str) -> String {
        let settings: WechatSettings = serde_json::from_value(wechat_section(&self.sim_url)).unwrap();
        let client = WxClient::new(&settings).unwrap();
        let m = SubMerchant {
            sub_mch_id: SUB_MCH_ID.into(),
            sub_appid: None,
        };
        match client.orderquery(&m, traction).await {
            CallOutcome::Answer(p) => p
                .get("trade_state")
                .or_else(|| p.get("err_code"))
                .cloned()
                .unwrap_or_default(),
            other => panic!("the simulator did not answer: {other:?}"),
        }
    }

    pub fn count(&self, path: &str, traction: &str) -> usize {
        self.journal.count(path, traction)
    }
}
