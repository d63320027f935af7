//! Real parallel requests, then the state: no balance or count ever goes below zero, one
//! tractionNo or clientRechargeNo moves money once, refunds never exceed their pay.

use std::sync::Arc;

use serde_json::{Value, json};

use crate::helpers::*;

/// Sends every body to `/connector/{path}` at once; the answers in order.
async fn all_at_once(app: &Arc<TestApp>, path: &'static str, bodies: Vec<Value>) -> Vec<Value> {
    let tasks: Vec<_> = bodies
        .into_iter()
        .map(|b| {
            let app = app.clone();
            tokio::spawn(async move {
                let (status, answer) = app.connector(path, &b).await;
                assert_eq!(status, 200, "{answer}");
                answer
            })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

fn successes(answers: &[Value]) -> usize {
    answers.iter().filter(|a| a["ret"] == "success").count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_pays_never_drive_a_balance_below_zero() {
    let app = Arc::new(spawn_app().await);
    let m = new_merchant();
    let member = app.member_with_balance(&m, 1000).await;
    let bodies = (0..20).map(|_| balance_pay(&m, &serial('1'), 100, &member)).collect();
    let answers = all_at_once(&app, "pay", bodies).await;
    assert_eq!(successes(&answers), 10, "{answers:?}");
    for a in answers.iter().filter(|a| a["ret"] == "failed") {
        assert!(
            a["thirdErrorReason"]
                .as_str()
                .unwrap()
                .starts_with("insufficient balance"),
            "{a}"
        );
    }
    assert_eq!(app.balance(&m, &member).await, 0);
    let ledger = app.statement(&m, &member).await;
    assert_eq!(ledger.iter().filter(|e| e["kind"] == "pay").count(), 10);
    assert_eq!(ledger[0]["balanceAfter"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_count_pays_never_drive_a_count_below_zero() {
    let app = Arc::new(spawn_app().await);
    let m = new_merchant();
    let member = app.member_with_balance(&m, 0).await;
    app.add_counts(&m, &member, "wash", Some("s"), 5).await;
    app.add_counts(&m, &member, "wax", None, 100).await;
    // Two items in opposite orders, so that transactions would deadlock if they locked rows
    // in request order.
    let bodies = (0..10)
        .map(|i| {
            let mut details = vec![
                json!({"name": "洗车", "merchandiseUUID": "wash", "styleUUID": "s", "count": 1}),
                json!({"name": "打蜡", "merchandiseUUID": "wax", "count": 1}),
            ];
            if i % 2 == 1 {
                details.reverse();
            }
            pay_body(
                &m,
                &serial('1'),
                100,
                json!({"memberUUID": member, "merchandiseDetails": details}),
            )
        })
        .collect();
    let answers = all_at_once(&app, "pay", bodies).await;
    assert_eq!(successes(&answers), 5, "{answers:?}");
    assert_eq!(app.remaining(&m, &member, "wash", Some("s")).await, 0);
    assert_eq!(app.remaining(&m, &member, "wax", None).await, 95, "all or nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_pays_with_one_traction_no_charge_once() {
    let app = Arc::new(spawn_app().await);
    let m = new_merchant();
    let member = app.member_with_balance(&m, 10_000).await;
    let body = balance_pay(&m, &serial('1'), 700, &member);
    let answers = all_at_once(&app, "pay", vec![body; 30]).await;
    assert!(answers.iter().all(|a| a == &answers[0]), "{answers:?}");
    assert_eq!(answers[0]["ret"], "success");
    assert_eq!(app.balance(&m, &member).await, 9_300);
    let ledger = app.statement(&m, &member).await;
    assert_eq!(ledger.iter().filter(|e| e["kind"] == "pay").count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_refunds_never_exceed_the_pay_and_one_traction_no_credits_once() {
    let app = Arc::new(spawn_app().await);
    let m = new_merchant();
    let member = app.member_with_balance(&m, 1000).await;
    let t = serial('1');
    app.pay(&balance_pay(&m, &t, 1000, &member)).await;
    let bodies = (0..10)
        .map(|_| refund_body(&m, &serial('2'), &t, 1000, 300, 0))
        .collect();
    let answers = all_at_once(&app, "refund", bodies).await;
    assert_eq!(successes(&answers), 3, "{answers:?}");
    assert_eq!(app.balance(&m, &member).await, 900);

    let last = refund_body(&m, &serial('2'), &t, 1000, 100, 1);
    let answers = all_at_once(&app, "refund", vec![last; 20]).await;
    assert!(
        answers.iter().all(|a| a == &answers[0] && a["ret"] == "success"),
        "{answers:?}"
    );
    assert_eq!(app.balance(&m, &member).await, 1000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_duplicate_recharges_credit_once() {
    let app = Arc::new(spawn_app().await);
    let m = new_merchant();
    let member = app.member_with_balance(&m, 0).await;
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (app, m, member) = (app.clone(), m.clone(), member.clone());
            tokio::spawn(async move { app.recharge(&m, &member, 500, "R-20260101-1").await })
        })
        .collect();
    for t in tasks {
        let (status, body) = t.await.unwrap();
        assert_eq!(status, 200, "{body}");
    }
    assert_eq!(app.balance(&m, &member).await, 500);
    let ledger = app.statement(&m, &member).await;
    assert_eq!(ledger.len(), 1, "{ledger:?}");
}
