//! `/refundNotify`: only the refund's own connector may move it, a `success` or `failed` is
//! confirmed with the connector's queryUrl when it has one, and a finished refund never moves.

use payserver_shared::config::Settings;
use payserver_shared::testing::connector_token;
use serde_json::json;

use crate::helpers::{
    Paid, Start, assert_envelope, assert_refund_amount, contradictions, merchant, refund_body, spawn_app_with, start,
    start_with,
};

/// The resolver waits a minute before its first look, so only the notifications of a test
/// move its refunds.
fn quiet_resolver(s: &mut Settings) {
    s.refund.resolver_backoff_ms = 60_000;
    s.refund.resolver_backoff_max_ms = 60_000;
}

fn note(traction_no: &serde_json::Value, ret: &str) -> serde_json::Value {
    json!({"tractionNo": traction_no, "ret": ret, "thirdOrderNo": "CH-1", "thirdErrorReason": "declined",
        "tradeFinishedAt": "2026-11-22 10:00:00"})
}

#[tokio::test]
async fn a_forged_failed_notification_does_not_free_an_in_flight_refund_for_a_second_one() {
    let Start { app, m, pay } = start_with(quiet_resolver, Paid::Scripted { with_query: true }, 1000).await;
    let (_, first) = app
        .refund(&m, &refund_body(&pay, "in-flight", Some(500), "running"))
        .await;
    assert_eq!(first["data"]["status"], "refunding", "{first}");
    let (uuid, traction) = (first["data"]["uuid"].as_str().unwrap(), &first["data"]["tractionNo"]);

    // Another connector's credential moves nothing.
    let (status, err) = app.notify(&connector_token("flaky"), &note(traction, "failed")).await;
    assert_envelope(status, &err, 403, 4030);
    assert_eq!(app.refund_order(uuid, &m).await["status"], "refunding");

    // The refund's own connector, but its queryUrl says the refund went through: not released.
    let (status, err) = app
        .notify(&connector_token("scripted"), &note(traction, "failed"))
        .await;
    assert_envelope(status, &err, 409, 4090);
    let (status, err) = app.refund(&m, &refund_body(&pay, "second", Some(1000), "ok")).await;
    assert_envelope(status, &err, 500, 9004);
    let refund = app.refund_order(uuid, &m).await;
    assert!(
        refund["status"] == "refunding" || refund["status"] == "refunded",
        "{refund}"
    );

    // The channel's real notification is taken.
    let (status, ok) = app
        .notify(&connector_token("scripted"), &note(traction, "success"))
        .await;
    assert_eq!((status, ok["data"]["status"].as_str()), (200, Some("refunded")), "{ok}");
    app.assert_pay_order(&m, &pay, 500, "partRefunded").await;
}

#[tokio::test]
async fn a_success_notification_settles_nothing_until_the_connectors_query_confirms_it() {
    let Start { app, m, pay } = start_with(quiet_resolver, Paid::Flaky { with_query: true }, 800).await;
    // `hold`: the channel has the refund and keeps answering running.
    let (_, r) = app.refund(&m, &refund_body(&pay, "held", Some(300), "hold")).await;
    assert_eq!(r["data"]["status"], "refunding", "{r}");
    let (uuid, traction) = (r["data"]["uuid"].as_str().unwrap(), &r["data"]["tractionNo"]);
    let (status, err) = app.notify(&connector_token("flaky"), &note(traction, "success")).await;
    assert_envelope(status, &err, 409, 4090);
    assert_eq!(app.refund_order(uuid, &m).await["status"], "refunding");
    assert_eq!(app.pay_order(&m, &pay).await["refundAmount"], 0);
}

#[tokio::test]
async fn without_a_query_url_only_the_refunds_own_connector_may_fail_it() {
    let Start { app, m, pay } = start_with(quiet_resolver, Paid::Scripted { with_query: false }, 300).await;
    let (_, r) = app.refund(&m, &refund_body(&pay, "n-f", None, "running")).await;
    let (uuid, traction) = (r["data"]["uuid"].as_str().unwrap(), &r["data"]["tractionNo"]);
    for other in ["flaky", "wechat"] {
        let (status, err) = app.notify(&connector_token(other), &note(traction, "failed")).await;
        assert_envelope(status, &err, 403, 4030);
    }
    assert_eq!(app.refund_order(uuid, &m).await["status"], "refunding");
    let (status, err) = app.refund(&m, &refund_body(&pay, "n-g", None, "ok")).await;
    assert_envelope(status, &err, 500, 9004);

    let (status, failed) = app
        .notify(&connector_token("scripted"), &note(traction, "failed"))
        .await;
    assert_eq!(
        (status, failed["data"]["status"].as_str()),
        (200, Some("refundFailed")),
        "{failed}"
    );
    let (status, again) = app.refund(&m, &refund_body(&pay, "n-h", None, "ok")).await;
    assert_refund_amount(status, &again, 300, "the failed refund freed the amount");
}

#[tokio::test]
async fn a_refund_sent_to_an_unregistered_url_takes_no_notification() {
    let app = spawn_app_with(quiet_resolver).await;
    let m = merchant("m1");
    let custom = crate::flaky::spawn_unregistered();
    let pay = app.paid_at(&custom, "m1", 500, false).await;
    let (_, r) = app.refund(&m, &refund_body(&pay, "custom", None, "running")).await;
    assert_eq!(r["data"]["status"], "refunding", "{r}");
    let (uuid, traction) = (r["data"]["uuid"].as_str().unwrap(), &r["data"]["tractionNo"]);
    for connector in ["scripted", "flaky", "wechat"] {
        for ret in ["success", "failed"] {
            let (status, err) = app.notify(&connector_token(connector), &note(traction, ret)).await;
            assert_envelope(status, &err, 403, 4030);
        }
    }
    assert_eq!(app.refund_order(uuid, &m).await["status"], "refunding");
    assert_eq!(app.pay_order(&m, &pay).await["refundAmount"], 0);
}

#[tokio::test]
async fn a_notification_never_moves_a_finished_refund_and_the_contradiction_is_counted() {
    let Start { app, m, pay } = start(Paid::Scripted { with_query: false }, 400).await;
    let (_, r) = app.refund(&m, &refund_body(&pay, "done", None, "ok")).await;
    assert_eq!(r["data"]["status"], "refunded", "{r}");
    let (uuid, traction) = (r["data"]["uuid"].as_str().unwrap(), &r["data"]["tractionNo"]);
    let before = contradictions("notify");
    let (status, err) = app
        .notify(&connector_token("scripted"), &note(traction, "failed"))
        .await;
    assert_envelope(status, &err, 409, 4090);
    assert!(contradictions("notify") > before, "counted");
    assert_eq!(app.refund_order(uuid, &m).await["status"], "refunded");
    app.assert_pay_order(&m, &pay, 400, "refunded").await;
    // The same word again is no contradiction, just a repeat.
    let (status, ok) = app
        .notify(&connector_token("scripted"), &note(traction, "success"))
        .await;
    assert_eq!((status, ok["data"]["status"].as_str()), (200, Some("refunded")), "{ok}");
}

#[tokio::test]
async fn concurrent_success_notifications_refund_once_and_all_say_refunded() {
    let Start { app, m, pay } = start_with(quiet_resolver, Paid::Scripted { with_query: false }, 900).await;
    let (_, r) = app.refund(&m, &refund_body(&pay, "many", Some(400), "running")).await;
    let traction = r["data"]["tractionNo"].clone();
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let (client, url, body) = (
                app.client.clone(),
                format!("{}/api/v1.0.0/refundNotify", app.address),
                note(&traction, "success"),
            );
            tokio::spawn(async move {
                crate::helpers::read(
                    client
                        .post(url)
                        .bearer_auth(connector_token("scripted"))
                        .json(&body)
                        .send()
                        .await
                        .unwrap(),
                )
                .await
            })
        })
        .collect();
    for c in calls {
        let (status, body) = c.await.unwrap();
        assert_eq!(
            (status, body["data"]["status"].as_str()),
            (200, Some("refunded")),
            "{body}"
        );
    }
    let order = app.pay_order(&m, &pay).await;
    assert_eq!(order["refundAmount"], 400, "{order}");
    let trades = app.refund_trades(&m, &order).await;
    assert_eq!(trades["size"], 1, "{trades}");
}
