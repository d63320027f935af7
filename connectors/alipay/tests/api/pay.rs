//! `POST /connector/pay` through every branch of the simulator.

use std::time::Duration;

use connector_contract::Ret;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_code_paid_at_once_succeeds_and_a_repeated_traction_no_is_answered_without_a_new_charge() {
    let app = spawn_app().await;
    let (m, token) = app.authorized_merchant().await;
    let t = traction('1');
    let body = pay_body(&t, &m, PAID_AT_ONCE, 1234);
    let first = app.pay(&body).await;
    assert_eq!(first.ret, Ret::Success, "{first:?}");
    assert_eq!(first.traction_no, t);
    assert!(first.third_order_no.as_deref().is_some_and(|n| !n.is_empty()));
    assert!(first.trade_finished_at.is_some());
    let again = app.pay(&body).await;
    assert_eq!(again, first);
    assert_eq!(app.sim.journal.count("alipay.trade.pay", &t), 1, "one charge");
    let calls = app.sim.journal.for_trade(&t);
    assert_eq!(
        calls[0].app_auth_token.as_deref(),
        Some(token.as_str()),
        "ISV mode: the merchant's token is sent"
    );
    let (s, q) = app.query(&t, "pay").await;
    assert_eq!((s, q["ret"].as_str()), (200, Some("success")), "{q}");
    assert_eq!(q["thirdOrderNo"], json!(first.third_order_no));
}

#[tokio::test]
async fn concurrent_requests_with_one_traction_no_charge_once() {
    let (app, m) = spawn_with_merchant().await;
    let t = traction('1');
    let body = pay_body(&t, &m, PAID_AT_ONCE, 500);
    let answers = futures_join(&app, &body, 6).await;
    for a in &answers {
        assert_ne!(a.ret, Ret::Failed, "{a:?}");
    }
    assert_eq!(app.sim.journal.count("alipay.trade.pay", &t), 1);
    assert_eq!(app.wait_final(&t, "pay").await.ret, Ret::Success);
}

async fn futures_join(app: &TestApp, body: &serde_json::Value, n: usize) -> Vec<connector_contract::TradeAnswer> {
    let answers = app.race_contract("pay", vec![body.clone(); n]).await;
    answers
        .into_iter()
        .map(|(s, b)| {
            assert_eq!(s, 200, "{b}");
            serde_json::from_value::<connector_contract::TradeAnswer>(b).unwrap()
        })
        .collect()
}

#[tokio::test]
async fn a_customer_still_paying_is_running_at_once_then_success_after_queries() {
    let (app, m) = spawn_with_merchant().await;
    let t = traction('1');
    let first = app.pay(&pay_body(&t, &m, WAIT_THEN_PAID, 1000)).await;
    assert_eq!(
        first.ret,
        Ret::Running,
        "10003 answers running without waiting: {first:?}"
    );
    let done = app.wait_final(&t, "pay").await;
    assert_eq!(done.ret, Ret::Success, "{done:?}");
    assert!(done.third_order_no.is_some());
    assert!(app.sim.journal.count("alipay.trade.query", &t) >= 2);
    assert_eq!(app.sim.journal.count("alipay.trade.cancel", &t), 0);
    // A repeat after the fact answers the recorded outcome.
    assert_eq!(app.pay(&pay_body(&t, &m, WAIT_THEN_PAID, 1000)).await.ret, Ret::Success);
    assert_eq!(app.sim.journal.count("alipay.trade.pay", &t), 1);
}

#[tokio::test]
async fn a_customer_who_never_pays_is_cancelled_and_the_pay_ends_failed_never_success() {
    let (app, m) = spawn_with_merchant().await;
    let t = traction('1');
    assert_eq!(app.pay(&pay_body(&t, &m, WAIT_FOREVER, 1000)).await.ret, Ret::Running);
    let done = app.wait_final(&t, "pay").await;
    assert_eq!(done.ret, Ret::Failed, "{done:?}");
    let why = done.third_error_reason.unwrap();
    assert!(why.contains("cancel") && why.contains("action=close"), "{why}");
    assert_eq!(
        app.sim.journal.count("alipay.trade.cancel", &t),
        1,
        "the simulator saw one cancel"
    );
    assert!(
        app.sim.journal.count("alipay.trade.query", &t) >= 3,
        "queried before cancelling"
    );
    // Cancel came after the queries.
    let calls = app.sim.journal.for_trade(&t);
    assert_eq!(calls.last().unwrap().method, "alipay.trade.cancel");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (_, q) = app.query(&t, "pay").await;
    assert_eq!(q["ret"], "failed", "{q}");
    assert_eq!(
        app.sim.journal.count("alipay.trade.cancel", &t),
        1,
        "nothing after the end"
    );
}

#[tokio::test]
async fn a_cancel_is_retried_while_alipay_sets_retry_flag() {
    let (app, m) = spawn_with_merchant().await;
    let t = traction('1');
    assert_eq!(app.pay(&pay_body(&t, &m, CANCEL_RETRY, 1000)).await.ret, Ret::Running);
    let done = app.wait_final(&t, "pay").await;
    assert_eq!(done.ret, Ret::Failed, "{done:?}");
    assert_eq!(app.sim.journal.count("alipay.trade.cancel", &t), 2);
}

#[tokio::test]
async fn a_payment_reversed_by_the_cancel_ends_failed() {
    let (app, m) = spawn_with_merchant().await;
    let t = traction('1');
    assert_eq!(app.pay(&pay_body(&t, &m, PAYS_AT_CANCEL, 1000)).await.ret, Ret::Running);
    let done = app.wait_final(&t, "pay").await;
    assert_eq!(done.ret, Ret::Failed, "{done:?}");
    assert!(done.third_error_reason.unwrap().contains("action=refund"));
}

#[tokio::test]
async fn insufficient_balance_fails_at_once_with_alipays_reason() {
    let (app, m) = spawn_with_merchant().await;
    let t = traction('1');
    let a = app.pay(&pay_body(&t, &m, BALANCE_NOT_ENOUGH, 1000)).await;
    assert_eq!(a.ret, Ret::Failed);
    let why = a.third_error_reason.unwrap();
    assert!(
        why.contains("买家余额不足") && why.contains("ACQ.BUYER_BALANCE_NOT_ENOUGH"),
        "{why}"
    );
    let a = app.pay(&pay_body(&traction('1'), &m, AUTH_CODE_INVALID, 1000)).await;
    assert_eq!(a.ret, Ret::Failed);
    assert!(a.third_error_reason.unwrap().contains("ACQ.PAYMENT_AUTH_CODE_INVALID"));
}

#[tokio::test]
async fn a_system_error_is_queried_before_deciding_and_ends_in_success() {
    let (app, m) = spawn_with_merchant().await;
    let t = traction('1');
    assert_eq!(
        app.pay(&pay_body(&t, &m, SYSTEM_ERROR_THEN_PAID, 1000)).await.ret,
        Ret::Running
    );
    assert_eq!(app.wait_final(&t, "pay").await.ret, Ret::Success);
    assert!(app.sim.journal.count("alipay.trade.query", &t) >= 1);
    assert_eq!(app.sim.journal.count("alipay.trade.cancel", &t), 0);
}

#[tokio::test]
async fn no_answer_in_time_is_running_and_resolved_by_query() {
    let (app, m) = spawn_with_merchant().await;
    let t = traction('1');
    let started = std::time::Instant::now();
    let a = app.pay(&pay_body(&t, &m, SLOW, 1000)).await;
    assert_eq!(a.ret, Ret::Running, "{a:?}");
    assert!(
        started.elapsed() < Duration::from_millis(2_000),
        "the contract call is not held"
    );
    assert_eq!(app.wait_final(&t, "pay").await.ret, Ret::Success);
}

#[tokio::test]
async fn a_request_signed_with_a_wrong_key_is_failed_with_the_simulators_reason() {
    let sim = spawn_simulator();
    let mut config = alipay_config(&sim.url);
    // A valid RSA key, but not the one whose public half the simulator knows.
    config["private_key_pem_file"] = json!(format!("{KEYS}/alipay_private_key.pem"));
    let app = spawn_app_with(sim, config, None).await;
    let (m, _) = app.authorized_merchant().await;
    let t = traction('1');
    let a = app.pay(&pay_body(&t, &m, PAID_AT_ONCE, 1000)).await;
    assert_eq!(a.ret, Ret::Failed, "{a:?}");
    let why = a.third_error_reason.unwrap();
    assert!(
        why.contains("isv.invalid-signature") && why.contains("验签出错"),
        "{why}"
    );
    let calls = app.sim.journal.for_trade(&t);
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].sub_code.as_deref(), Some("isv.invalid-signature"));
}

#[tokio::test]
async fn an_answer_whose_signature_does_not_verify_is_never_believed() {
    let sim = spawn_simulator();
    let mut config = alipay_config(&sim.url);
    // The connector checks answers with the wrong public key: nothing Alipay says is believed.
    config["alipay_public_key_pem_file"] = json!(format!("{KEYS}/app_public_key.pem"));
    let app = spawn_app_with(sim, config, None).await;
    let (m, _) = app.authorized_merchant().await;
    let t = traction('1');
    let a = app.pay(&pay_body(&t, &m, PAID_AT_ONCE, 1000)).await;
    assert_eq!(
        a.ret,
        Ret::Running,
        "an unverifiable answer is unknown, not success: {a:?}"
    );
    // Wait (not a fixed sleep: CI machines are slow) until the driver has queried and then
    // tried to cancel; even then, nothing unverifiable decides the outcome.
    let started = std::time::Instant::now();
    while app.sim.journal.count("alipay.trade.cancel", &t) == 0 && started.elapsed() < Duration::from_secs(15) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(app.sim.journal.count("alipay.trade.query", &t) >= 1);
    assert!(app.sim.journal.count("alipay.trade.cancel", &t) >= 1);
    let (_, q) = app.query(&t, "pay").await;
    assert_eq!(q["ret"], "running", "never decided on unverifiable answers: {q}");
}

#[tokio::test]
async fn a_code_of_another_channel_fails_before_calling_anyone() {
    let (app, m) = spawn_with_merchant().await;
    let t = traction('1');
    let a = app.pay(&pay_body(&t, &m, WECHAT_CODE, 1000)).await;
    assert_eq!(a.ret, Ret::Failed);
    let why = a.third_error_reason.unwrap();
    assert!(why.contains("WeChat"), "{why}");
    assert!(app.sim.journal.for_trade(&t).is_empty(), "nobody was called");
    let t2 = traction('1');
    let mut body = pay_body(&t2, &m, "x", 1000);
    body["payParams"] = json!({});
    let a = app.pay(&body).await;
    assert_eq!(a.ret, Ret::Failed);
    assert!(a.third_error_reason.unwrap().contains("payBarCode"));
    assert!(app.sim.journal.calls().is_empty());
    // Recorded: the query knows it.
    let (_, q) = app.query(&t, "pay").await;
    assert_eq!(q["ret"], "failed");
}

#[tokio::test]
async fn a_merchant_without_app_auth_token_cannot_pay_and_check_env_says_so() {
    let app = spawn_app().await;
    let m = new_merchant();
    let (s, env) = app
        .contract("checkEnv", &json!({"merchantUUID": m, "payTemplateId": "alipay"}))
        .await;
    assert_eq!(s, 200);
    assert_eq!(env["ret"], false, "{env}");
    assert!(env["reason"].as_str().unwrap().contains("app_auth_token"));
    let a = app.pay(&pay_body(&traction('1'), &m, PAID_AT_ONCE, 1000)).await;
    assert_eq!(a.ret, Ret::Failed);
    assert!(a.third_error_reason.unwrap().contains("app_auth_token"));
    assert!(app.sim.journal.calls().is_empty());

    let (s, _) = app.put_token(&m, "202611BBxxxxxxxxxxxxxxxx", &admin()).await;
    assert_eq!(s, 200);
    let (_, env) = app.contract("checkEnv", &json!({"merchantUUID": m})).await;
    assert_eq!(env["ret"], true, "{env}");
    assert!(env.get("reason").is_none());
}

#[tokio::test]
async fn without_keys_pays_fail_clearly_and_check_env_is_false() {
    let sim = spawn_simulator();
    let mut config = alipay_config(&sim.url);
    config.as_object_mut().unwrap().remove("private_key_pem_file");
    let app = spawn_app_with(sim, config, None).await;
    let (m, _) = app.authorized_merchant().await;
    let a = app.pay(&pay_body(&traction('1'), &m, PAID_AT_ONCE, 1000)).await;
    assert_eq!(a.ret, Ret::Failed);
    assert!(a.third_error_reason.unwrap().contains("not configured"));
    let (_, env) = app.contract("checkEnv", &json!({"merchantUUID": m})).await;
    assert_eq!(env["ret"], false);
    assert!(env["reason"].as_str().unwrap().contains("private_key"));
    assert!(app.sim.journal.calls().is_empty());
}

#[tokio::test]
async fn an_invalid_app_auth_token_is_a_clear_failure() {
    let app = spawn_app().await;
    let m = new_merchant();
    app.put_token(&m, "invalid-token-0001", &admin()).await;
    let a = app.pay(&pay_body(&traction('1'), &m, PAID_AT_ONCE, 1000)).await;
    assert_eq!(a.ret, Ret::Failed);
    assert!(a.third_error_reason.unwrap().contains("aop.invalid-auth-token"));
}

#[tokio::test]
async fn pending_trades_are_resumed_after_a_restart() {
    let sim = spawn_simulator();
    let mut config = alipay_config(&sim.url);
    config["query_interval_ms"] = json!(1_000);
    config["query_budget_ms"] = json!(8_000);
    let app = spawn_app_with(sim, config.clone(), None).await;
    let (m, _) = app.authorized_merchant().await;
    let t = traction('1');
    assert_eq!(app.pay(&pay_body(&t, &m, WAIT_THEN_PAID, 1000)).await.ret, Ret::Running);
    let (sim, db) = app.stop().await;
    // Let the stopped driver give its lease back before the next process opens the database.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        sim.journal.count("alipay.trade.query", &t),
        0,
        "stopped before the first query"
    );

    let app = spawn_app_with(sim, config, Some(db)).await;
    let done = app.wait_final(&t, "pay").await;
    assert_eq!(done.ret, Ret::Success, "{done:?} {:#?}", app.sim.journal.for_trade(&t));
    assert_eq!(
        app.sim.journal.count("alipay.trade.pay", &t),
        1,
        "resumed by querying, never paid again"
    );
    assert!(app.sim.journal.count("alipay.trade.query", &t) >= 2);
}

#[tokio::test]
async fn contract_errors_are_envelopes() {
    let app = spawn_app().await;
    let (s, b) = app
        .contract("query", &json!({"tractionNo": traction('1'), "kind": "pay"}))
        .await;
    assert_eq!((s, b["code"].as_u64()), (404, Some(4040)), "{b}");
    let resp = app
        .client
        .post(format!("{}/connector/pay", app.address))
        .bearer_auth(merchant("m1"))
        .json(&pay_body("1", "m1", PAID_AT_ONCE, 1))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 403, "only services call the contract");
}
