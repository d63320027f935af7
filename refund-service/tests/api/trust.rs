//! Who may call what, and path parameters that could address another route.

use payserver_shared::testing::{connector_token, service_token};
use serde_json::json;

use crate::helpers::{Paid, Start, assert_envelope, read, refund_body, start};

#[tokio::test]
async fn a_connector_credential_can_neither_refund_nor_read_refunds() {
    let Start { app, m, pay } = start(Paid::Scripted { with_query: true }, 500).await;
    let (_, r) = app.refund(&m, &refund_body(&pay, "mine", Some(100), "ok")).await;
    let uuid = r["data"]["uuid"].as_str().unwrap();
    let connector = connector_token("scripted");
    let mut body = refund_body(&pay, "by-connector", Some(100), "ok");
    body["merchantUUID"] = json!("m1");
    let (status, err) = app.refund(&connector, &body).await;
    assert_envelope(status, &err, 403, 4030);
    let batch = json!({"batchRefundData": [body]});
    let (status, err) = app.post(&app.address, "batchRefund", &connector, &batch).await;
    assert_envelope(status, &err, 403, 4030);
    let order_uuid = app.pay_order(&m, &pay).await["uuid"].as_str().unwrap().to_string();
    for path in [
        "refundOrders".to_string(),
        "refundOrders?merchantUUID=m1".to_string(),
        format!("refundOrders/{uuid}"),
        format!("payOrders/{order_uuid}/refundOrders"),
    ] {
        let (status, err) = app.get(&app.address, &path, &connector).await;
        assert_envelope(status, &err, 403, 4030);
    }
    assert_eq!(app.pay_order(&m, &pay).await["refundAmount"], 100);
}

#[tokio::test]
async fn a_service_token_cannot_refund_another_merchants_order() {
    let Start { app, m, pay } = start(Paid::Scripted { with_query: true }, 500).await;
    let mut body = refund_body(&pay, "by-service", None, "ok");
    body["merchantUUID"] = json!("m1");
    let (status, err) = read(
        app.client
            .post(format!("{}/api/v1.0.0/refund?merchantUUID=m1", app.address))
            .bearer_auth(service_token())
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_envelope(status, &err, 403, 4030);
    assert_eq!(app.pay_order(&m, &pay).await["refundAmount"], 0);
    let (_, refunds) = app.get(&app.address, "refundOrders", &m).await;
    assert_eq!(refunds["size"], 0, "{refunds}");
}

#[tokio::test]
async fn a_path_id_holding_an_encoded_slash_is_an_unknown_resource() {
    let Start { app, m, pay } = start(Paid::Scripted { with_query: true }, 500).await;
    app.refund(&m, &refund_body(&pay, "r", Some(100), "ok")).await;
    let order = app.pay_order(&m, &pay).await;
    let (order_uuid, mode_uuid) = (order["uuid"].as_str().unwrap(), order["payModeUUID"].as_str().unwrap());
    // Decoded, each would climb from the public route into an internal one.
    for path in [
        format!("payOrders/..%2F..%2F..%2Finternal%2Fv1%2FpayOrders%2F{order_uuid}/refundOrders"),
        format!("payModes/..%2F..%2F..%2Finternal%2Fv1%2FpayModes%2F{mode_uuid}/refundOrders"),
        format!("payModeTemplates/..%2F{}/refundOrders", crate::helpers::CASH),
        "refundOrders/a%2Fb".to_string(),
        "refundOrders/a%5Cb".to_string(),
    ] {
        let (status, err) = app.get(&app.address, &path, &m).await;
        assert_envelope(status, &err, 404, 4040);
    }
    // The plain ids still work.
    let (status, list) = app
        .get(&app.address, &format!("payOrders/{order_uuid}/refundOrders"), &m)
        .await;
    assert_eq!((status, list["size"].as_i64()), (200, Some(1)), "{list}");
    let (status, list) = app
        .get(&app.address, &format!("payModes/{mode_uuid}/refundOrders"), &m)
        .await;
    assert_eq!((status, list["size"].as_i64()), (200, Some(1)), "{list}");
}
