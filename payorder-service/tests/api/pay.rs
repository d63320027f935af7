use payserver_shared::testing;
use reqwest::Method;
use serde_json::json;

use crate::helpers::{
    Mode, Start, assert_envelope, assert_pay_answer, connector_token, merchant, pay_body, spawn_app, start,
};

#[tokio::test]
async fn an_offline_pay_is_payed_at_once_and_journaled() {
    let Start { app, mode: cash, .. } = start(Mode::Cash).await;
    let (status, answer) = app.pay(&merchant("m1"), &cash, "c-1", 50, "ok").await;
    assert_pay_answer(status, &answer, "success", "offlinePay");
    let order = &answer["data"];
    assert_eq!(order["status"], "payed");
    assert_eq!(order["payModeName"], "现金");
    assert_eq!(order["payTemplateId"], "C924182F-581B-4990-944A-ABCAB8E552B3");
    assert_eq!(order["refundAmount"], 0);
    assert_eq!(order["lastRefundAt"], serde_json::Value::Null);
    assert_eq!(order["clientExtraParams"]["receiveableAmount"], 210);
    let traction = order["tractionNo"].as_str().unwrap();
    assert!(traction.starts_with('1') && traction.len() == 20 && traction.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(app.connector.total_executions(), 0, "offline pays call no connector");

    let uuid = order["uuid"].as_str().unwrap();
    let (_, trades) = app
        .get(&format!("payOrders/{uuid}/tradeRecords"), &merchant("m1"))
        .await;
    assert_eq!(trades["size"], 1);
    assert_eq!(
        (
            trades["items"][0]["tradeType"].as_str(),
            trades["items"][0]["amount"].as_i64()
        ),
        (Some("pay"), Some(50))
    );
}

#[tokio::test]
async fn a_sync_online_pay_is_payed_when_the_connector_succeeds() {
    let Start { app, mode, .. } = start(Mode::Scripted { with_query: true }).await;
    let (status, answer) = app.pay(&merchant("m1"), &mode, "c-2", 120, "ok").await;
    assert_pay_answer(status, &answer, "success", "syncOnlinePay");
    let order = &answer["data"];
    assert_eq!(order["status"], "payed");
    let traction = order["tractionNo"].as_str().unwrap();
    assert_eq!(order["thirdPayNo"], format!("T{traction}"));
    assert_eq!(order["payFinishAt"], "2026-11-22 10:00:00");
    assert_eq!(app.connector.executions(traction), 1);

    let (_, found) = app.get("payOrders?clientPayNo=c-2", &merchant("m1")).await;
    assert_eq!(found["size"], 1);
    assert_eq!(found["items"][0]["uuid"], order["uuid"]);
}

#[tokio::test]
async fn a_declined_pay_fails_with_the_channels_reason() {
    let Start { app, mode, .. } = start(Mode::Scripted { with_query: true }).await;
    let (status, answer) = app.pay(&merchant("m1"), &mode, "c-3", 120, "decline").await;
    assert_eq!(status, 200);
    assert_eq!(answer["ret"], "failed");
    assert_eq!(answer["data"]["status"], "payFailed");
    assert_eq!(answer["data"]["resultCode"], "CONNECTOR_FAILED");
    assert_eq!(answer["data"]["thirdErrorReason"], "insufficient funds");
    let (_, trades) = app.get("tradeRecords", &merchant("m1")).await;
    assert_eq!(trades["size"], 0, "a failed pay moves no money");
}

#[tokio::test]
async fn a_replayed_client_pay_no_returns_the_same_order_and_a_changed_one_is_409() {
    let Start { app, mode, .. } = start(Mode::Scripted { with_query: true }).await;
    let (_, first) = app.pay(&merchant("m1"), &mode, "c-4", 100, "ok").await;
    app.set_mode_opened("m1", &mode, 0).await;
    let (status, again) = app.pay(&merchant("m1"), &mode, "c-4", 100, "ok").await;
    assert_eq!(status, 200, "a replay answers even after the mode was closed: {again}");
    assert_eq!(again["data"]["uuid"], first["data"]["uuid"]);
    let (status, err) = app.pay(&merchant("m1"), &mode, "c-4", 101, "ok").await;
    assert_envelope(status, &err, 409, 4090);
    assert_eq!(app.connector.total_executions(), 1);
}

#[tokio::test]
async fn fifty_concurrent_identical_pays_make_one_order_and_one_charge() {
    let Start { app, mode, token } = start(Mode::Scripted { with_query: true }).await;
    let body = pay_body(&mode, "c-race", 300, "ok");
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let (client, url, token, body) = (app.http.clone(), app.url("pay"), token.clone(), body.clone());
            tokio::spawn(async move {
                let resp = client.post(url).bearer_auth(token).json(&body).send().await.unwrap();
                (resp.status().as_u16(), resp.json::<serde_json::Value>().await.unwrap())
            })
        })
        .collect();
    let mut uuids = std::collections::HashSet::new();
    for c in calls {
        let (status, answer) = c.await.unwrap();
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer["ret"], "success");
        uuids.insert(answer["data"]["uuid"].as_str().unwrap().to_string());
    }
    assert_eq!(uuids.len(), 1, "one order");
    let (_, orders) = app.get("payOrders?clientPayNo=c-race", &token).await;
    assert_eq!(orders["size"], 1);
    let uuid = uuids.into_iter().next().unwrap();
    app.wait_settled_as(&uuid, &token, 5, "payed").await;
    assert_eq!(app.connector.total_executions(), 1, "one charge");
    let (_, trades) = app.get("tradeRecords", &token).await;
    assert_eq!(trades["size"], 1);
}

#[tokio::test]
async fn unopened_unknown_and_foreign_modes_are_refused() {
    let Start { app, mode, .. } = start(Mode::Scripted { with_query: true }).await;
    app.set_mode_opened("m1", &mode, 0).await;
    let (status, err) = app.pay(&merchant("m1"), &mode, "c-5", 100, "ok").await;
    assert_envelope(status, &err, 500, 9002);
    let (status, err) = app.pay(&merchant("m2"), &mode, "c-5", 100, "ok").await;
    assert_envelope(status, &err, 404, 4040);
    let (status, err) = app
        .post(
            "pay",
            &merchant("m1"),
            &pay_body("AAAAAAAAAAAAAAAAAAAAAA", "c-6", 100, "ok"),
        )
        .await;
    assert_envelope(status, &err, 404, 4040);
    assert_eq!(app.connector.total_executions(), 0);
}

#[tokio::test]
async fn a_merchant_never_sees_another_merchants_orders() {
    let Start { app, mode: cash, .. } = start(Mode::Cash).await;
    let (_, answer) = app.pay(&merchant("m1"), &cash, "c-7", 100, "ok").await;
    let uuid = answer["data"]["uuid"].as_str().unwrap();
    let other = merchant("m2");
    app.get_refused(&format!("payOrders/{uuid}"), &other, 404, 4040).await;
    app.get_refused(&format!("payOrders/{uuid}/tradeRecords"), &other, 404, 4040)
        .await;
    let (status, list) = app.get("payOrders?clientPayNo=c-7", &other).await;
    assert_eq!((status, list["size"].as_i64()), (200, Some(0)));
    app.get_refused("payOrders?merchantUUID=m1", &other, 403, 4030).await;
    app.get_refused(&format!("payModes/{cash}/payOrders"), &other, 404, 4040)
        .await;
    let (status, trades) = app.get("tradeRecords", &other).await;
    assert_eq!((status, trades["size"].as_i64()), (200, Some(0)));
}

#[tokio::test]
async fn malformed_and_out_of_range_inputs_get_400_envelopes_and_change_nothing() {
    let Start { app, mode: cash, token } = start(Mode::Cash).await;
    for (k, v) in [
        ("payAmount", json!(0)),
        ("payAmount", json!(-1)),
        ("payAmount", json!(12.5)),
        ("payAmount", json!("50")),
        ("payAmount", json!(1_000_000_000_001i64)),
        ("clientPayNo", json!("no spaces allowed")),
        ("clientPayNo", json!(null)),
        ("payModeUUID", json!("x")),
        ("payParams", json!("text")),
    ] {
        let mut body = pay_body(&cash, "c-8", 100, "ok");
        body[k] = v.clone();
        let (status, err) = app.post("pay", &token, &body).await;
        assert_envelope(status, &err, 400, 4000);
    }
    let resp = testing::send(
        app.request(Method::POST, "pay", &token)
            .header("content-type", "application/json")
            .body("{\"payAmount\":"),
    )
    .await;
    testing::read_envelope(resp, 400, 4000).await;
    for q in [
        "orderBy=secret",
        "orderBy=payAmount%20sideways",
        "limit=0",
        "offset=-3",
        "status=lost",
        "startTime=yesterday",
    ] {
        app.get_refused(&format!("payOrders?{q}"), &token, 400, 4000).await;
    }
    let (_, list) = app.get("payOrders", &token).await;
    assert_eq!(list["size"], 0);
}

#[tokio::test]
async fn batch_pay_answers_every_item_in_request_order() {
    let Start { app, mode, .. } = start(Mode::Scripted { with_query: true }).await;
    let cash = app.open_cash("m1").await;
    let items = json!({"batchPayData": [
        pay_body(&mode, "b-1", 10, "ok"),
        pay_body(&cash, "b-2", 20, "ok"),
        pay_body(&mode, "b-3", 0, "ok"),
        pay_body(&mode, "b-4", 40, "decline"),
        pay_body(&mode, "b-1", 10, "ok"),
    ]});
    let (status, body) = app.post("batchPay", &merchant("m1"), &items).await;
    assert_eq!(status, 200, "{body}");
    let results = body["batchPayResult"].as_array().unwrap();
    let got: Vec<(String, i64)> = results
        .iter()
        .map(|r| {
            (
                r["clientPayNo"].as_str().unwrap().to_string(),
                r["statusCode"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("b-1".into(), 200),
            ("b-2".into(), 200),
            ("b-3".into(), 400),
            ("b-4".into(), 200),
            ("b-1".into(), 200)
        ]
    );
    assert_eq!(results[1]["body"]["businessRet"], "offlinePay");
    assert_eq!(results[2]["body"]["code"], 4000);
    assert_eq!(results[3]["body"]["ret"], "failed");
    assert_eq!(results[0]["body"]["data"]["uuid"], results[4]["body"]["data"]["uuid"]);

    let too_many =
        json!({"batchPayData": (0..101).map(|i| pay_body(&cash, &format!("x{i}"), 1, "ok")).collect::<Vec<_>>()});
    let (status, err) = app.post("batchPay", &merchant("m1"), &too_many).await;
    assert_envelope(status, &err, 400, 4000);
}

#[tokio::test]
async fn pay_notify_is_for_connectors_idempotent_and_cannot_move_a_settled_order() {
    let Start { app, mode, .. } = start(Mode::Scripted { with_query: false }).await;
    let (_, traction) = app.pay_paying(&merchant("m1"), &mode, "c-9", 100, "stuck").await;
    let notify = json!({"tractionNo": traction, "ret": "success", "thirdOrderNo": "W1", "thirdErrorReason": "", "tradeFinishedAt": "2026-11-22 10:00:05"});

    let (status, err) = app.post("payNotify", &merchant("m1"), &notify).await;
    assert_envelope(status, &err, 403, 4030);
    let (status, body) = app.post("payNotify", &connector_token(), &notify).await;
    assert_eq!(
        (status, body["data"]["status"].as_str()),
        (200, Some("payed")),
        "{body}"
    );
    assert_eq!(body["data"]["thirdPayNo"], "W1");
    let (status, body) = app.post("payNotify", &connector_token(), &notify).await;
    assert_eq!((status, body["data"]["status"].as_str()), (200, Some("payed")));
    let mut contrary = notify.clone();
    contrary["ret"] = json!("failed");
    let (status, err) = app.post("payNotify", &connector_token(), &contrary).await;
    assert_envelope(status, &err, 409, 4090);
    let (_, trades) = app.get("tradeRecords", &merchant("m1")).await;
    assert_eq!(trades["size"], 1, "journaled once");
    let (status, err) = app
        .post(
            "payNotify",
            &connector_token(),
            &json!({"tractionNo": "1999", "ret": "success"}),
        )
        .await;
    assert_envelope(status, &err, 404, 4040);
}

#[tokio::test]
async fn a_custom_mode_on_an_untrusted_url_is_called_without_the_service_token() {
    let app = spawn_app().await;
    // The same connector, reached by another name the configuration does not trust.
    let untrusted = app.connector.url.replace("127.0.0.1", "localhost");
    let body = json!({"name": "merchant's own", "isOnline": 1, "payUrl": format!("{untrusted}/connector/pay")});
    let url = format!("{}/api/v1.0.0/payModes", app.paymode_url);
    let resp = app
        .http
        .post(url)
        .bearer_auth(merchant("m1"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let mode: serde_json::Value = resp.json().await.unwrap();
    let (_, answer) = app
        .post(
            "pay",
            &merchant("m1"),
            &pay_body(mode["uuid"].as_str().unwrap(), "c-untrusted", 100, "ok"),
        )
        .await;
    // The connector requires its call token and saw none: it refused, nothing was charged.
    assert_eq!(answer["data"]["status"], "payFailed", "{answer}");
    let reason = answer["data"]["thirdErrorReason"].as_str().unwrap();
    assert!(reason.contains("401"), "{answer}");
    assert!(!reason.contains("localhost") && !reason.contains("http"), "{reason}");
    assert_eq!(app.connector.total_executions(), 0);
}

#[tokio::test]
async fn a_mode_whose_template_was_disabled_refuses_the_very_next_pay() {
    let Start { app, mode: cash, .. } = start(Mode::Cash).await;
    let (status, _) = app.pay(&merchant("m1"), &cash, "c-d1", 100, "ok").await;
    assert_eq!(status, 200);
    app.disable_template(crate::helpers::CASH).await;
    let (status, err) = app.pay(&merchant("m1"), &cash, "c-d2", 100, "ok").await;
    assert_envelope(status, &err, 500, 9003);
    let (status, again) = app.pay(&merchant("m1"), &cash, "c-d1", 100, "ok").await;
    assert_eq!(
        (status, again["data"]["status"].as_str()),
        (200, Some("payed")),
        "a replay still answers"
    );
}

#[tokio::test]
async fn a_closed_mode_refuses_the_very_next_pay_and_a_replay_still_answers() {
    let Start { app, mode, token } = start(Mode::Scripted { with_query: true }).await;
    let (status, first) = app.pay(&token, &mode, "c-close-1", 100, "ok").await;
    assert_eq!((status, first["data"]["status"].as_str()), (200, Some("payed")));
    app.set_mode_opened("m1", &mode, 0).await;
    let (status, err) = app.pay(&token, &mode, "c-close-2", 100, "ok").await;
    assert_envelope(status, &err, 500, 9002);
    let (status, again) = app.pay(&token, &mode, "c-close-1", 100, "ok").await;
    assert_eq!(
        (status, again["data"]["uuid"].as_str()),
        (200, first["data"]["uuid"].as_str()),
        "{again}"
    );
    app.set_mode_opened("m1", &mode, 1).await;
    let (status, reopened) = app.pay(&token, &mode, "c-close-3", 100, "ok").await;
    assert_eq!(
        (status, reopened["data"]["status"].as_str()),
        (200, Some("payed")),
        "{reopened}"
    );
    assert_eq!(app.connector.total_executions(), 2);
}
