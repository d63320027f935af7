use actix_web::web;
use diesel::Connection;
use diesel::connection::SimpleConnection;
use payserver_shared::config::Settings;
use payserver_shared::db::{Backend, parse_url};
use payserver_shared::testing::{self, Api, TestSystem};
pub use payserver_shared::testing::{admin_token, assert_envelope, merchant_token as merchant, read};
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
    pub connector: web::Data<Scripted>,
    pub connector_url: String,
    /// The counting connector (stand_in.rs), registered as `standin`.
    pub stand_in: web::Data<StandIn>,
    pub stand_in_url: String,
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
    let connector = web::Data::new(Scripted::default());
    let connector_url = scripted::spawn(connector.clone());
    settings
        .auth
        .partner_connectors
        .insert(scripted::Scripted::NAME.into(), connector_url.clone());
    let stand_in = web::Data::new(StandIn::default());
    let stand_in_url = stand_in::spawn(stand_in.clone());
    settings
        .auth
        .partner_connectors
        .insert(stand_in::NAME.into(), stand_in_url.clone());
    let template_url = system.start(template_service::Application::build).await;
    let paymode_url = system.start(paymode_service::Application::build).await;
    let address = system.start(payorder_service::Application::build).await;

    TestApp {
        public: Api::public(&address),
        internal: Api::internal(&address),
        paymode: Api::public(&paymode_url),
        template: Api::public(&template_url),
        connector,
        connector_url,
        stand_in,
        stand_in_url,
        payorder_db: system.database_url("payorder"),
        paymode_url,
        system,
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

    /// Opens a custom online mode on the scripted connector for `merchant`; its uuid.
    pub async fn open_online_mode(&self, merchant_uuid: &str, with_query: bool) -> String {
        let body = online_mode("scripted", &self.connector_url, with_query);
        self.open_mode(merchant_uuid, body).await
    }

    /// Opens a custom online mode on the stand-in for `merchant`; its uuid.
    pub async fn open_stand_in_mode(&self, merchant_uuid: &str, with_query: bool) -> String {
        let body = online_mode("stand-in", &self.stand_in_url, with_query);
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
            Backend::Postgres => diesel::PgConnection::establish(&target)
                .unwrap()
                .batch_execute(statement)
                .unwrap(),
        }
    }

    /// Polls an order until its status is no longer `paying` (or the deadline passes).
    pub async fn wait_settled(&self, uuid: &str, token: &str, secs: u64) -> Value {
        self.wait_status(uuid, token, secs, |s| s != "paying").await
    }

    /// Polls an order until its status satisfies `done` (or the deadline passes); the order.
    pub async fn wait_status(&self, uuid: &str, token: &str, secs: u64, done: impl Fn(&str) -> bool) -> Value {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
        loop {
            let (_, order) = self.get(&format!("payOrders/{uuid}"), token).await;
            if done(order["status"].as_str().unwrap_or_default()) || std::time::Instant::now() > deadline {
                return order;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
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

/// A custom online mode named `name` on the connector at `connector_url`, with its queryUrl
/// when `with_query`.
fn online_mode(name: &str, connector_url: &str, with_query: bool) -> Value {
    let mut body = json!({
        "name": name, "isOnline": 1,
        "payUrl": format!("{connector_url}/connector/pay"),
        "refundUrl": format!("{connector_url}/connector/refund"),
    });
    if with_query {
        body["queryUrl"] = json!(format!("{connector_url}/connector/query"));
    }
    body
}

pub fn pay_body(mode: &str, client_pay_no: &str, amount: i64, script: &str) -> Value {
    json!({
        "payModeUUID": mode, "payer": "A", "payee": "http://shops.example/s1", "payAmount": amount,
        "clientPayNo": client_pay_no, "payParams": {"script": script},
        "clientExtraParams": {"orderNo": "P201807050001", "orderAmount": 210, "receiveableAmount": 210}
    })
}

/// Polls `check` until it holds; panics naming `what` after `secs`.
pub async fn eventually(secs: u64, what: &str, mut check: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while !check() {
        assert!(
            std::time::Instant::now() < deadline,
            "{what} did not happen within {secs} s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// payorder-service's contradictions seen at `source` so far (process-wide: compare a before
/// and an after).
pub fn contradictions(source: &str) -> u64 {
    let labels = payserver_shared::metrics::ContradictionLabels {
        service: "payorder".into(),
        source: source.into(),
    };
    payserver_shared::metrics::metrics()
        .contradictions
        .get_or_create(&labels)
        .get()
}

/// A service token, for the internal routes.
pub fn service() -> String {
    testing::service_token()
}
