//! `/payNotify` (core/notify.rs): only the order's own connector, a success only as the
//! channel's query confirms it, and never out of a final state.

use payserver_shared::testing;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_envelope, connector_token, contradictions, merchant, pay_body, spawn_app};

fn success(traction: &str) -> Value {
    json!({"tractionNo": traction, "ret": "success", "thirdOrderNo": "FORGED", "thirdErrorReason": "", "tradeFinishedAt": "2026-11-22 10:00:05"})
}

/// An order of 100 fen that `m1` pays under `script` on a new online mode of the scripted
/// connector (with a queryUrl when `with_query`); pay's answer and the order's tractionNo.
async fn pay_online(app: &TestApp, with_query: bool, client_pay_no: &str, script: &str) -> (Value, String) {
    let mode = app.open_online_mode("m1", with_query).await;
    let body = pay_body(&mode, client_pay_no, 100, script);
    let answer = app.post("pay", &merchant("m1"), &body).await.1;
    let traction = answer["data"]["tractionNo"].as_str().unwrap().to_string();
    (answer, traction)
}

/// The order of pay's `answer`, as `m1` reads it now.
async fn order_now(app: &TestApp, answer: &Value) -> Value {
    let uuid = answer["data"]["uuid"].as_str().unwrap();
    app.get(&format!("payOrders/{uuid}"), &merchant("m1")).await.1
}

#[tokio::test]
async fn a_success_the_channels_query_does_not_confirm_leaves_the_order_paying() {
    let app = spawn_app().await;
    // `stuck`: the channel never takes the money; its query says running.
    let (answer, traction) = pay_online(&app, true, "n-1", "stuck").await;
    assert_eq!(answer["data"]["status"], "paying");
    let (status, body) = app.post("payNotify", &connector_token(), &success(&traction)).await;
    assert_eq!(
        (status, body["data"]["status"].as_str()),
        (202, Some("paying")),
        "{body}"
    );
    let order = order_now(&app, &answer).await;
    assert_eq!(order["status"], "paying");
    assert_eq!(
        order["thirdPayNo"],
        Value::Null,
        "the forged thirdOrderNo was not taken"
    );
    let (_, trades) = app.get("tradeRecords", &merchant("m1")).await;
    assert_eq!(trades["size"], 0, "no money was journaled");
}

#[tokio::test]
async fn a_confirmed_success_settles_with_the_channels_own_answer() {
    let app = spawn_app().await;
    // `running`: the pay is under way and the channel's query answers success.
    let (_, traction) = pay_online(&app, true, "n-2", "running").await;
    let (status, body) = app.post("payNotify", &connector_token(), &success(&traction)).await;
    assert_eq!(
        (status, body["data"]["status"].as_str()),
        (200, Some("payed")),
        "{body}"
    );
    assert_eq!(
        body["data"]["thirdPayNo"],
        format!("T{traction}"),
        "the query's, not the notification's"
    );
    let (_, trades) = app.get("tradeRecords", &merchant("m1")).await;
    assert_eq!(trades["size"], 1);
}

#[tokio::test]
async fn a_notification_from_another_connector_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let (answer, traction) = pay_online(&app, false, "n-3", "stuck").await;
    for other in ["wechat", "standin", "sign_account"] {
        let (status, err) = app
            .post("payNotify", &testing::connector_token(other), &success(&traction))
            .await;
        assert_envelope(status, &err, 403, 4030);
        let mut failed = success(&traction);
        failed["ret"] = json!("failed");
        let (status, err) = app.post("payNotify", &testing::connector_token(other), &failed).await;
        assert_envelope(status, &err, 403, 4030);
    }
    // A connector token without a connector claim names nobody.
    let anonymous = testing::token(None, &[payserver_shared::auth::Role::Connector]);
    let (status, err) = app.post("payNotify", &anonymous, &success(&traction)).await;
    assert_envelope(status, &err, 403, 4030);
    let order = order_now(&app, &answer).await;
    assert_eq!(order["status"], "paying");
    let (_, trades) = app.get("tradeRecords", &merchant("m1")).await;
    assert_eq!(trades["size"], 0);
}

#[tokio::test]
async fn nobodys_notification_moves_an_order_of_a_custom_url_outside_the_registry() {
    let app = spawn_app().await;
    // The scripted connector under a name the registry does not know: no connector owns it.
    let unregistered = app.connector.url.replace("127.0.0.1", "localhost");
    let mode = app
        .open_mode(
            "m1",
            json!({"name": "own", "isOnline": 1, "payUrl": format!("{unregistered}/connector/pay")}),
        )
        .await;
    let (_, answer) = app.pay(&merchant("m1"), &mode, "n-4", 100, "ok").await;
    let traction = answer["data"]["tractionNo"].as_str().unwrap();
    let (status, err) = app.post("payNotify", &connector_token(), &success(traction)).await;
    assert_envelope(status, &err, 403, 4030);
    assert_eq!(
        answer["data"]["status"], "payFailed",
        "the unregistered URL got no credential"
    );
}

#[tokio::test]
async fn a_success_for_a_failed_order_changes_nothing_and_is_counted() {
    let app = spawn_app().await;
    let (answer, traction) = pay_online(&app, true, "n-5", "decline").await;
    assert_eq!(answer["data"]["status"], "payFailed");
    let before = contradictions("notify");
    let (status, err) = app.post("payNotify", &connector_token(), &success(&traction)).await;
    assert_envelope(status, &err, 409, 4090);
    assert!(contradictions("notify") > before, "the contradiction is counted");
    let order = order_now(&app, &answer).await;
    assert_eq!(
        (order["status"].as_str(), order["thirdPayNo"].as_str()),
        (Some("payFailed"), None),
        "{order}"
    );
    let (_, trades) = app.get("tradeRecords", &merchant("m1")).await;
    assert_eq!(trades["size"], 0);
}
