//! WeChat and Alipay barcode pay through the gateway, the pay order and the resolver, against
//! the local simulators the one-process run starts in development: every branch of issue 6.

mod common;

use std::time::Duration;

use payserver_shared::auth::Role;
use payserver_shared::testing;
use serde_json::{Value, json};

const WECHAT: &str = "017AFC80-95FA-11E8-B0EC-5384BC9767FE";
const ALIPAY: &str = "3BEAF650-A067-11E8-A545-87065760276A";
/// The merchant every test pays for.
const MERCHANT: &str = "87TaIejHrZp4aHaM9hG2DQ";

struct Client {
    gateway: common::Gateway,
    token: String,
    /// Channel settings (sub-merchant ids, app auth tokens) are the operator's to write.
    admin: String,
}

impl Client {
    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        self.call_as(&self.token, method, path, body).await
    }

    async fn call_as(&self, token: &str, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let (status, text) = self.gateway.text(method, path, token, body.as_ref()).await;
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn pay(&self, mode: &str, no: &str, code: &str) -> Value {
        let (status, body) = self
            .call(reqwest::Method::POST, "pay", Some(json!({"payModeUUID": mode, "payAmount": 1_000, "clientPayNo": no, "payParams": {"payBarCode": code}})))
            .await;
        assert_eq!(status, 200, "{body}");
        body["data"].clone()
    }

    /// Opens a mode of the channel's `template` for the merchant: refused before the operator
    /// writes the merchant's channel settings (`body`, under `{channel}/{MERCHANT}`), opened
    /// after. The refusal, and the mode's uuid.
    async fn open_once_set_up(&self, template: &str, channel: &str, body: Value) -> ((u16, Value), String) {
        let open = json!({"payTemplateId": template});
        let refusal = self.call(reqwest::Method::POST, "payModes", Some(open.clone())).await;
        let path = format!("{channel}/{MERCHANT}");
        let (status, _) = self.call_as(&self.admin, reqwest::Method::PUT, &path, Some(body)).await;
        assert_eq!(status, 200);
        let (status, mode) = self.call(reqwest::Method::POST, "payModes", Some(open)).await;
        assert_eq!(status, 201, "{mode}");
        (refusal, mode["uuid"].as_str().unwrap().to_string())
    }

    async fn refund(&self, body: Value) -> (u16, Value) {
        self.call(reqwest::Method::POST, "refund", Some(body)).await
    }

    /// Polls `path` every 200 ms until its answer is `done` or `within` has passed.
    async fn poll(&self, path: &str, within: Duration, done: impl Fn(&Value) -> bool) -> Value {
        let fetch = async || self.call(reqwest::Method::GET, path, None).await.1;
        testing::poll(within, Duration::from_millis(200), fetch, done).await
    }

    /// Polls an order until it leaves `paying`.
    async fn settled(&self, order: &Value) -> Value {
        let path = format!("payOrders/{}", order["uuid"].as_str().unwrap());
        self.poll(&path, Duration::from_secs(20), |o| o["status"] != "paying")
            .await
    }
}

async fn start() -> (payserver::System, Client) {
    let mut settings = payserver::test_settings();
    settings.payorder.resolver_interval_ms = 200;
    settings.payorder.resolver_backoff_ms = 200;
    settings.payorder.resolver_backoff_max_ms = 1_000;
    settings.refund.resolver_interval_ms = 200;
    settings.refund.resolver_backoff_ms = 200;
    // The simulators' development credentials and short polling budgets.
    common::use_wechat_simulator(&mut settings, 200, 1500);
    settings.set_connector("alipay", json!({"gateway_url": "http://127.0.0.1:6302/gateway.do", "app_id": "2021000100000001",
               "private_key_pem_file": "config/dev-keys/alipay/app_private_key.pem",
               "alipay_public_key_pem_file": "config/dev-keys/alipay/alipay_public_key.pem",
               "query_interval_ms": 200, "query_budget_ms": 1500, "retry_max_ms": 500, "recovery_interval_ms": 200, "request_timeout_ms": 3000}),
    ).expect("valid connector settings");
    let (system, gateway) = common::start(settings).await;
    let token = testing::token(Some(MERCHANT), &[Role::Merchant]);
    (
        system,
        Client {
            gateway,
            token,
            admin: testing::token(None, &[Role::Admin]),
        },
    )
}

#[tokio::test]
async fn wechat_scanner_pays_every_branch_through_the_gateway() {
    let (mut system, c) = start().await;
    // No sub-merchant yet: checkEnv says no, opening fails with 9001 (the seed's case).
    let settings = json!({"subMchId": "1900000110"});
    let ((status, err), mode) = c.open_once_set_up(WECHAT, "wechatMerchants", settings).await;
    assert_eq!((status, err["code"].as_i64()), (500, Some(9001)), "{err}");

    let paid = c.pay(&mode, "wx-1", "134500000000000001").await;
    assert_eq!(paid["status"], "payed", "paid at once: {paid}");
    assert!(paid["thirdPayNo"].is_string());

    let userpaying = c.pay(&mode, "wx-2", "131100000000000001").await;
    assert_eq!(userpaying["status"], "paying", "the customer is entering the password");
    assert_eq!(c.settled(&userpaying).await["status"], "payed");

    let never = c.pay(&mode, "wx-3", "131200000000000001").await;
    let never = c.settled(&never).await;
    assert_eq!(never["status"], "payFailed", "reversed, never payed: {never}");

    let poor = c.pay(&mode, "wx-4", "131300000000000001").await;
    assert_eq!(poor["status"], "payFailed");
    assert!(
        poor["thirdErrorReason"].as_str().unwrap().contains("NOTENOUGH"),
        "{poor}"
    );

    let shaky = c.pay(&mode, "wx-5", "131400000000000001").await;
    assert_eq!(c.settled(&shaky).await["status"], "payed", "system error, then paid");

    let wrong_channel = c.pay(&mode, "wx-6", "281100000000000001").await;
    assert_eq!(
        wrong_channel["status"], "payFailed",
        "an Alipay code on the WeChat mode"
    );

    let (status, refund) = c
        .refund(json!({"payTractionNo": paid["tractionNo"], "clientRefundNo": "wx-r-1", "refundAmount": 400}))
        .await;
    assert_eq!(status, 200, "{refund}");
    let refund_uuid = refund["data"]["uuid"].as_str().unwrap();
    let path = format!("refundOrders/{refund_uuid}");
    let refund = c
        .poll(&path, Duration::from_secs(15), |r| {
            r["status"] == "refunded" || r["status"] == "refundFailed"
        })
        .await;
    assert_eq!(refund["status"], "refunded", "{refund}");
    system.stop().await;
}

#[tokio::test]
async fn alipay_scanner_pays_every_branch_through_the_gateway() {
    let (mut system, c) = start().await;
    let settings = json!({"appAuthToken": "202611BBa5f6c0d6a1b44ac2b2a7ff4f8c735f60"});
    let ((status, err), mode) = c.open_once_set_up(ALIPAY, "alipayMerchants", settings).await;
    assert_eq!(
        (status, err["code"].as_i64()),
        (500, Some(9001)),
        "no app_auth_token yet: {err}"
    );

    let paid = c.pay(&mode, "ali-1", "280000000000000001").await;
    assert_eq!(paid["status"], "payed", "{paid}");
    let waiting = c.pay(&mode, "ali-2", "281100000000000001").await;
    assert_eq!(c.settled(&waiting).await["status"], "payed", "10003, then paid");
    let never = c.pay(&mode, "ali-3", "281200000000000001").await;
    assert_eq!(c.settled(&never).await["status"], "payFailed", "cancelled, never payed");
    let poor = c.pay(&mode, "ali-4", "281300000000000001").await;
    assert_eq!(poor["status"], "payFailed");
    let unknown = c.pay(&mode, "ali-5", "281400000000000001").await;
    assert_eq!(c.settled(&unknown).await["status"], "payed", "20000, then paid");
    let wrong_channel = c.pay(&mode, "ali-6", "134500000000000001").await;
    assert_eq!(wrong_channel["status"], "payFailed", "a WeChat code on the Alipay mode");

    let (status, refund) = c
        .refund(json!({"payTractionNo": paid["tractionNo"], "clientRefundNo": "ali-r-1", "isCancel": 1}))
        .await;
    assert_eq!(
        (status, refund["data"]["status"].as_str()),
        (200, Some("refunded")),
        "{refund}"
    );
    system.stop().await;
}
