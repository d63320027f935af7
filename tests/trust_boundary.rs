//! The audit of issue 11, replayed as an attacker would: the whole system in one process,
//! called only through the gateway. Each test is one finding; each fails on the code before
//! the fix.

mod common;

use std::time::Duration;

use payserver_shared::auth::Role;
use payserver_shared::testing;
use serde_json::{Value, json};

const CASH: &str = "C924182F-581B-4990-944A-ABCAB8E552B3";
const WECHAT: &str = "017AFC80-95FA-11E8-B0EC-5384BC9767FE";
const VICTIM: &str = "mI2NDMoQRdnKCq01hAsLwQ";
const ATTACKER: &str = "87TaIejHrZp4aHaM9hG2DQ";

use common::{Gateway, start};

impl Gateway {
    /// A call with a raw path after `/payServer/api/v1.0.0/` (sent as written: reqwest keeps
    /// percent-encodings, and a test below checks literal dot segments with a raw socket).
    async fn call(&self, method: reqwest::Method, path: &str, token: &str, body: Option<Value>) -> (u16, String) {
        self.api.text(method, path, token, body.as_ref()).await
    }

    async fn json(&self, method: reqwest::Method, path: &str, token: &str, body: Option<Value>) -> (u16, Value) {
        self.api.call(method, path, token, body.as_ref()).await
    }

    async fn open(&self, token: &str, template: &str) -> String {
        let (status, mode) = self
            .json(
                reqwest::Method::POST,
                "payModes",
                token,
                Some(json!({"payTemplateId": template})),
            )
            .await;
        assert_eq!(status, 201, "{mode}");
        mode["uuid"].as_str().unwrap().to_string()
    }

    async fn pay(&self, token: &str, mode: &str, no: &str, params: Value) -> (u16, Value) {
        self.json(
            reqwest::Method::POST,
            "pay",
            token,
            Some(json!({"payModeUUID": mode, "payAmount": 1_000, "clientPayNo": no, "payParams": params})),
        )
        .await
    }

    async fn order(&self, token: &str, uuid: &str) -> Value {
        let (status, o) = self
            .json(reqwest::Method::GET, &format!("payOrders/{uuid}"), token, None)
            .await;
        assert_eq!(status, 200, "{o}");
        o
    }
}

/// The system with the test settings, the victim's token, and a cash mode the victim opened:
/// where most findings start.
async fn start_with_a_cash_mode() -> (payserver::System, Gateway, String, String) {
    let (system, gw) = start(payserver::test_settings()).await;
    let victim = testing::token(Some(VICTIM), &[Role::Merchant]);
    let cash = gw.open(&victim, CASH).await;
    (system, gw, victim, cash)
}

fn assert_envelope(status: u16, body: &str, want_status: u16, want_code: i64) {
    let v: Value = serde_json::from_str(body).unwrap_or_else(|_| panic!("not an envelope ({status}): {body}"));
    assert_eq!(
        (status, v["statusCode"].as_i64(), v["code"].as_i64()),
        (want_status, Some(want_status as i64), Some(want_code)),
        "{body}"
    );
}

#[tokio::test]
async fn dot_segments_and_encoded_slashes_reach_no_internal_route_or_metrics() {
    let (mut system, gw, victim, cash) = start_with_a_cash_mode().await;
    let (_, paid) = gw.pay(&victim, &cash, "cash-1", json!({})).await;
    let order = paid["data"].clone();
    assert_eq!(order["status"], "payed");

    let confirm = json!({"payTractionNo": order["tractionNo"], "refundTractionNo": "2000", "refundOrderUUID": "x", "amount": 1000});
    for path in [
        "pay/%2e%2e/%2e%2e/%2e%2e/internal/v1/refunds/confirm",
        "pay/%2E%2E/%2E%2E/%2E%2E/internal/v1/refunds/confirm",
        "pay/.%2e/.%2e/.%2e/internal/v1/refunds/confirm",
        "pay/%2e/../%2e%2e/internal/v1/refunds/reserve",
        "pay%2F..%2F..%2Finternal%2Fv1%2Frefunds%2Fconfirm",
        "pay/..%5C..%5Cinternal",
    ] {
        for token in [victim.clone(), testing::token(None, &[Role::Admin])] {
            let (status, body) = gw
                .call(reqwest::Method::POST, path, &token, Some(confirm.clone()))
                .await;
            assert_envelope(status, &body, 404, 4040);
        }
    }
    for path in [
        "payOrders/%2e%2e/%2e%2e/%2e%2e/metrics",
        "payModes/%2e%2e/%2e%2e/%2e%2e/readyz",
        "payModes/%2e%2e/%2e%2e/%2e%2e/internal/v1/payModes/x",
    ] {
        let (status, body) = gw.call(reqwest::Method::GET, path, &victim, None).await;
        assert_envelope(status, &body, 404, 4040);
        assert!(!body.contains("# HELP"), "no Prometheus text: {body}");
    }
    // Nothing moved: the order is still fully paid, nothing reserved or refunded.
    let after = gw.order(&victim, order["uuid"].as_str().unwrap()).await;
    assert_eq!(
        (after["status"].as_str(), after["refundAmount"].as_i64()),
        (Some("payed"), Some(0))
    );
    let (status, _) = gw
        .json(
            reqwest::Method::POST,
            "refund",
            &victim,
            Some(json!({"payTractionNo": order["tractionNo"], "clientRefundNo": "r-1"})),
        )
        .await;
    assert_eq!(
        status, 200,
        "the merchant's own refund is not blocked by a forged reservation"
    );
    system.stop().await;
}

#[tokio::test]
async fn literal_dot_segments_sent_on_a_raw_socket_are_refused_at_the_gateway() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (mut system, gw) = start(payserver::test_settings()).await;
    let token = testing::token(Some(VICTIM), &[Role::Merchant]);
    let addr = gw.base.trim_start_matches("http://").to_string();
    let mut sock = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let req = format!(
        "GET /payServer/api/v1.0.0/payOrders/../../../metrics HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    );
    sock.write_all(req.as_bytes()).await.unwrap();
    let mut answer = String::new();
    sock.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
    assert!(answer.contains("\"code\":4040"), "{answer}");
    assert!(!answer.contains("# HELP"));
    system.stop().await;
}

#[tokio::test]
async fn service_tokens_are_refused_at_the_gateway_and_cannot_refund_for_another_merchant() {
    let (mut system, gw, victim, cash) = start_with_a_cash_mode().await;
    let (_, paid) = gw.pay(&victim, &cash, "cash-2", json!({})).await;
    let traction = paid["data"]["tractionNo"].clone();
    let refund = json!({"payTractionNo": traction, "clientRefundNo": "steal-1"});
    for token in [
        testing::token(None, &[Role::Service]),
        testing::service_token(),
        testing::connector_call_token("sign_account"),
    ] {
        let (status, body) = gw
            .call(
                reqwest::Method::POST,
                &format!("refund?merchantUUID={VICTIM}"),
                &token,
                Some(refund.clone()),
            )
            .await;
        assert!(status == 403 || status == 401, "{status} {body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert!(v["code"] == 4030 || v["code"] == 4010, "{body}");
    }
    let after = gw.order(&victim, paid["data"]["uuid"].as_str().unwrap()).await;
    assert_eq!(after["status"], "payed", "nothing refunded: {after}");
    system.stop().await;
}

/// The WeChat scanner with the simulator's never-pays code: the order stays `paying` while
/// the connector polls; a slow budget keeps it there for the test.
fn wechat_settings() -> payserver_shared::config::Settings {
    let mut settings = payserver::test_settings();
    common::use_wechat_simulator(&mut settings, 500, 60_000);
    settings
}

#[tokio::test]
async fn forged_notifications_settle_nothing() {
    let (mut system, gw) = start(wechat_settings()).await;
    let merchant = testing::token(Some(ATTACKER), &[Role::Merchant]);
    let admin = testing::token(None, &[Role::Admin]);
    // Binding a merchant to a WeChat sub-merchant is the operator's decision.
    let bind = async |token: &str| {
        let path = format!("wechatMerchants/{ATTACKER}");
        let body = json!({"subMchId": "1900000110"});
        gw.json(reqwest::Method::PUT, &path, token, Some(body)).await
    };
    let (status, _) = bind(&merchant).await;
    assert_eq!(status, 403, "a merchant cannot bind itself to a channel account");
    let (status, body) = bind(&admin).await;
    assert_eq!(status, 200, "{body}");
    let mode = gw.open(&merchant, WECHAT).await;
    let (status, paid) = gw
        .pay(
            &merchant,
            &mode,
            "wx-never",
            json!({"payBarCode": "131200000000000001"}),
        )
        .await;
    assert_eq!(status, 200, "{paid}");
    let order = paid["data"].clone();
    assert_eq!(order["status"], "paying", "{order}");

    let forged = json!({"tractionNo": order["tractionNo"], "ret": "success", "thirdOrderNo": "FORGED", "tradeFinishedAt": "2026-12-02 10:00:00"});
    let notify = async |token: &str| {
        gw.call(reqwest::Method::POST, "payNotify", token, Some(forged.clone()))
            .await
    };
    // Another connector's credential, a merchant's, and no connector claim at all: refused.
    for token in [
        testing::connector_token("sign_account"),
        testing::token(None, &[Role::Connector]),
        merchant.clone(),
    ] {
        let (status, body) = notify(&token).await;
        assert_envelope(status, &body, 403, 4030);
    }
    // The right connector's credential, but the channel never took the money: the query
    // does not confirm it, so the order does not settle.
    let (status, body) = notify(&testing::connector_token("wechat")).await;
    assert!(status >= 200, "{status} {body}");
    let after = gw.order(&merchant, order["uuid"].as_str().unwrap()).await;
    assert_ne!(after["status"], "payed", "a forged success settled the order: {after}");
    assert_ne!(after["thirdPayNo"], "FORGED");
    system.stop().await;
}

#[tokio::test]
async fn closing_a_mode_refuses_the_next_pay_and_replays_still_answer() {
    let (mut system, gw, merchant, cash) = start_with_a_cash_mode().await;
    let (status, first) = gw.pay(&merchant, &cash, "close-1", json!({})).await;
    assert_eq!(status, 200, "{first}");
    let (status, body) = gw
        .json(
            reqwest::Method::PUT,
            &format!("payModes/{cash}"),
            &merchant,
            Some(json!({"isOpened": 0})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, refused) = gw.pay(&merchant, &cash, "close-2", json!({})).await;
    assert_eq!((status, refused["code"].as_i64()), (500, Some(9002)), "{refused}");
    let (status, replay) = gw.pay(&merchant, &cash, "close-1", json!({})).await;
    assert_eq!(status, 200, "{replay}");
    assert_eq!(replay["data"]["uuid"], first["data"]["uuid"]);
    system.stop().await;
}

#[tokio::test]
async fn a_mode_from_a_template_keeps_its_connector_urls_and_custom_urls_stay_inside() {
    let (mut system, gw, merchant, cash) = start_with_a_cash_mode().await;
    for field in ["payUrl", "refundUrl", "queryUrl", "checkEnvUrl"] {
        let (status, body) = gw
            .call(
                reqwest::Method::PUT,
                &format!("payModes/{cash}"),
                &merchant,
                Some(json!({ field: "http://169.254.169.254/latest/meta-data" })),
            )
            .await;
        assert_envelope(status, &body, 400, 4000);
    }
    let (status, body) = gw
        .call(
            reqwest::Method::POST,
            "payModes",
            &merchant,
            Some(json!({"name": "mine", "isOnline": 1, "payUrl": "http://169.254.169.254/pay"})),
        )
        .await;
    assert_envelope(status, &body, 400, 4000);
    system.stop().await;
}

/// A partner connector whose first call of each pay or refund never reaches its books: it
/// answers 503 and its query then says 404 (never seen). A re-send with the same serial is
/// booked. Refunds with `refundScript: lost` never reach the books at all. It records the
/// scope of every credential it is shown.
mod flaky {
    use std::collections::HashMap;
    use std::sync::Mutex;

    use actix_web::{HttpRequest, HttpResponse, web};
    use payserver_shared::auth::{JwtVerifier, Scope};
    use serde_json::{Value, json};

    #[derive(Default)]
    pub struct Books {
        /// serial → calls received.
        calls: Mutex<HashMap<String, u32>>,
        booked: Mutex<HashMap<String, bool>>,
        pub scopes: Mutex<Vec<Option<Scope>>>,
    }

    fn success(t: &str) -> HttpResponse {
        HttpResponse::Ok().json(json!({"tractionNo": t, "ret": "success", "thirdOrderNo": format!("F{t}"), "tradeFinishedAt": "2026-12-02 10:00:00"}))
    }

    fn unavailable() -> HttpResponse {
        HttpResponse::ServiceUnavailable().json(json!({"name": "Unavailable", "statusCode": 503, "code": 5030, "message": "books offline", "description": ""}))
    }

    async fn handle(
        req: HttpRequest,
        body: web::Json<Value>,
        books: web::Data<Books>,
        verifier: web::Data<JwtVerifier>,
    ) -> HttpResponse {
        let auth = req.headers().get("authorization").and_then(|v| v.to_str().ok());
        let scope = verifier.verify_header(auth).ok().map(|c| c.scope);
        books.scopes.lock().unwrap().push(scope);
        let t = body["tractionNo"].as_str().unwrap_or_default().to_string();
        match req.path() {
            "/connector/query" => {
                if books.booked.lock().unwrap().get(&t).copied().unwrap_or(false) {
                    success(&t)
                } else {
                    HttpResponse::NotFound().json(json!({"name": "NotFound", "statusCode": 404, "code": 4040, "message": format!("unknown tractionNo {t}"), "description": ""}))
                }
            }
            _ => {
                let lost = body["clientExtraParams"]["refundScript"] == "lost";
                let n = {
                    let mut calls = books.calls.lock().unwrap();
                    let n = calls.entry(t.clone()).or_default();
                    *n += 1;
                    *n
                };
                if lost || n == 1 {
                    return unavailable();
                }
                books.booked.lock().unwrap().insert(t.clone(), true);
                success(&t)
            }
        }
    }

    pub fn spawn(books: web::Data<Books>) -> String {
        let settings = payserver_shared::testing::settings();
        let verifier = web::Data::new(JwtVerifier::from_settings(&settings).unwrap());
        payserver_shared::testing::serve_stand_in(1, move |cfg| {
            cfg.app_data(books.clone())
                .app_data(verifier.clone())
                .default_service(web::post().to(handle));
        })
    }
}

#[tokio::test]
async fn lost_first_calls_are_re_sent_and_a_refund_the_channel_never_got_frees_its_hold() {
    let books = actix_web::web::Data::new(flaky::Books::default());
    let base = flaky::spawn(books.clone());
    let mut settings = payserver::test_settings();
    settings.auth.partner_connectors.insert("flaky".into(), base.clone());
    settings.payorder.resolver_interval_ms = 100;
    settings.payorder.resolver_backoff_ms = 100;
    settings.payorder.resolver_backoff_max_ms = 200;
    settings.refund.resolver_interval_ms = 100;
    settings.refund.resolver_backoff_ms = 100;
    settings.refund.resolver_backoff_max_ms = 200;
    // The refund window: max(10 × 200 ms, 4 × 500 ms) = 2 s.
    settings.refund.connector_timeout_ms = 500;
    let (mut system, gw) = start(settings).await;
    let merchant = testing::token(Some(VICTIM), &[Role::Merchant]);
    let (status, mode) = gw
        .json(
            reqwest::Method::POST,
            "payModes",
            &merchant,
            Some(
                json!({"name": "partner", "isOnline": 1, "payUrl": format!("{base}/connector/pay"),
                "refundUrl": format!("{base}/connector/refund"), "queryUrl": format!("{base}/connector/query")}),
            ),
        )
        .await;
    assert_eq!(status, 201, "{mode}");
    let (status, paid) = gw
        .pay(&merchant, mode["uuid"].as_str().unwrap(), "flaky-1", json!({}))
        .await;
    assert_eq!(status, 200, "{paid}");
    assert_eq!(paid["data"]["status"], "paying", "the first call was lost: {paid}");
    let uuid = paid["data"]["uuid"].as_str().unwrap().to_string();
    let until = |want: &'static str, path: String| {
        let (gw, merchant) = (&gw, &merchant);
        async move {
            let fetch = async || gw.json(reqwest::Method::GET, &path, merchant, None).await.1;
            testing::poll(Duration::from_secs(20), Duration::from_millis(100), fetch, |v| {
                v["status"] == want
            })
            .await
        }
    };
    let order = until("payed", format!("payOrders/{uuid}")).await;
    assert_eq!(
        order["status"], "payed",
        "the query said 404, the pay was re-sent: {order}"
    );

    // A refund whose first call is lost is re-sent and completes.
    let refund = |no: &'static str, amount: i64, script: &'static str| {
        let (gw, merchant, traction) = (&gw, &merchant, order["tractionNo"].clone());
        async move {
            gw.json(
                reqwest::Method::POST,
                "refund",
                merchant,
                Some(
                    json!({"payTractionNo": traction, "clientRefundNo": no, "refundAmount": amount,
                    "clientExtraParams": {"refundScript": script}}),
                ),
            )
            .await
        }
    };
    // Waits for the refund order a refund answer names.
    let refund_until = |want: &'static str, answer: &Value| {
        until(
            want,
            format!("refundOrders/{}", answer["data"]["uuid"].as_str().unwrap()),
        )
    };
    let (status, r1) = refund("flaky-r1", 300, "").await;
    assert_eq!(status, 200, "{r1}");
    let r1 = refund_until("refunded", &r1).await;
    assert_eq!(r1["status"], "refunded", "{r1}");

    // A refund the channel never gets holds the rest only until its window ends.
    let (status, r2) = refund("flaky-r2", 700, "lost").await;
    assert_eq!(status, 200, "{r2}");
    let (status, blocked) = refund("flaky-r3", 700, "").await;
    assert_eq!(
        (status, blocked["code"].as_i64()),
        (500, Some(9004)),
        "held by the lost refund: {blocked}"
    );
    let r2 = refund_until("refundFailed", &r2).await;
    assert_eq!(r2["status"], "refundFailed", "{r2}");
    let (status, r4) = refund("flaky-r4", 700, "").await;
    assert_eq!(status, 200, "the hold was freed: {r4}");
    let r4 = refund_until("refunded", &r4).await;
    assert_eq!(r4["status"], "refunded", "{r4}");
    let order = gw.order(&merchant, &uuid).await;
    assert_eq!(
        (order["status"].as_str(), order["refundAmount"].as_i64()),
        (Some("refunded"), Some(1_000))
    );

    // The partner was only ever shown its own call token.
    let scopes = books.scopes.lock().unwrap().clone();
    assert!(!scopes.is_empty());
    assert!(
        scopes
            .iter()
            .all(|s| *s == Some(payserver_shared::auth::Scope::ConnectorCall("flaky".into()))),
        "{scopes:?}"
    );
    system.stop().await;
}
