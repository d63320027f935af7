use std::time::Duration;

use payserver_shared::testing;
use serde_json::json;

use crate::helpers::{Paid, Start, assert_refund_amount, refund_body, start, start_refund_service};

#[tokio::test]
async fn a_running_refund_is_finished_through_query_url_by_the_resolver() {
    let Start { app, m, pay } = start(Paid::Scripted { with_query: true }, 600).await;
    let (status, r) = app.refund(&m, &refund_body(&pay, "run-1", Some(250), "running")).await;
    assert_eq!(
        (status, r["ret"].as_str(), r["data"]["status"].as_str()),
        (200, Some("success"), Some("refunding")),
        "{r}"
    );
    assert_eq!(
        app.pay_order(&m, &pay).await["refundAmount"],
        0,
        "not refunded until the channel confirms"
    );
    let done = app.wait_refund(r["data"]["uuid"].as_str().unwrap(), &m, 10).await;
    assert_eq!(done["status"], "refunded", "{done}");
    app.assert_pay_order(&m, &pay, 250, "partRefunded").await;
}

#[tokio::test]
async fn a_refund_service_stopped_mid_saga_is_finished_by_the_next_one() {
    let Start { app, m, pay } = start(Paid::Scripted { with_query: true }, 900).await;

    // The connector takes 1 s; the first refund-service dies after the reserve, mid-call.
    let first = refund_service::Application::build(&app.settings).await.unwrap();
    let (first_url, handle) = (format!("http://127.0.0.1:{}", first.port()), first.handle());
    tokio::spawn(first.run_until_stopped());
    let request = {
        let (client, token, body) = (
            app.client.clone(),
            m.clone(),
            refund_body(&pay, "crash-1", Some(400), "slow"),
        );
        tokio::spawn(async move {
            client
                .post(format!("{first_url}/api/v1.0.0/refund"))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    handle.stop(false).await;
    let _ = request.await;
    let held = app.pay_order(&m, &pay).await;
    assert_eq!(held["refundAmount"], 0, "nothing confirmed yet");

    // A new instance on the same database picks the saga up once the lease lapses.
    let second = start_refund_service(&app.settings).await;
    let (_, list) = app.get(&second, "refundOrders?clientRefundNo=crash-1", &m).await;
    assert_eq!(list["size"], 1, "the intent survived the crash: {list}");
    let uuid = list["items"][0]["uuid"].as_str().unwrap().to_string();
    let path = format!("refundOrders/{uuid}");
    let done = testing::poll(
        Duration::from_secs(15),
        Duration::from_millis(200),
        || async { app.get(&second, &path, &m).await.1 },
        |r| r["status"] == "refunded" || r["status"] == "refundFailed",
    )
    .await;
    assert_eq!(done["status"], "refunded", "{done}");
    app.assert_pay_order(&m, &pay, 400, "partRefunded").await;
    assert_eq!(
        app.connector.refund_executions(done["tractionNo"].as_str().unwrap()),
        1,
        "refunded once at the channel"
    );
    // And the pay order can still be refunded exactly up to what is left.
    let (status, rest) = app
        .post(&second, "refund", &m, &refund_body(&pay, "crash-2", None, "ok"))
        .await;
    assert_refund_amount(status, &rest, 500, "accepted");
}

#[tokio::test]
async fn refund_notify_is_for_connectors_and_idempotent() {
    // No queryUrl: only the notification (or a re-send) can finish it.
    let Start { app, m, pay } = start(Paid::Scripted { with_query: false }, 300).await;
    let (_, r) = app.refund(&m, &refund_body(&pay, "n-1", None, "running")).await;
    let traction = r["data"]["tractionNo"].as_str().unwrap().to_string();
    let note = json!({"tractionNo": traction, "ret": "success", "thirdOrderNo": "WX-R-1", "tradeFinishedAt": "2026-11-22 10:00:00"});
    let (status, _) = app.post(&app.address, "refundNotify", &m, &note).await;
    assert_eq!(status, 403);
    let connector = payserver_shared::testing::connector_token("scripted");
    for _ in 0..2 {
        let (status, body) = app.post(&app.address, "refundNotify", &connector, &note).await;
        assert_eq!(status, 200, "{body}");
        assert!(body["data"]["status"] == "refunded", "{body}");
    }
    app.assert_pay_order(&m, &pay, 300, "refunded").await;
}
