use std::time::Duration;

use diesel::Connection;
use diesel::connection::SimpleConnection;
use payserver_shared::config::Settings;
use payserver_shared::db::{Backend, parse_url};
use payserver_shared::testing::{self, Api, TestConnector, TestSystem};
pub use payserver_shared::testing::{admin_token, assert_envelope, merchant_token as merchant};
use reqwest::Method;
use serde_json::{Value, json};

use connector_contract::Connector;
use connector_contract::scripted::{self, Scripted};

use crate::stand_in::{self, StandIn};

pub const CASH: &str = "C924182F-581B-4990-944A-ABCAB8E552B3";

pub struct TestApp {
    /// payorder-service's public routes (the app derefs to them) and its internal ones.
    public: Api,
    pub internal: Api,
    /// paymode-service's and template-service's public routes.
    paymode: Api,
    template: Api,
    pub connector: TestConnector<Scripted>,
    /// The counting connector (stand_in.rs), registered as `standin`.
    pub stand_in: TestConnector<StandIn>,
    pub paymode_url: String,
    payorder_db: String,
    /// template-service, paymode-service and payorder-service; its settings are what
    /// another replica is built with.
    system: TestSystem,
}

/// template-service, paymode-service and payorder-service (a `TestSystem`), plus the
/// scripted connector and the stand-in, both registered; short timeouts so the resolver's
/// paths run in seconds. Pay modes are not cached: closing one is seen by the next pay.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// As [`spawn_app`], with the settings changed by `tune` first.
pub async fn spawn_app_with(tune: impl FnOnce(&mut Settings)) -> TestApp {
    let mut system = TestSystem::new(&["template", "paymode", "payorder"]);
    let settings = &mut system.settings;
    settings.payorder.connector_timeout_ms = 700;
    settings.payorder.resolver_interval_ms = 100;
    settings.payorder.resolver_backoff_ms = 100;
    settings.payorder.resolver_backoff_max_ms = 400;
    tune(settings);
    let connector = testing::register_connector(settings, Scripted::NAME, scripted::spawn);
    let stand_in = testing::register_connector(settings, stand_in::NAME, stand_in::spawn);
    let template_url = system.start(template_service::Application::build).await;
    let paymode_url = system.start(paymode_service::Application::build).await;
    let address = system.start(payorder_service::Application::build).await;

    TestApp {
        public: Api::public(&address),
        internal: Api::internal(&address),
        paymode: Api::public(&paymode_url),
        template: Api::public(&template_url),
        connector,
        stand_in,
        payorder_db: system.database_url("payorder"),
        paymode_url,
        system,
    }
}

/// The mode a test's orders are paid on: `m1`'s cash mode, or an online mode of `m1`'s on the
/// scripted connector or on the stand-in (with its queryUrl when `with_query`).
#[derive(Debug, Clone, Copy)]
pub enum Mode {
    Cash,
    Scripted { with_query: bool },
    StandIn { with_query: bool },
}

/// What most tests start from: an app, `m1`'s mode and `m1`'s token.
pub struct Start {
    pub app: TestApp,
    pub mode: String,
    pub token: String,
}

/// A fresh app ([`spawn_app`]) with `m1`'s mode of `mode` opened.
pub async fn start(mode: Mode) -> Start {
    start_with(mode, |_| {}).await
}

/// As [`start`], on an app whose settings `tune` changed first ([`spawn_app_with`]).
pub async fn start_with(mode: Mode, tune: impl FnOnce(&mut Settings)) -> Start {
    let app = spawn_app_with(tune).await;
    let mode = match mode {
        Mode::Cash => app.open_cash("m1").await,
        Mode::Scripted { with_query } => app.open_online_mode("m1", with_query).await,
        Mode::StandIn { with_query } => app.open_stand_in_mode("m1", with_query).await,
    };
    Start {
        app,
        mode,
        token: merchant("m1"),
    }
}

/// The scripted connector's own notification credential.
pub fn connector_token() -> String {
    testing::connector_token(scripted::Scripted::NAME)
}

payserver_shared::test_app_api!(TestApp, public);

impl TestApp {
    /// Another payorder-service replica on the same database (its own resolver included); its
    /// address.
    pub async fn spawn_replica(&self) -> String {
        testing::start_replica(&self.system.settings, "payorder", payorder_service::Application::build).await
    }

    /// `POST /pay` with `token` of [`pay_body`]`(mode, client_pay_no, amount, script)`; the answer.
    pub async fn pay(&self, token: &str, mode: &str, client_pay_no: &str, amount: i64, script: &str) -> (u16, Value) {
        self.post("pay", token, &pay_body(mode, client_pay_no, amount, script))
            .await
    }

    /// [`TestApp::pay`], which must leave the order `paying` (its outcome is not known yet);
    /// the order's uuid and tractionNo.
    pub async fn pay_paying(
        &self,
        token: &str,
        mode: &str,
        client_pay_no: &str,
        amount: i64,
        script: &str,
    ) -> (String, String) {
        let (_, answer) = self.pay(token, mode, client_pay_no, amount, script).await;
        let order = &answer["data"];
        assert_eq!(order["status"], "paying", "{answer}");
        let text = |field: &str| order[field].as_str().unwrap().to_string();
        (text("uuid"), text("tractionNo"))
    }

    /// Ages the order `uuid` past its expiry (direct SQL).
    pub fn expire(&self, uuid: &str) {
        self.sql(&format!(
            "UPDATE pay_orders SET order_expired_at = 1 WHERE uuid = '{uuid}'"
        ));
    }

    /// Opens a custom online mode on the scripted connector for `merchant`; its uuid.
    pub async fn open_online_mode(&self, merchant_uuid: &str, with_query: bool) -> String {
        let body = testing::online_mode("scripted", &self.connector.url, with_query);
        self.open_mode(merchant_uuid, body).await
    }

    /// Opens a custom online mode on the stand-in for `merchant`; its uuid.
    pub async fn open_stand_in_mode(&self, merchant_uuid: &str, with_query: bool) -> String {
        let body = testing::online_mode("stand-in", &self.stand_in.url, with_query);
        self.open_mode(merchant_uuid, body).await
    }

    pub async fn open_cash(&self, merchant_uuid: &str) -> String {
        self.open_mode(merchant_uuid, json!({"payTemplateId": CASH})).await
    }

    pub async fn open_mode(&self, merchant_uuid: &str, body: Value) -> String {
        let (status, mode) = self.paymode.post("payModes", &merchant(merchant_uuid), &body).await;
        assert_eq!(status, 201, "{mode}");
        mode["uuid"].as_str().unwrap().to_string()
    }

    pub async fn set_mode_opened(&self, merchant_uuid: &str, mode: &str, opened: i32) {
        let body = json!({"isOpened": opened});
        let (status, _) = self
            .paymode
            .text(
                Method::PUT,
                &format!("payModes/{mode}"),
                &merchant(merchant_uuid),
                Some(&body),
            )
            .await;
        assert_eq!(status, 200);
    }

    /// Disables a template as an admin would.
    pub async fn disable_template(&self, pay_template_id: &str) {
        let body = json!({"payTemplateId": pay_template_id, "status": "disabled"});
        let (status, _) = self
            .template
            .text(Method::POST, "registerPayModeTemplate", &admin_token(), Some(&body))
            .await;
        assert_eq!(status, 200);
    }

    /// Runs SQL directly on payorder-service's database (to age an order past its expiry).
    pub fn sql(&self, statement: &str) {
        let (backend, target) = parse_url(&self.payorder_db).unwrap();
        match backend {
            Backend::Sqlite => diesel::SqliteConnection::establish(&target)
                .unwrap()
                .batch_execute(statement)
                .unwrap(),
            Backend::Postgres => payserver_shared::db::establish_pg(&target)
                .unwrap()
                .batch_execute(statement)
                .unwrap(),
        }
    }

    /// Polls an order until its status is no longer `paying` (or the deadline passes).
    pub async fn wait_settled(&self, uuid: &str, token: &str, secs: u64) -> Value {
        self.wait_status(uuid, token, secs, |s| s != "paying").await
    }

    /// [`TestApp::wait_settled`], where the order must have settled as `status`; the order.
    pub async fn wait_settled_as(&self, uuid: &str, token: &str, secs: u64, status: &str) -> Value {
        let order = self.wait_settled(uuid, token, secs).await;
        assert_eq!(order["status"], status, "{order}");
        order
    }

    /// Polls an order until its status satisfies `done` (or the deadline passes); the order.
    pub async fn wait_status(&self, uuid: &str, token: &str, secs: u64, done: impl Fn(&str) -> bool) -> Value {
        let path = format!("payOrders/{uuid}");
        testing::poll(
            Duration::from_secs(secs),
            Duration::from_millis(50),
            || async { self.get(&path, token).await.1 },
            |order| done(order["status"].as_str().unwrap_or_default()),
        )
        .await
    }

    /// The order's journal: its rows and their net sum (pays minus refunds).
    pub async fn journal(&self, uuid: &str, token: &str) -> (Vec<Value>, i64) {
        let (status, trades) = self.get(&format!("payOrders/{uuid}/tradeRecords"), token).await;
        assert_eq!(status, 200, "{trades}");
        let rows = trades["items"].as_array().unwrap().clone();
        let net = rows
            .iter()
            .map(|t| {
                let amount = t["amount"].as_i64().unwrap();
                if t["tradeType"] == "refund" { -amount } else { amount }
            })
            .sum();
        (rows, net)
    }
}

/// Checks pay's answer: accepted (200), with this `ret` and `businessRet`.
pub fn assert_pay_answer(status: u16, answer: &Value, ret: &str, business_ret: &str) {
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        (answer["ret"].as_str(), answer["businessRet"].as_str()),
        (Some(ret), Some(business_ret))
    );
}

pub fn pay_body(mode: &str, client_pay_no: &str, amount: i64, script: &str) -> Value {
    json!({
        "payModeUUID": mode, "payer": "A", "payee": "http://shops.example/s1", "payAmount": amount,
        "clientPayNo": client_pay_no, "payParams": {"script": script},
        "clientExtraParams": {"orderNo": "P201807050001", "orderAmount": 210, "receiveableAmount": 210}
    })
}

/// Polls `check` until it holds; panics naming `what` after `secs` ([`testing::eventually`]).
pub async fn eventually(secs: u64, what: &str, check: impl FnMut() -> bool) {
    testing::eventually(Duration::from_secs(secs), what, check).await
}

/// payorder-service's contradictions seen at `source` so far (process-wide: compare a before
/// and an after).
pub fn contradictions(source: &str) -> u64 {
    testing::contradictions("payorder", source)
}

/// A service token, for the internal routes.
pub fn service() -> String {
    testing::service_token()
}
