use std::time::Duration;

use connector_contract::Connector;
use connector_contract::scripted::{self, Scripted};
use payserver_shared::config::Settings;
use payserver_shared::testing::{self, Api, TestConnector, TestSystem};
pub use payserver_shared::testing::{assert_envelope, merchant_token as merchant, read};
use serde_json::{Value, json};

use crate::flaky::{self, Flaky};

pub const CASH: &str = "C924182F-581B-4990-944A-ABCAB8E552B3";

pub struct TestApp {
    /// refund-service.
    pub address: String,
    pub payorder: String,
    pub paymode: String,
    pub client: reqwest::Client,
    pub connector: TestConnector<Scripted>,
    /// The `flaky` connector (tests/api/flaky.rs).
    pub flaky: TestConnector<Flaky>,
    /// What another refund-service on the same database is built with (its port picked when
    /// it starts).
    pub settings: Settings,
    /// template, paymode, payorder and refund services.
    _system: TestSystem,
}

/// template, paymode, payorder and refund services (a `TestSystem`), plus the scripted and
/// the flaky connector.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// [`spawn_app`] with settings changed by `adjust` before anything starts.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let mut system = TestSystem::new(&["template", "paymode", "payorder", "refund"]);
    let settings = &mut system.settings;
    settings.payorder.connector_timeout_ms = 2000;
    settings.refund.connector_timeout_ms = 2000;
    settings.refund.resolver_interval_ms = 100;
    settings.refund.resolver_backoff_ms = 100;
    settings.refund.resolver_backoff_max_ms = 400;
    let connector = testing::register_connector(settings, Scripted::NAME, scripted::spawn);
    let flaky = testing::register_connector(settings, flaky::NAME, flaky::spawn);
    adjust(settings);
    system.start(template_service::Application::build).await;
    let paymode = system.start(paymode_service::Application::build).await;
    let payorder = system.start(payorder_service::Application::build).await;
    let address = system.start(refund_service::Application::build).await;
    let mut settings = system.settings.clone();
    settings.services.get_mut("refund").unwrap().port = 0;

    TestApp {
        address,
        payorder,
        paymode,
        client: reqwest::Client::new(),
        connector,
        flaky,
        settings,
        _system: system,
    }
}

/// Where a test's pay order is paid: `m1`'s cash mode, or an online mode of `m1`'s on the
/// scripted or the flaky connector (with its queryUrl when `with_query`).
#[derive(Debug, Clone, Copy)]
pub enum Paid {
    Cash,
    Scripted { with_query: bool },
    Flaky { with_query: bool },
}

/// What most tests start from: the services, `m1`'s token and the tractionNo of a payed order
/// of `m1`'s.
pub struct Start {
    pub app: TestApp,
    pub m: String,
    pub pay: String,
}

/// A fresh app ([`spawn_app`]) and a payed order of `amount` on `paid`.
pub async fn start(paid: Paid, amount: i64) -> Start {
    start_with(|_| {}, paid, amount).await
}

/// As [`start`], on an app whose settings `adjust` changed first ([`spawn_app_with`]).
pub async fn start_with(adjust: impl FnOnce(&mut Settings), paid: Paid, amount: i64) -> Start {
    let app = spawn_app_with(adjust).await;
    let pay = match paid {
        Paid::Cash => app.paid_cash("m1", amount).await,
        Paid::Scripted { with_query } => app.paid_online("m1", amount, with_query).await,
        Paid::Flaky { with_query } => app.paid_at(&app.flaky.url, "m1", amount, with_query).await,
    };
    Start {
        app,
        m: merchant("m1"),
        pay,
    }
}

/// Starts (another) refund-service on the same database; its address.
pub async fn start_refund_service(settings: &Settings) -> String {
    testing::start_replica(settings, "refund", refund_service::Application::build).await
}

impl TestApp {
    /// A GET on the public routes of the service at `base`.
    pub async fn get(&self, base: &str, path: &str, token: &str) -> (u16, Value) {
        Api::public(base).get(path, token).await
    }

    /// A POST on the public routes of the service at `base`.
    pub async fn post(&self, base: &str, path: &str, token: &str, body: &Value) -> (u16, Value) {
        Api::public(base).post(path, token, body).await
    }

    pub async fn refund(&self, token: &str, body: &Value) -> (u16, Value) {
        self.post(&self.address, "refund", token, body).await
    }

    pub async fn pay_order(&self, token: &str, traction_no: &str) -> Value {
        let (_, list) = self
            .get(&self.payorder, &format!("payOrders?tractionNo={traction_no}"), token)
            .await;
        list["items"][0].clone()
    }

    /// The refund rows of pay order `order`'s journal (a page).
    pub async fn refund_trades(&self, token: &str, order: &Value) -> Value {
        let uuid = order["uuid"].as_str().unwrap();
        let path = format!("payOrders/{uuid}/tradeRecords?tradeType=refund");
        self.get(&self.payorder, &path, token).await.1
    }

    /// Checks the pay order of `traction_no` now has refunded `refund_amount` and is `status`;
    /// the order.
    pub async fn assert_pay_order(&self, token: &str, traction_no: &str, refund_amount: i64, status: &str) -> Value {
        let order = self.pay_order(token, traction_no).await;
        assert_eq!(
            (order["refundAmount"].as_i64(), order["status"].as_str()),
            (Some(refund_amount), Some(status)),
            "{order}"
        );
        order
    }

    async fn open_mode(&self, merchant_uuid: &str, body: Value) -> String {
        let (status, mode) = self
            .post(&self.paymode, "payModes", &merchant(merchant_uuid), &body)
            .await;
        assert_eq!(status, 201, "{mode}");
        mode["uuid"].as_str().unwrap().to_string()
    }

    /// A payed order of `amount` on the scripted connector; its tractionNo.
    pub async fn paid_online(&self, merchant_uuid: &str, amount: i64, with_query: bool) -> String {
        self.paid_at(&self.connector.url, merchant_uuid, amount, with_query)
            .await
    }

    /// A payed order of `amount` on the connector at `base`; its tractionNo.
    pub async fn paid_at(&self, base: &str, merchant_uuid: &str, amount: i64, with_query: bool) -> String {
        let mode = self
            .open_mode(merchant_uuid, testing::online_mode("online", base, with_query))
            .await;
        self.pay(merchant_uuid, &mode, amount, "ok").await
    }

    pub async fn paid_cash(&self, merchant_uuid: &str, amount: i64) -> String {
        let mode = self.open_mode(merchant_uuid, json!({"payTemplateId": CASH})).await;
        self.pay(merchant_uuid, &mode, amount, "ok").await
    }

    pub async fn pay(&self, merchant_uuid: &str, mode: &str, amount: i64, script: &str) -> String {
        let body = json!({"payModeUUID": mode, "payAmount": amount, "clientPayNo": payserver_shared::ids::new_uuid(), "payParams": {"script": script}});
        let (status, answer) = self.post(&self.payorder, "pay", &merchant(merchant_uuid), &body).await;
        assert_eq!(status, 200, "{answer}");
        answer["data"]["tractionNo"].as_str().unwrap().to_string()
    }

    pub async fn notify(&self, token: &str, body: &Value) -> (u16, Value) {
        self.post(&self.address, "refundNotify", token, body).await
    }

    pub async fn refund_order(&self, uuid: &str, token: &str) -> Value {
        let (status, r) = self.get(&self.address, &format!("refundOrders/{uuid}"), token).await;
        assert_eq!(status, 200, "{r}");
        r
    }

    /// Polls a refund until it is no longer in flight.
    pub async fn wait_refund(&self, uuid: &str, token: &str, secs: u64) -> Value {
        let path = format!("refundOrders/{uuid}");
        testing::poll(
            Duration::from_secs(secs),
            Duration::from_millis(100),
            || async { self.get(&self.address, &path, token).await.1 },
            |r| r["status"] != "unRefund" && r["status"] != "refunding",
        )
        .await
    }
}

pub fn refund_body(pay_traction_no: &str, client_refund_no: &str, amount: Option<i64>, script: &str) -> Value {
    let mut b = json!({"payTractionNo": pay_traction_no, "clientRefundNo": client_refund_no, "isCancel": 0,
        "clientExtraParams": {"refundScript": script, "operatorName": "小美"}});
    if let Some(a) = amount {
        b["refundAmount"] = json!(a);
    }
    b
}

/// Checks a refund's answer: accepted (200) for `amount` (`why` says what that shows).
pub fn assert_refund_amount(status: u16, answer: &Value, amount: i64, why: &str) {
    assert_eq!(
        (status, answer["data"]["refundAmount"].as_i64()),
        (200, Some(amount)),
        "{why}: {answer}"
    );
}

/// Polls `check` every 50 ms until it holds; panics with `what` after `secs`.
pub async fn wait_until(secs: u64, what: &str, check: impl AsyncFnMut() -> bool) {
    let held = testing::poll(Duration::from_secs(secs), Duration::from_millis(50), check, |held| {
        *held
    })
    .await;
    assert!(held, "timed out waiting until {what}");
}

/// How often a contradiction was counted in this process (tests of one binary share it).
pub fn contradictions(source: &str) -> u64 {
    testing::contradictions("refund", source)
}
