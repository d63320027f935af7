//! Correctly signed success answers that are about another sub-merchant or amount than the
//! request's never settle a trade. A stand-in between the connector and the simulator changes
//! fields of the answers and signs them again with the (development) key, as only someone
//! holding the API key could.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{HttpRequest, HttpResponse, web};
use connector_contract::Ret;
use connector_contract::shared::testing;
use serde_json::json;
use simulators::wechat::{self as sim, SignType};

use crate::helpers::*;

const MICROPAY: &str = "/pay/micropay";
const ORDERQUERY: &str = "/pay/orderquery";
const REVERSE: &str = "/secapi/pay/reverse";
const REFUND: &str = "/secapi/pay/refund";
const REFUNDQUERY: &str = "/pay/refundquery";

/// (path, field, value): the answers of `path` get `field` set to `value`.
type Rewrites = Arc<Mutex<Vec<(&'static str, &'static str, &'static str)>>>;

#[derive(Clone)]
struct Upstream {
    url: String,
    rewrites: Rewrites,
}

async fn forward(req: HttpRequest, body: String, up: web::Data<Upstream>) -> HttpResponse {
    let path = req.path().to_string();
    let answer = testing::answer_text(reqwest::Client::new().post(format!("{}{path}", up.url)).body(body)).await;
    let rewrites: Vec<_> = up
        .rewrites
        .lock()
        .unwrap()
        .iter()
        .filter(|(p, _, _)| *p == path)
        .map(|(_, k, v)| (*k, *v))
        .collect();
    let Some(mut p) = sim::from_xml(&answer).filter(|_| !rewrites.is_empty()) else {
        return HttpResponse::Ok().content_type("text/xml").body(answer);
    };
    for (k, v) in rewrites {
        p.insert(k.into(), v.into());
    }
    p.remove("sign");
    let signature = sim::sign(&p, sim::DEV_API_KEY, SignType::HmacSha256);
    p.insert("sign".into(), signature);
    HttpResponse::Ok().content_type("text/xml").body(sim::to_xml(&p))
}

/// The connector behind a stand-in that rewrites answers as `rewrites` says (changeable
/// while the test runs).
async fn spawn_behind_rewriter() -> (TestApp, Rewrites) {
    let rewrites = Rewrites::default();
    let r = rewrites.clone();
    let app = spawn_with(move |section| {
        let upstream = Upstream {
            url: section["base_url"].as_str().unwrap().to_string(),
            rewrites: r,
        };
        let data = web::Data::new(upstream);
        let url = testing::serve_stand_in(1, move |cfg| {
            cfg.app_data(data.clone()).default_service(web::to(forward));
        });
        section["base_url"] = json!(url);
    })
    .await;
    (app, rewrites)
}

async fn wait_for(what: &str, done: impl Fn() -> bool) {
    testing::eventually(Duration::from_secs(10), what, done).await;
}

#[tokio::test]
async fn a_micropay_success_for_another_amount_is_not_a_success_until_a_query_confirms_the_real_one() {
    let (app, rewrites) = spawn_behind_rewriter().await;
    rewrites.lock().unwrap().push((MICROPAY, "total_fee", "1"));
    let m = app.merchant().await;
    let (t, a) = app.pay(&m, PAID, 500).await;
    assert_eq!(a.ret, Ret::Running, "a success of 1 fen is not our 500: {a:?}");
    let done = app.settled(&t, "pay").await;
    assert_eq!(done.ret, Ret::Success, "{done:?}");
    assert!(
        app.count(ORDERQUERY, &t) >= 1,
        "settled by a query answering our amount"
    );
}

#[tokio::test]
async fn successes_for_another_sub_merchant_never_settle_the_pay() {
    let (app, rewrites) = spawn_behind_rewriter().await;
    for path in [MICROPAY, ORDERQUERY] {
        rewrites.lock().unwrap().push((path, "sub_mch_id", "1900000999"));
    }
    let m = app.merchant().await;
    let (t, a) = app.pay(&m, PAID, 500).await;
    assert_eq!(a.ret, Ret::Running, "{a:?}");
    // Every answer says "paid" for another sub-merchant: unclear to the end of the budget,
    // then reversed (which returns the money, if any was taken).
    let done = app.settled(&t, "pay").await;
    assert_eq!(done.ret, Ret::Failed, "{done:?}");
    assert!(done.third_error_reason.unwrap().contains("reversed"));
    assert!(app.count(ORDERQUERY, &t) >= 2);
    assert_eq!(app.count(REVERSE, &t), 1);
    assert_eq!(app.simulator_trade_state(&t).await, "REVOKED");
}

#[tokio::test]
async fn an_orderquery_success_for_another_amount_is_not_a_success() {
    let (app, rewrites) = spawn_behind_rewriter().await;
    let m = app.merchant().await;
    // The customer pays at once, but micropay's answer is lost in USERPAYING and every query
    // claims 499 fen for our 500.
    rewrites.lock().unwrap().extend([
        (MICROPAY, "result_code", "FAIL"),
        (MICROPAY, "err_code", "USERPAYING"),
        (ORDERQUERY, "total_fee", "499"),
    ]);
    let (t, a) = app.pay(&m, PAID, 500).await;
    assert_eq!(a.ret, Ret::Running);
    let done = app.settled(&t, "pay").await;
    assert_eq!(done.ret, Ret::Failed, "never settled on a mismatched answer: {done:?}");
    assert!(app.count(ORDERQUERY, &t) >= 2);
    assert_eq!(app.count(REVERSE, &t), 1, "the money taken is returned");
    assert_eq!(app.simulator_trade_state(&t).await, "REVOKED");
}

#[tokio::test]
async fn a_refund_success_for_another_refund_fee_is_not_a_success() {
    let (app, rewrites) = spawn_behind_rewriter().await;
    let m = app.merchant().await;
    let (pay, paid) = app.pay(&m, PAID, 500).await;
    assert_eq!(paid.ret, Ret::Success);
    rewrites.lock().unwrap().push((REFUND, "refund_fee", "199"));
    rewrites.lock().unwrap().push((REFUNDQUERY, "refund_fee_0", "199"));
    let (t, a) = app.refund(&m, &pay, 200, 500, false).await;
    assert_eq!(a.ret, Ret::Running, "{a:?}");
    wait_for("refundqueries", || app.count(REFUNDQUERY, &t) >= 2).await;
    let (_, q) = app.query(&t, "refund").await;
    assert_eq!(q["ret"], "running", "{q}");

    // Honest answers again: the refund WeChat Pay did make is found, and made once.
    rewrites.lock().unwrap().clear();
    let done = app.settled(&t, "refund").await;
    assert_eq!(done.ret, Ret::Success, "{done:?}");
    assert_eq!(app.count(REFUND, &t), 1);
}
