use actix_web::web;
use connector_contract::scripted::{self, Scripted};
use payserver_shared::config::Settings;
use payserver_shared::testing::{self, Api, TestSystem};
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
    pub connector: web::Data<Scripted>,
    pub connector_url: String,
    /// The `flaky` connector (tests/api/flaky.rs).
    pub flaky: web::Data<Flaky>,
    pub flaky_url: String,
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
    let connector = web::Data::new(Scripted::default());
    let connector_url = scripted::spawn(connector.clone());
    settings
        .auth
        .partner_connectors
        .insert("scripted".into(), connector_url.clone());
    let flaky = web::Data::new(Flaky::default());
    let flaky_url = flaky::spawn(flaky.clone());
    settings
        .auth
        .partner_connectors
        .insert(flaky::NAME.into(), flaky_url.clone());
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
        connector_url,
        flaky,
        flaky_url,
        settings,
        _system: system,
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

    async fn open_mode(&self, merchant_uuid: &str, body: Value) -> String {
        let (status, mode) = self
            .post(&self.paymode, "payModes", &merchant(merchant_uuid), &body)
            .await;
        assert_eq!(status, 201, "{mode}");
        mode["uuid"].as_str().unwrap().to_string()
    }

    /// A payed order of `amount` on the scripted connector; its tractionNo.
    pub async fn paid_online(&self, merchant_uuid: &str, amount: i64, with_query: bool) -> String {
        self.paid_at(&self.connector_url, merchant_uuid, amount, with_query)
            .await
    }

    /// A payed order of `amount` on the connector at `base`; its tractionNo.
    pub async fn paid_at(&self, base: &str, merchant_uuid: &str, amount: i64, with_query: bool) -> String {
        let mut body = json!({"name": "online", "isOnline": 1,
            "payUrl": format!("{base}/connector/pay"),
            "refundUrl": format!("{base}/connector/refund")});
        if with_query {
            body["queryUrl"] = json!(format!("{base}/connector/query"));
        }
        let mode = self.open_mode(merchant_uuid, body).await;
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
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
        loop {
            let (_, r) = self.get(&self.address, &format!("refundOrders/{uuid}"), token).await;
            let open = r["status"] == "unRefund" || r["status"] == "refunding";
            if !open || std::time::Instant::now() > deadline {
                return r;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
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

/// Polls `check` every 50 ms until it holds; panics with `what` after `secs`.
pub async fn wait_until<F, Fut>(secs: u64, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while !check().await {
        assert!(std::time::Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// How often a contradiction was counted in this process (tests of one binary share it).
pub fn contradictions(source: &str) -> u64 {
    payserver_shared::metrics::metrics()
        .contradictions
        .get_or_create(&payserver_shared::metrics::ContradictionLabels {
            service: "refund".into(),
            source: source.into(),
        })
        .get()
}
