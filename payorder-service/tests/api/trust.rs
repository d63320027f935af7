//! The trust boundary as payorder-service keeps it itself (API.md A.1): internal routes take
//! only the internal service token, public routes refuse it, merchant routes need the
//! merchant or admin role, path ids never address another route upstream, and a pay's error
//! reason never shows where a connector lives.

use payserver_shared::auth::Role;
use payserver_shared::testing;
use serde_json::json;

use crate::helpers::{Mode, Start, assert_envelope, connector_token, merchant, pay_body, service, spawn_app, start};

#[tokio::test]
async fn internal_routes_refuse_merchant_admin_and_connector_tokens() {
    let Start { app, mode: cash, .. } = start(Mode::Cash).await;
    let (_, paid) = app.pay(&merchant("m1"), &cash, "t-1", 100, "ok").await;
    let uuid = paid["data"]["uuid"].as_str().unwrap();
    let admin = testing::token(None, &[Role::Admin]);
    for token in [merchant("m1"), admin, connector_token()] {
        app.internal
            .get_refused(&format!("payOrders/{uuid}"), &token, 403, 4030)
            .await;
        app.internal.get_refused("payOrders", &token, 403, 4030).await;
        let body = json!({"refundTractionNo": "2000"});
        let (status, err) = app.internal.post("refunds/confirm", &token, &body).await;
        assert_envelope(status, &err, 403, 4030);
    }
}

#[tokio::test]
async fn a_service_token_is_refused_on_public_routes() {
    let Start { app, mode: cash, .. } = start(Mode::Cash).await;
    app.get_refused("payOrders", &service(), 403, 4030).await;
    let mut body = pay_body(&cash, "t-2", 100, "ok");
    body["merchantUUID"] = json!("m1");
    let (status, err) = app.post("pay", &service(), &body).await;
    assert_envelope(status, &err, 403, 4030);
    app.get_refused("tradeRecords", &service(), 403, 4030).await;
    let (_, orders) = app.get("payOrders", &merchant("m1")).await;
    assert_eq!(orders["size"], 0, "nothing was paid");
}

#[tokio::test]
async fn the_internal_pay_order_reads_answer_a_service_for_any_merchant() {
    let Start { app, mode: cash, .. } = start(Mode::Cash).await;
    let (_, paid) = app.pay(&merchant("m1"), &cash, "t-3", 100, "ok").await;
    let uuid = paid["data"]["uuid"].as_str().unwrap();
    let (status, order) = app.internal.get(&format!("payOrders/{uuid}"), &service()).await;
    assert_eq!(
        (status, order["merchantUUID"].as_str(), order["uuid"].as_str()),
        (200, Some("m1"), Some(uuid)),
        "{order}"
    );
    let (status, list) = app
        .internal
        .get(&format!("payOrders?payModeUUID={cash}&limit=1"), &service())
        .await;
    assert_eq!((status, list["size"].as_i64()), (200, Some(1)), "{list}");
    let (status, none) = app
        .internal
        .get("payOrders?payModeUUID=AAAAAAAAAAAAAAAAAAAAAA", &service())
        .await;
    assert_eq!((status, none["size"].as_i64()), (200, Some(0)));
    app.internal
        .get_refused("payOrders/AAAAAAAAAAAAAAAAAAAAAA", &service(), 404, 4040)
        .await;
}

#[tokio::test]
async fn connector_and_roleless_tokens_are_refused_on_merchant_routes() {
    let Start { app, mode: cash, .. } = start(Mode::Cash).await;
    let (_, paid) = app.pay(&merchant("m1"), &cash, "t-4", 100, "ok").await;
    let uuid = paid["data"]["uuid"].as_str().unwrap();
    let roleless = testing::token(Some("m1"), &[]);
    let own_connector = testing::token(Some("m1"), &[Role::Connector]);
    for token in [connector_token(), roleless, own_connector] {
        let (status, err) = app.pay(&token, &cash, "t-5", 100, "ok").await;
        assert_envelope(status, &err, 403, 4030);
        let batch = json!({"batchPayData": [pay_body(&cash, "t-6", 100, "ok")]});
        let (status, err) = app.post("batchPay", &token, &batch).await;
        assert_envelope(status, &err, 403, 4030);
        for path in [
            "payOrders".to_string(),
            format!("payOrders/{uuid}"),
            format!("payOrders/{uuid}/tradeRecords"),
            format!("payModes/{cash}/payOrders"),
            "tradeRecords".to_string(),
        ] {
            app.get_refused(&path, &token, 403, 4030).await;
        }
    }
    let (_, orders) = app.get("payOrders", &merchant("m1")).await;
    assert_eq!(orders["size"], 1, "only the merchant's own pay exists");
}

#[tokio::test]
async fn a_path_id_with_an_encoded_slash_is_unknown_and_never_reaches_an_upstream_route() {
    let Start { app, mode: cash, .. } = start(Mode::Cash).await;
    app.pay(&merchant("m1"), &cash, "t-7", 100, "ok").await;
    // Decoded, this is `{cash}/../{cash}`: pasted into paymode-service's URL it would address
    // the mode itself after normalisation.
    for path in [
        format!("payModes/{cash}%2F..%2F{cash}/payOrders"),
        format!("payModes/{cash}%2F..%2F{cash}/tradeRecords"),
        format!("payOrders/x%2F..%2F{cash}"),
        format!("payModeTemplates/x%2F..%2F{}/payOrders", crate::helpers::CASH),
        "tradeRecords/a%5Cb".to_string(),
    ] {
        app.get_refused(&path, &merchant("m1"), 404, 4040).await;
    }
    let (status, list) = app.get(&format!("payModes/{cash}/payOrders"), &merchant("m1")).await;
    assert_eq!((status, list["size"].as_i64()), (200, Some(1)));
}

#[tokio::test]
async fn a_pays_error_reason_never_shows_a_connector_url() {
    let app = spawn_app().await;
    // Nothing listens on port 9 of the loopback: the connection is refused.
    let mode = app
        .open_mode(
            "m1",
            json!({"name": "gone", "isOnline": 1, "payUrl": "http://127.0.0.1:9/connector/pay"}),
        )
        .await;
    let (status, answer) = app.pay(&merchant("m1"), &mode, "t-8", 100, "ok").await;
    assert_eq!(status, 200, "{answer}");
    let order = &answer["data"];
    assert_eq!(
        (order["status"].as_str(), order["resultCode"].as_str()),
        (Some("payFailed"), Some("CONNECTOR_REJECTED")),
        "{answer}"
    );
    let reason = order["thirdErrorReason"].as_str().unwrap();
    assert!(!reason.is_empty());
    for leak in ["127.0.0.1", ":9", "http", "/connector/"] {
        assert!(!reason.contains(leak), "the reason shows {leak}: {reason}");
    }
}
