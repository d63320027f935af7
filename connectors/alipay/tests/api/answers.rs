//! A correctly signed answer about another order never decides ours. A stand-in between the
//! connector and the simulator gives the answers of chosen methods another `out_trade_no` and
//! signs them again with "Alipay's" development key, as only someone holding that key (or
//! replaying another trade's answer) could.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{HttpRequest, HttpResponse, web};
use alipay::domain::sign::PrivateKey;
use connector_contract::Ret;
use connector_contract::shared::testing;
use serde_json::Value;

use crate::helpers::*;

const OTHER_ORDER: &str = "1000000000000000001";

/// The methods whose answers are rewritten (changeable while the test runs).
type Methods = Arc<Mutex<HashSet<&'static str>>>;

struct Upstream {
    url: String,
    methods: Methods,
    key: PrivateKey,
}

async fn forward(req: HttpRequest, body: String, up: web::Data<Upstream>) -> HttpResponse {
    let content_type = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let request = reqwest::Client::new()
        .post(&up.url)
        .header("content-type", content_type)
        .body(body);
    let answer = testing::answer_text(request).await;
    let parsed: serde_json::Map<String, Value> = serde_json::from_str(&answer).unwrap();
    let (name, node) = parsed
        .into_iter()
        .find(|(k, _)| k.ends_with("_response"))
        .expect("an answer node");
    let method = name.trim_end_matches("_response").replace('_', ".");
    let Value::Object(mut node) = node else {
        panic!("not an object: {answer}")
    };
    if !up.methods.lock().unwrap().contains(method.as_str()) {
        return HttpResponse::Ok().content_type("application/json").body(answer);
    }
    node.insert("out_trade_no".into(), OTHER_ORDER.into());
    let text = Value::Object(node).to_string();
    let sign = up.key.sign(&text);
    HttpResponse::Ok()
        .content_type("application/json")
        .body(format!(r#"{{"{name}":{text},"sign":"{sign}"}}"#))
}

/// The connector behind the rewriting stand-in.
async fn spawn_behind_rewriter() -> (TestApp, Methods) {
    let sim = spawn_simulator();
    let methods = Methods::default();
    let up = web::Data::new(Upstream {
        url: sim.url.clone(),
        methods: methods.clone(),
        key: PrivateKey::parse(&std::fs::read_to_string(format!("{KEYS}/alipay_private_key.pem")).unwrap()).unwrap(),
    });
    let base = testing::serve_stand_in(1, move |cfg| {
        cfg.app_data(up.clone()).default_service(web::to(forward));
    });
    let url = format!("{base}/gateway.do");
    let app = spawn_app_with(sim, alipay_config(&url), None).await;
    (app, methods)
}

async fn wait_for(what: &str, done: impl Fn() -> bool) {
    testing::eventually(Duration::from_secs(10), what, done).await;
}

#[tokio::test]
async fn a_signed_pay_success_about_another_order_is_not_a_success_until_a_query_confirms_ours() {
    let (app, methods) = spawn_behind_rewriter().await;
    methods.lock().unwrap().insert("alipay.trade.pay");
    let (m, _) = app.authorized_merchant().await;
    let t = traction('1');
    let a = app.pay(&pay_body(&t, &m, PAID_AT_ONCE, 1000)).await;
    assert_eq!(a.ret, Ret::Running, "{a:?}");
    let done = app.wait_final(&t, "pay").await;
    assert_eq!(done.ret, Ret::Success, "{done:?}");
    assert!(app.sim.journal.count("alipay.trade.query", &t) >= 1);
}

#[tokio::test]
async fn signed_query_answers_about_another_order_never_settle_the_pay() {
    let (app, methods) = spawn_behind_rewriter().await;
    methods
        .lock()
        .unwrap()
        .extend(["alipay.trade.pay", "alipay.trade.query"]);
    let (m, _) = app.authorized_merchant().await;
    let t = traction('1');
    let a = app.pay(&pay_body(&t, &m, PAID_AT_ONCE, 1000)).await;
    assert_eq!(a.ret, Ret::Running, "{a:?}");
    // Every answer says "paid", about another order: unknown to the end of the budget, then
    // cancelled (Alipay returns the money it took).
    let done = app.wait_final(&t, "pay").await;
    assert_eq!(done.ret, Ret::Failed, "{done:?}");
    assert!(done.third_error_reason.unwrap().contains("action=refund"));
    assert!(app.sim.journal.count("alipay.trade.query", &t) >= 2);
}

#[tokio::test]
async fn a_signed_cancel_answer_about_another_order_is_retried() {
    let (app, methods) = spawn_behind_rewriter().await;
    methods.lock().unwrap().insert("alipay.trade.cancel");
    let (m, _) = app.authorized_merchant().await;
    let t = traction('1');
    assert_eq!(app.pay(&pay_body(&t, &m, WAIT_FOREVER, 1000)).await.ret, Ret::Running);
    let journal = app.sim.journal.clone();
    wait_for("repeated cancels", || journal.count("alipay.trade.cancel", &t) >= 2).await;
    let (_, q) = app.query(&t, "pay").await;
    assert_eq!(q["ret"], "running", "not cancelled on another order's answer: {q}");

    methods.lock().unwrap().clear();
    let done = app.wait_final(&t, "pay").await;
    assert_eq!(done.ret, Ret::Failed, "{done:?}");
    assert!(done.third_error_reason.unwrap().contains("action=close"));
}

#[tokio::test]
async fn a_signed_refund_answer_about_another_order_is_not_a_success() {
    let (app, methods) = spawn_behind_rewriter().await;
    let (m, _) = app.authorized_merchant().await;
    let pay_t = traction('1');
    let paid = app.pay(&pay_body(&pay_t, &m, PAID_AT_ONCE, 1000)).await;
    assert_eq!(paid.ret, Ret::Success);
    methods
        .lock()
        .unwrap()
        .extend(["alipay.trade.refund", "alipay.trade.fastpay.refund.query"]);
    let t = traction('2');
    let a = app.refund(&refund_body(&t, &paid, &pay_t, &m, 1000, 400)).await;
    assert_eq!(a.ret, Ret::Running, "{a:?}");
    let journal = app.sim.journal.clone();
    wait_for("refund queries", || {
        journal.count("alipay.trade.fastpay.refund.query", &pay_t) >= 2
    })
    .await;
    let (_, q) = app.query(&t, "refund").await;
    assert_eq!(q["ret"], "running", "{q}");

    // Honest answers again: the refund Alipay did make is found, and made once.
    methods.lock().unwrap().clear();
    let done = app.wait_final(&t, "refund").await;
    assert_eq!(done.ret, Ret::Success, "{done:?}");
    assert_eq!(app.sim.journal.count("alipay.trade.refund", &pay_t), 1);
}
