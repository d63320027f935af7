//! refundUrl: /secapi/pay/refund and /pay/refundquery.

use connector_contract::Ret;
use serde_json::json;

use crate::helpers::*;

const REFUND: &str = "/secapi/pay/refund";
const REFUNDQUERY: &str = "/pay/refundquery";
const REVERSE: &str = "/secapi/pay/reverse";

#[tokio::test]
async fn a_refund_of_a_paid_trade_succeeds_once_refundquery_confirms_it() {
    let (app, m) = spawn_with_merchant().await;
    let (pay, _) = app.pay(&m, PAID, 1000).await;
    let (r, a) = app.refund(&m, &pay, 400, 1000, false).await;
    assert_eq!(a.ret, Ret::Success, "{a:?}");
    let refund_id = a.third_order_no.clone().unwrap();
    assert_eq!(refund_id.len(), 29, "a WeChat Pay refund_id");
    assert_eq!(app.count(REFUND, &r), 1);
    assert_eq!(app.count(REFUNDQUERY, &r), 1);
    let (status, q) = app.query(&r, "refund").await;
    assert_eq!((status, q["ret"].as_str()), (200, Some("success")), "{q}");

    // The same refund tractionNo again: the recorded answer, no second refund.
    let again = app.refund_as(&r, &m, &pay, 400, 1000, false).await;
    assert_eq!(again, a);
    assert_eq!(app.count(REFUND, &r), 1);

    // Another partial refund fits; one more than what is left is refused by WeChat Pay.
    let (_, second) = app.refund(&m, &pay, 600, 1000, false).await;
    assert_eq!(second.ret, Ret::Success, "{second:?}");
    let (_, too_much) = app.refund(&m, &pay, 1, 1000, false).await;
    assert_eq!(too_much.ret, Ret::Failed, "{too_much:?}");
    assert!(
        too_much
            .third_error_reason
            .unwrap()
            .contains("累计退款金额大于支付金额")
    );
}

#[tokio::test]
async fn a_refund_still_processing_is_running_until_refundquery_says_success() {
    let (app, m) = spawn_with_merchant().await;
    let (pay, _) = app.pay(&m, REFUND_PROCESSING, 300).await;
    let (r, a) = app.refund(&m, &pay, 300, 300, false).await;
    assert_eq!(a.ret, Ret::Running, "{a:?}");
    let done = app.settled(&r, "refund").await;
    assert_eq!(done.ret, Ret::Success, "{done:?}");
    assert!(app.count(REFUNDQUERY, &r) >= 2);
}

#[tokio::test]
async fn a_refund_answered_with_a_system_error_is_checked_not_repeated_blindly() {
    let (app, m) = spawn_with_merchant().await;
    let (pay, _) = app.pay(&m, REFUND_SYSTEMERROR_ONCE, 300).await;
    let (r, a) = app.refund(&m, &pay, 300, 300, false).await;
    assert_eq!(a.ret, Ret::Running, "SYSTEMERROR is no failure: {a:?}");
    let done = app.settled(&r, "refund").await;
    assert_eq!(done.ret, Ret::Success, "{done:?}");
    assert_eq!(app.count(REFUND, &r), 1, "refundquery found it; nothing was sent twice");
}

#[tokio::test]
async fn refunds_of_unknown_or_unpaid_trades_fail_without_calling_wechat() {
    let (app, m) = spawn_with_merchant().await;
    let (_, a) = app.refund(&m, &serial('1'), 100, 100, false).await;
    assert_eq!(a.ret, Ret::Failed);
    let (failed_pay, _) = app.pay(&m, NOTENOUGH, 100).await;
    let (_, a) = app.refund(&m, &failed_pay, 100, 100, false).await;
    assert_eq!(a.ret, Ret::Failed, "{a:?}");
    // Cancelling a pay that failed: nothing is held, so the cancel holds.
    let (c, a) = app.refund(&m, &failed_pay, 100, 100, true).await;
    assert_eq!(a.ret, Ret::Success, "{a:?}");
    assert_eq!(app.count(REFUND, &c), 0);
    // Another merchant's pay is not this merchant's to refund.
    let (paid, _) = app.pay(&m, PAID, 100).await;
    let other = app.merchant().await;
    let (_, a) = app.refund(&other, &paid, 100, 100, false).await;
    assert_eq!(a.ret, Ret::Failed);
    assert!(app.journal.calls().iter().all(|c| c.path != REFUND));
}

#[tokio::test]
async fn cancelling_a_pay_in_progress_reverses_it_now() {
    // A long budget: only the cancel can end it quickly.
    let app = spawn_with(|s| s["query_budget_ms"] = json!(60_000)).await;
    let m = app.merchant().await;
    let (pay, a) = app.pay(&m, USERPAYING_FOREVER, 500).await;
    assert_eq!(a.ret, Ret::Running);
    let cancel = serial('2');
    let first = app.refund_as(&cancel, &m, &pay, 500, 500, true).await;
    assert_eq!(first.ret, Ret::Running, "{first:?}");
    let done = app.settled(&pay, "pay").await;
    assert_eq!(done.ret, Ret::Failed, "{done:?}");
    assert_eq!(app.count(REVERSE, &pay), 1);
    let again = app.refund_as(&cancel, &m, &pay, 500, 500, true).await;
    assert_eq!(again.ret, Ret::Success, "the pay holds nothing any more: {again:?}");
}
