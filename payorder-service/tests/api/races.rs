//! The expiry cancel racing a late success: whatever the order of events, the books end as the
//! channel left the money (core/resolver.rs, orders::journal_reversal).

use payserver_shared::testing;
use serde_json::json;

use crate::helpers::{Mode, Start, contradictions, eventually, start};
use crate::stand_in;

fn success(traction: &str) -> serde_json::Value {
    json!({"tractionNo": traction, "ret": "success", "thirdOrderNo": format!("W{traction}"), "tradeFinishedAt": "2026-11-22 10:00:05"})
}

#[tokio::test]
async fn a_success_notified_while_the_expiry_cancel_is_on_its_way_is_reversed_in_the_books() {
    // No queryUrl: the stand-in's own notification is all that settles a success.
    let Start { app, mode, token } = start(Mode::StandIn { with_query: false }).await;
    let (uuid, traction) = app.pay_paying(&token, &mode, "x-1", 300, "gated").await;
    let before = contradictions("resolver");

    app.expire(&uuid);
    // The resolver cancels at the channel; the channel holds the cancel...
    eventually(10, "the expiry cancel to reach the channel", || {
        app.stand_in.cancel_arrived(&traction)
    })
    .await;
    // ...while the success notification lands and settles the order with its journal row.
    let notifier = testing::connector_token(stand_in::NAME);
    let (status, body) = app.post("payNotify", &notifier, &success(&traction)).await;
    assert_eq!(
        (status, body["data"]["status"].as_str()),
        (200, Some("payed")),
        "{body}"
    );
    // Then the cancel succeeds: the money went back.
    app.stand_in.open_gate(1);
    let order = app.wait_status(&uuid, &token, 10, |s| s == "refunded").await;
    assert_eq!(
        (order["status"].as_str(), order["refundAmount"].as_i64()),
        (Some("refunded"), Some(300)),
        "{order}"
    );
    let serial = app.stand_in.cancelled(&traction).expect("the channel cancelled");
    assert!(serial.starts_with('3'), "a cancel serial is its own space: {serial}");
    let (rows, net) = app.journal(&uuid, &token).await;
    assert_eq!(net, 0, "the books say what the channel did: {rows:?}");
    let reversal = rows
        .iter()
        .find(|r| r["tradeType"] == "refund")
        .expect("a reversal row");
    assert_eq!(reversal["tractionNo"], serial.as_str());
    assert_eq!(reversal["amount"], 300);
    assert!(
        reversal["thirdNo"].as_str().unwrap().starts_with("cancel:"),
        "{reversal}"
    );
    assert!(contradictions("resolver") > before, "the contradiction is counted");
}

#[tokio::test]
async fn notifications_racing_expiry_cancels_leave_the_books_as_the_channel_left_the_money() {
    let Start { app, mode, token } = start(Mode::StandIn { with_query: false }).await;
    let mut orders = Vec::new();
    for i in 0..12 {
        let (uuid, traction) = app
            .pay_paying(&token, &mode, &format!("xr-{i}"), 100 + i, "jitter")
            .await;
        orders.push((uuid, traction, 100 + i));
    }
    app.sql("UPDATE pay_orders SET order_expired_at = 1");
    // Every success notification races the resolver's cancel of the same order.
    let notifier = testing::connector_token(stand_in::NAME);
    let calls: Vec<_> = orders
        .iter()
        .enumerate()
        .map(|(i, (_, traction, _))| {
            let (client, url, notifier, body) = (
                app.http.clone(),
                app.url("payNotify"),
                notifier.clone(),
                success(traction),
            );
            tokio::spawn(async move {
                tokio::time::sleep(std::time::Duration::from_millis(15 * i as u64)).await;
                let resp = client.post(url).bearer_auth(notifier).json(&body).send().await.unwrap();
                resp.status().as_u16()
            })
        })
        .collect();
    for c in calls {
        let status = c.await.unwrap();
        assert!(
            status == 200 || status == 409,
            "a success either settles or contradicts a failed order: {status}"
        );
    }
    // Consistent: cancelled at the channel ⇒ nothing kept (failed, or payed then reversed);
    // not cancelled ⇒ payed.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    for (uuid, traction, amount) in &orders {
        loop {
            let (_, order) = app.get(&format!("payOrders/{uuid}"), &token).await;
            let status = order["status"].as_str().unwrap().to_string();
            let (_, net) = app.journal(uuid, &token).await;
            let consistent = match app.stand_in.cancelled(traction) {
                Some(_) => (status == "payFailed" || status == "refunded") && net == 0,
                None => status == "payed" && net == *amount,
            };
            if consistent && app.stand_in.in_flight() == 0 {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "order {traction}: {status}, journal {net}, cancelled {:?}",
                app.stand_in.cancelled(traction)
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
}
