//! payUrl and queryUrl on every branch of barcode pay.

use std::time::{Duration, Instant};

use connector_contract::Ret;
use serde_json::{Value, json};
use wechat::WechatSettings;

use crate::helpers::*;

const MICROPAY: &str = "/pay/micropay";
const ORDERQUERY: &str = "/pay/orderquery";
const REVERSE: &str = "/secapi/pay/reverse";

#[tokio::test]
async fn a_code_paid_at_once_succeeds_with_wechats_transaction_id() {
    let (app, m) = spawn_with_merchant().await;
    let (t, a) = app.pay(&m, PAID, 123).await;
    assert_eq!(a.ret, Ret::Success, "{a:?}");
    let tid = a.third_order_no.clone().unwrap();
    assert_eq!(tid.len(), 28, "a WeChat Pay transaction_id");
    assert!(a.trade_finished_at.is_some());
    let (status, q) = app.query(&t, "pay").await;
    assert_eq!(
        (status, q["ret"].as_str(), q["thirdOrderNo"].as_str()),
        (200, Some("success"), Some(tid.as_str()))
    );
    let calls = app.journal.for_trade(&t);
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(
        calls[0].sub_mch_id.as_deref(),
        Some(SUB_MCH_ID),
        "service-provider mode"
    );
}

#[tokio::test]
async fn md5_signatures_work_too() {
    let app = spawn_with(|s| s["sign_type"] = json!("MD5")).await;
    let m = app.merchant().await;
    let (_, a) = app.pay(&m, PAID, 1).await;
    assert_eq!(a.ret, Ret::Success, "{a:?}");
}

#[tokio::test]
async fn a_customer_entering_the_password_is_running_until_a_query_finds_it_paid() {
    let (app, m) = spawn_with_merchant().await;
    let (t, a) = app.pay(&m, USERPAYING_THEN_PAID, 500).await;
    assert_eq!(a.ret, Ret::Running, "{a:?}");
    let done = app.settled(&t, "pay").await;
    assert_eq!(done.ret, Ret::Success, "{done:?}");
    assert!(done.third_order_no.is_some());
    assert!(app.count(ORDERQUERY, &t) >= 3, "USERPAYING twice, then SUCCESS");
    assert_eq!(app.count(REVERSE, &t), 0, "a paid trade is never reversed");
}

#[tokio::test]
async fn after_userpaying_the_first_query_comes_about_five_seconds_later() {
    // The connector's own timing (WeChat Pay's guidance: ask about every 5 s).
    let interval = WechatSettings::default().query_interval_ms;
    let app = spawn_with(|s| {
        s["query_interval_ms"] = json!(interval);
        s["query_budget_ms"] = json!(30_000);
    })
    .await;
    let m = app.merchant().await;
    let started = Instant::now();
    let (t, a) = app.pay(&m, USERPAYING_FOREVER, 500).await;
    assert_eq!(a.ret, Ret::Running);
    while app.count(ORDERQUERY, &t) == 0 {
        assert!(started.elapsed() < Duration::from_secs(12), "no orderquery yet");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let first = started.elapsed();
    assert!(
        first >= Duration::from_millis(4_500) && first < Duration::from_millis(8_000),
        "first orderquery after {first:?}"
    );
}

#[tokio::test]
async fn a_customer_who_never_pays_is_reversed_and_the_order_fails() {
    let (app, m) = spawn_with_merchant().await;
    let (t, a) = app.pay(&m, USERPAYING_FOREVER, 500).await;
    assert_eq!(a.ret, Ret::Running);
    let done = app.settled(&t, "pay").await;
    assert_eq!(done.ret, Ret::Failed, "{done:?}");
    let why = done.third_error_reason.unwrap();
    assert!(why.contains("reversed"), "{why}");
    assert_eq!(app.count(REVERSE, &t), 1);
    assert!(
        app.count(ORDERQUERY, &t) >= 2,
        "queried within the budget before reversing"
    );
    assert_eq!(app.simulator_trade_state(&t).await, "REVOKED");
}

#[tokio::test]
async fn a_reverse_answered_recall_y_is_repeated() {
    let (app, m) = spawn_with_merchant().await;
    let (t, _) = app.pay(&m, RECALL_ONCE, 500).await;
    let done = app.settled(&t, "pay").await;
    assert_eq!(done.ret, Ret::Failed, "{done:?}");
    let reverses: Vec<_> = app
        .journal
        .for_trade(&t)
        .into_iter()
        .filter(|c| c.path == REVERSE)
        .map(|c| c.state)
        .collect();
    assert_eq!(reverses, vec![Some("Y".to_string()), Some("N".to_string())]);
}

#[tokio::test]
async fn a_reversed_order_ends_failed_even_when_the_customer_had_paid() {
    let (app, m) = spawn_with_merchant().await;
    let (t, _) = app.pay(&m, PAID_BEFORE_REVERSE, 500).await;
    let done = app.settled(&t, "pay").await;
    assert_eq!(done.ret, Ret::Failed, "the reverse returned the money: {done:?}");
    assert_eq!(app.simulator_trade_state(&t).await, "REVOKED");
}

#[tokio::test]
async fn a_customer_who_gives_up_is_reversed() {
    let (app, m) = spawn_with_merchant().await;
    let (t, _) = app.pay(&m, USERPAYING_THEN_CANCELLED, 500).await;
    let done = app.settled(&t, "pay").await;
    assert_eq!(done.ret, Ret::Failed, "{done:?}");
    assert_eq!(app.count(REVERSE, &t), 1);
}

#[tokio::test]
async fn insufficient_balance_and_expired_codes_fail_at_once_with_the_reason() {
    let (app, m) = spawn_with_merchant().await;
    for (code, want) in [
        (NOTENOUGH, "NOTENOUGH: 余额不足"),
        (AUTHCODEEXPIRE, "AUTHCODEEXPIRE"),
        (AUTH_CODE_INVALID, "AUTH_CODE_INVALID"),
    ] {
        let (t, a) = app.pay(&m, code, 500).await;
        assert_eq!(a.ret, Ret::Failed, "{code}: {a:?}");
        assert!(a.third_error_reason.as_deref().unwrap().starts_with(want), "{a:?}");
        assert_eq!(app.count(ORDERQUERY, &t), 0, "a definite refusal needs no query");
        assert_eq!(app.settled(&t, "pay").await.ret, Ret::Failed);
    }
}

#[tokio::test]
async fn system_and_bank_errors_are_queried_before_deciding() {
    let (app, m) = spawn_with_merchant().await;
    for code in [SYSTEMERROR_BUT_PAID, BANKERROR_BUT_PAID] {
        let (t, a) = app.pay(&m, code, 500).await;
        assert_eq!(a.ret, Ret::Running, "{code}: never failed on SYSTEMERROR");
        let done = app.settled(&t, "pay").await;
        assert_eq!(done.ret, Ret::Success, "{code}: {done:?}");
        assert!(app.count(ORDERQUERY, &t) >= 1);
    }
}

#[tokio::test]
async fn a_system_error_without_a_trade_is_reversed_after_the_budget() {
    let (app, m) = spawn_with_merchant().await;
    let (t, a) = app.pay(&m, SYSTEMERROR_NO_TRADE, 500).await;
    assert_eq!(a.ret, Ret::Running);
    let done = app.settled(&t, "pay").await;
    assert_eq!(done.ret, Ret::Failed, "{done:?}");
    assert_eq!(app.count(REVERSE, &t), 1, "the number is closed for good");
}

#[tokio::test]
async fn an_answer_with_a_wrong_signature_is_not_believed_but_queried() {
    let (app, m) = spawn_with_merchant().await;
    let (t, a) = app.pay(&m, WRONG_SIGNATURE_BUT_PAID, 500).await;
    assert_eq!(a.ret, Ret::Running, "an unauthenticated SUCCESS is no success: {a:?}");
    let done = app.settled(&t, "pay").await;
    assert_eq!(done.ret, Ret::Success, "{done:?}");
}

#[tokio::test]
async fn no_answer_in_time_is_running_and_then_queried() {
    let (app, m) = spawn_with_merchant().await;
    let (t, a) = app.pay(&m, SLOW_BUT_PAID, 500).await;
    assert_eq!(a.ret, Ret::Running, "{a:?}");
    let done = app.settled(&t, "pay").await;
    assert_eq!(done.ret, Ret::Success, "{done:?}");
}

#[tokio::test]
async fn a_signature_the_server_rejects_is_a_clear_failure_with_the_reason() {
    let app = spawn_with(|s| s["api_key"] = json!("not-the-simulators-key-0000000000")).await;
    let m = app.merchant().await;
    let (t, a) = app.pay(&m, PAID, 500).await;
    assert_eq!(a.ret, Ret::Failed, "{a:?}");
    assert!(a.third_error_reason.as_deref().unwrap().contains("签名错误"), "{a:?}");
    let calls = app.journal.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        (calls[0].path.as_str(), calls[0].return_code.as_str()),
        (MICROPAY, "FAIL")
    );
    assert_eq!(app.settled(&t, "pay").await.ret, Ret::Failed);
}

#[tokio::test]
async fn codes_of_another_channel_or_none_fail_without_calling_anyone() {
    let (app, m) = spawn_with_merchant().await;
    for (code, want) in [
        (Some(ALIPAY_CODE), "Alipay"),
        (Some("12345"), "not a WeChat Pay code"),
        (None, "payBarCode"),
    ] {
        let a = app.pay_as(&serial('1'), &m, code, 100).await;
        assert_eq!(a.ret, Ret::Failed, "{code:?}");
        assert!(a.third_error_reason.as_deref().unwrap().contains(want), "{a:?}");
    }
    assert!(app.journal.calls().is_empty(), "nobody was called");
}

#[tokio::test]
async fn a_merchant_without_a_sub_merchant_cannot_pay() {
    let app = spawn_app().await;
    let (_, a) = app.pay("merchantWithoutSettings", PAID, 100).await;
    assert_eq!(a.ret, Ret::Failed);
    assert!(a.third_error_reason.unwrap().contains("sub-merchant"));
    assert!(app.journal.calls().is_empty());
}

#[tokio::test]
async fn without_an_api_key_every_pay_fails_clearly_and_check_env_is_false() {
    let app = spawn_with(|s| {
        s.as_object_mut().unwrap().remove("api_key");
    })
    .await;
    let m = app.merchant().await;
    let (_, a) = app.pay(&m, PAID, 100).await;
    assert_eq!(a.ret, Ret::Failed);
    assert!(a.third_error_reason.unwrap().contains("api_key"));
    let env = app.check_env(&m).await;
    assert_eq!(env["ret"], json!(false), "{env}");
    assert!(app.journal.calls().is_empty());
}

#[tokio::test]
async fn a_repeated_traction_no_is_the_same_pay_and_charged_once() {
    let (app, m) = spawn_with_merchant().await;
    let t = serial('1');
    let first = app.pay_as(&t, &m, Some(PAID), 100).await;
    let again = app.pay_as(&t, &m, Some(PAID), 100).await;
    assert_eq!(first, again);
    // Concurrent repeats of a new tractionNo: one micropay.
    let t2 = serial('1');
    let answers = futures_join(&app, &t2, &m).await;
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "{answers:?}");
    assert_eq!(app.count(MICROPAY, &t), 1);
    assert_eq!(app.count(MICROPAY, &t2), 1);
}

async fn futures_join(app: &TestApp, t: &str, m: &str) -> Vec<Value> {
    let bodies = vec![pay_body(t, m, Some(PAID), 100); 6];
    let mut answers = Vec::new();
    for (status, v) in app.race_contract("pay", bodies).await {
        assert_eq!(status, 200, "{v}");
        answers.push(v);
    }
    answers
}

#[tokio::test]
async fn query_knows_only_its_own_trades_of_the_right_kind() {
    let (app, m) = spawn_with_merchant().await;
    let (t, _) = app.pay(&m, PAID, 100).await;
    let (status, body) = app.query(&serial('1'), "pay").await;
    assert_eq!((status, body["code"].as_u64()), (404, Some(4040)), "{body}");
    let (status, _) = app.query(&t, "refund").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn check_env_is_true_only_for_a_merchant_with_a_sub_merchant() {
    let (app, m) = spawn_with_merchant().await;
    let env = app.check_env(&m).await;
    assert_eq!(
        (env["ret"].as_bool(), env["merchantUUID"].as_str()),
        (Some(true), Some(m.as_str()))
    );
    let env = app.check_env("someoneElse").await;
    assert_eq!(env["ret"], json!(false));
    assert!(env["reason"].as_str().unwrap().contains("sub-merchant"));
}

#[tokio::test]
async fn the_contract_urls_need_a_service_token() {
    let app = spawn_app().await;
    let resp = app
        .client
        .post(format!("{}/connector/pay", app.address))
        .bearer_auth(merchant_token("m1"))
        .json(&pay_body("1", "m1", Some(PAID), 1))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 403);
}
