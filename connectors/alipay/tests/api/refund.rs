//! `POST /connector/refund` and refund queries.

use connector_contract::{Ret, TradeAnswer};
use serde_json::json;

use crate::helpers::*;

async fn paid(app: &TestApp, merchant: &str, code: &str, amount: i64) -> (String, TradeAnswer) {
    let t = traction('1');
    let a = app.pay(&pay_body(&t, merchant, code, amount)).await;
    assert_eq!(a.ret, Ret::Success, "{a:?}");
    (t, a)
}

#[tokio::test]
async fn refunds_succeed_up_to_the_paid_amount_once_per_traction_no() {
    let (app, m) = spawn_with_merchant().await;
    let (pt, pay) = paid(&app, &m, PAID_AT_ONCE, 1000).await;

    let r1 = traction('2');
    let body = refund_body(&r1, &pay, &pt, &m, 1000, 400);
    let first = app.refund(&body).await;
    assert_eq!(first.ret, Ret::Success, "{first:?}");
    assert_eq!(first.traction_no, r1);
    assert!(first.trade_finished_at.is_some());
    assert_eq!(
        app.refund(&body).await,
        first,
        "a repeated refund tractionNo is the same refund"
    );
    assert_eq!(
        app.sim
            .journal
            .calls()
            .iter()
            .filter(|c| c.method == "alipay.trade.refund")
            .count(),
        1
    );
    let call = app
        .sim
        .journal
        .calls()
        .into_iter()
        .find(|c| c.method == "alipay.trade.refund")
        .unwrap();
    assert_eq!(
        call.out_request_no.as_deref(),
        Some(r1.as_str()),
        "out_request_no = the refund tractionNo"
    );
    assert_eq!(call.out_trade_no.as_deref(), Some(pt.as_str()));

    let (s, q) = app.query(&r1, "refund").await;
    assert_eq!((s, q["ret"].as_str()), (200, Some("success")), "{q}");
    let (s, _) = app.query(&r1, "pay").await;
    assert_eq!(s, 404, "a refund is not a pay");

    let second = app.refund(&refund_body(&traction('2'), &pay, &pt, &m, 1000, 600)).await;
    assert_eq!(second.ret, Ret::Success);
    let third = app.refund(&refund_body(&traction('2'), &pay, &pt, &m, 1000, 1)).await;
    assert_eq!(third.ret, Ret::Failed);
    assert!(
        third
            .third_error_reason
            .unwrap()
            .contains("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL")
    );
}

#[tokio::test]
async fn a_refund_whose_answer_is_lost_is_confirmed_by_the_refund_query() {
    let (app, m) = spawn_with_merchant().await;
    let (pt, pay) = paid(&app, &m, REFUND_UNKNOWN, 1000).await;
    let r = traction('2');
    let first = app.refund(&refund_body(&r, &pay, &pt, &m, 1000, 1000)).await;
    assert_eq!(first.ret, Ret::Running, "20000 leaves the refund unknown: {first:?}");
    let done = app.wait_final(&r, "refund").await;
    assert_eq!(done.ret, Ret::Success, "{done:?}");
    let calls = app.sim.journal.calls();
    assert!(calls.iter().any(|c| c.method == "alipay.trade.fastpay.refund.query" && c.out_request_no.as_deref() == Some(r.as_str())));
    assert_eq!(
        calls.iter().filter(|c| c.method == "alipay.trade.refund").count(),
        1,
        "confirmed by the query, not refunded twice"
    );
}

#[tokio::test]
async fn refunding_an_unknown_or_unpaid_trade_fails_with_alipays_reason() {
    let (app, m) = spawn_with_merchant().await;
    let pay = TradeAnswer::success("1", "T", String::new());
    let a = app
        .refund(&refund_body(&traction('2'), &pay, &traction('1'), &m, 1000, 100))
        .await;
    assert_eq!(a.ret, Ret::Failed);
    assert!(a.third_error_reason.unwrap().contains("ACQ.TRADE_NOT_EXIST"));

    let t = traction('1');
    assert_eq!(
        app.pay(&pay_body(&t, &m, BALANCE_NOT_ENOUGH, 1000)).await.ret,
        Ret::Failed
    );
    let a = app.refund(&refund_body(&traction('2'), &pay, &t, &m, 1000, 100)).await;
    assert_eq!(a.ret, Ret::Failed);
    assert!(a.third_error_reason.unwrap().contains("ACQ.TRADE_STATUS_ERROR"));
}

#[tokio::test]
async fn a_refund_traction_no_that_is_a_pay_is_a_bad_request() {
    let (app, m) = spawn_with_merchant().await;
    let (pt, pay) = paid(&app, &m, PAID_AT_ONCE, 1000).await;
    let (s, b) = app
        .contract("refund", &refund_body(&pt, &pay, &pt, &m, 1000, 100))
        .await;
    assert_eq!((s, b["code"].as_u64()), (400, Some(4000)), "{b}");
    let (s, _) = app
        .contract(
            "refund",
            &json!({"tractionNo": "2", "payTractionNo": pt, "merchantUUID": m}),
        )
        .await;
    assert_eq!(s, 400);
}
