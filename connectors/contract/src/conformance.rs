//! A conformance kit for connector crates. From its own tests a connector starts itself
//! (port 0, a test database), prepares the data a successful and a failing pay need (an
//! accounter with credit, a member with a balance, ...) and calls [`check`]. Every violation
//! panics with what the contract expected.

use std::future::Future;
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

use crate::types::*;

/// Polls `query` (a contract `query` call: its status and body) every 50 ms until the trade
/// is no longer running, for at most `limit`; a status but 200 panics with `label` and the
/// body, a trade still running after `limit` with `running`'s text. For the tests of
/// connectors that resolve trades in the background.
pub async fn until_final<Q, F>(
    limit: Duration,
    label: &str,
    query: Q,
    running: impl Fn(&TradeAnswer) -> String,
) -> TradeAnswer
where
    Q: Fn() -> F,
    F: Future<Output = (u16, Value)>,
{
    let started = Instant::now();
    loop {
        let (status, body) = query().await;
        assert_eq!(status, 200, "{label}{body}");
        let a: TradeAnswer = serde_json::from_value(body).unwrap();
        if a.ret != Ret::Running {
            return a;
        }
        assert!(started.elapsed() < limit, "{}", running(&a));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// What the kit needs to know about the connector under test.
pub struct Fixture {
    /// e.g. `http://127.0.0.1:41234` (the kit appends `/connector/...`).
    pub base_url: String,
    /// A token with the `service` role accepted by the connector.
    pub service_token: String,
    pub merchant_uuid: String,
    /// payParams with which a pay of `amount` succeeds (or runs).
    pub pay_params_ok: Map<String, Value>,
    /// payParams with which a pay is refused by the channel's rules (`ret: failed`).
    pub pay_params_failing: Map<String, Value>,
    pub amount: i64,
    pub supports_query: bool,
}

fn serial(prefix: char) -> String {
    let digits: String = payserver_shared::ids::new_uuid()
        .bytes()
        .map(|b| char::from(b'0' + b % 10))
        .collect();
    format!("{prefix}{digits}")
}

fn pay_request(f: &Fixture, traction_no: &str, params: &Map<String, Value>) -> PayRequest {
    PayRequest {
        payer: Some("conformance".into()),
        payee: Some(format!("http://shops.example/{}", f.merchant_uuid)),
        pay_amount: f.amount,
        traction_no: traction_no.to_string(),
        client_pay_no: format!("c{traction_no}"),
        order_start_at: "2026-01-01 00:00:00".into(),
        order_expired_at: "2026-01-02 00:00:00".into(),
        pay_params: params.clone(),
        client_extra_params: Map::new(),
        pay_start_at: "2026-01-01 00:00:00".into(),
        notify_url: None,
        merchant_uuid: f.merchant_uuid.clone(),
        pay_template_id: None,
    }
}

async fn post(http: &reqwest::Client, f: &Fixture, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
    let mut rb = http.post(format!("{}/connector/{path}", f.base_url)).json(&body);
    if let Some(t) = token {
        rb = rb.bearer_auth(t);
    }
    let resp = rb
        .send()
        .await
        .unwrap_or_else(|e| panic!("connector unreachable at {}: {e}", f.base_url));
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap_or_default();
    let value =
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("{path} answered {status} with non-JSON: {text}"));
    (status, value)
}

fn answer(path: &str, status: u16, body: Value) -> TradeAnswer {
    assert_eq!(status, 200, "{path} must answer 200 with the contract body: {body}");
    serde_json::from_value(body.clone())
        .unwrap_or_else(|e| panic!("{path} answer is not the contract shape ({e}): {body}"))
}

fn assert_envelope(what: &str, status: u16, body: &Value, want: u16) {
    assert_eq!(status, want, "{what}: {body}");
    for key in ["name", "statusCode", "code", "message", "description"] {
        assert!(
            body.get(key).is_some(),
            "{what}: the error envelope lacks {key}: {body}"
        );
    }
}

/// Runs every check against a running connector.
pub async fn check(f: &Fixture) {
    let http = reqwest::Client::new();
    let token = Some(f.service_token.as_str());

    // Pay, then the same tractionNo again: the same operation, the same answer.
    let traction = serial('1');
    let body = serde_json::to_value(pay_request(f, &traction, &f.pay_params_ok)).unwrap();
    let (s, b) = post(&http, f, "pay", token, body.clone()).await;
    let first = answer("pay", s, b);
    assert_eq!(first.traction_no, traction, "pay must echo the tractionNo");
    assert_ne!(first.ret, Ret::Failed, "pay with pay_params_ok failed: {first:?}");
    let (s, b) = post(&http, f, "pay", token, body).await;
    let again = answer("pay (repeated)", s, b);
    assert_eq!(again.ret, first.ret, "a repeated tractionNo must get the same outcome");
    assert_eq!(
        again.third_order_no, first.third_order_no,
        "a repeated tractionNo is the same operation"
    );

    if f.supports_query {
        let (s, b) = post(&http, f, "query", token, json!({"tractionNo": traction, "kind": "pay"})).await;
        let q = answer("query", s, b);
        assert_eq!(
            (q.traction_no.as_str(), q.ret),
            (traction.as_str(), first.ret),
            "query must report the pay's outcome"
        );
        let (s, b) = post(
            &http,
            f,
            "query",
            token,
            json!({"tractionNo": serial('1'), "kind": "pay"}),
        )
        .await;
        assert_envelope("query of a tractionNo never seen", s, &b, 404);
    }

    // Refund the pay, twice with one refund tractionNo: one refund.
    if first.ret == Ret::Success {
        let refund_traction = serial('2');
        let refund = json!({
            "clientRefundNo": format!("r{refund_traction}"), "tractionNo": refund_traction, "payTractionNo": traction,
            "thirdPayNo": first.third_order_no, "payAmount": f.amount, "refundAmount": f.amount, "isCancel": 0,
            "merchantUUID": f.merchant_uuid, "clientExtraParams": {}
        });
        let (s, b) = post(&http, f, "refund", token, refund.clone()).await;
        let r1 = answer("refund", s, b);
        assert_ne!(r1.ret, Ret::Failed, "refunding a successful pay failed: {r1:?}");
        let (s, b) = post(&http, f, "refund", token, refund).await;
        let r2 = answer("refund (repeated)", s, b);
        assert_eq!(
            (r2.ret, &r2.third_order_no),
            (r1.ret, &r1.third_order_no),
            "a repeated refund tractionNo is the same refund"
        );
    }

    // The channel's own refusal is a definite failure with a reason.
    let body = serde_json::to_value(pay_request(f, &serial('1'), &f.pay_params_failing)).unwrap();
    let (s, b) = post(&http, f, "pay", token, body).await;
    let refused = answer("pay (failing)", s, b);
    assert_eq!(
        refused.ret,
        Ret::Failed,
        "pay with pay_params_failing must fail: {refused:?}"
    );
    assert!(
        refused.third_error_reason.as_deref().is_some_and(|r| !r.is_empty()),
        "a failure must say why"
    );

    // Contract errors: envelopes, not answers.
    let mut bad = serde_json::to_value(pay_request(f, &serial('1'), &f.pay_params_ok)).unwrap();
    bad["payAmount"] = json!(0);
    let (s, b) = post(&http, f, "pay", token, bad).await;
    assert_envelope("payAmount 0", s, &b, 400);
    let (s, b) = post(&http, f, "pay", token, json!({"tractionNo": "1"})).await;
    assert_envelope("a body without the contract's fields", s, &b, 400);
    let (s, b) = post(&http, f, "pay", None, json!({})).await;
    assert_envelope("no token", s, &b, 401);

    let (s, b) = post(
        &http,
        f,
        "checkEnv",
        token,
        json!({"merchantUUID": f.merchant_uuid, "payTemplateId": "X"}),
    )
    .await;
    assert_eq!(s, 200, "checkEnv: {b}");
    let env: CheckEnvAnswer = serde_json::from_value(b.clone()).unwrap_or_else(|e| panic!("checkEnv shape ({e}): {b}"));
    assert_eq!(env.merchant_uuid, f.merchant_uuid);
}
