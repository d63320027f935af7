use payserver_shared::testing::{self, Api};
use reqwest::Method;
use serde_json::json;

use crate::helpers::{Paid, Start, assert_envelope, assert_refund_amount, merchant, refund_body, spawn_app, start};

#[tokio::test]
async fn a_partial_refund_then_the_rest_leaves_the_order_refunded_and_the_journal_at_zero() {
    let Start { app, m, pay } = start(Paid::Scripted { with_query: true }, 1000).await;

    let (status, first) = app.refund(&m, &refund_body(&pay, "r-1", Some(300), "ok")).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(
        (first["ret"].as_str(), first["businessRet"].as_str()),
        (Some("success"), Some("syncOnlineRefund"))
    );
    assert_eq!(
        (first["data"]["status"].as_str(), first["data"]["refundAmount"].as_i64()),
        (Some("refunded"), Some(300))
    );
    let order = app.assert_pay_order(&m, &pay, 300, "partRefunded").await;
    assert!(order["lastRefundAt"].is_string());

    let (status, rest) = app.refund(&m, &refund_body(&pay, "r-2", None, "ok")).await;
    assert_refund_amount(status, &rest, 700, "accepted");
    let order = app.assert_pay_order(&m, &pay, 1000, "refunded").await;

    let uuid = order["uuid"].as_str().unwrap();
    let (_, trades) = app
        .get(&app.payorder, &format!("payOrders/{uuid}/tradeRecords"), &m)
        .await;
    let net: i64 = trades["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let a = t["amount"].as_i64().unwrap();
            if t["tradeType"] == "refund" { -a } else { a }
        })
        .sum();
    assert_eq!((trades["size"].as_i64(), net), (Some(3), 0));
    let (_, refunds) = app
        .get(&app.address, &format!("payOrders/{uuid}/refundOrders"), &m)
        .await;
    assert_eq!(refunds["size"], 2);

    let (status, err) = app.refund(&m, &refund_body(&pay, "r-3", Some(1), "ok")).await;
    assert_envelope(status, &err, 500, 9004);
}

#[tokio::test]
async fn an_offline_pay_is_refunded_at_once() {
    let Start { app, m, pay } = start(Paid::Cash, 500).await;
    let (status, r) = app.refund(&m, &refund_body(&pay, "r-cash", None, "ok")).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(
        (
            r["businessRet"].as_str(),
            r["data"]["status"].as_str(),
            r["data"]["refundAmount"].as_i64()
        ),
        (Some("offlineRefund"), Some("refunded"), Some(500))
    );
    assert_eq!(app.connector.total_executions(), 0);
}

#[tokio::test]
async fn a_cancel_refunds_whatever_is_left_and_refuses_another_amount() {
    let Start { app, m, pay } = start(Paid::Scripted { with_query: true }, 800).await;
    app.refund(&m, &refund_body(&pay, "r-a", Some(100), "ok")).await;
    let mut cancel = refund_body(&pay, "r-b", Some(100), "ok");
    cancel["isCancel"] = json!(1);
    let (status, err) = app.refund(&m, &cancel).await;
    assert_envelope(status, &err, 400, 4000);
    cancel["clientRefundNo"] = json!("r-c");
    cancel.as_object_mut().unwrap().remove("refundAmount");
    let (status, r) = app.refund(&m, &cancel).await;
    assert_eq!(
        (
            status,
            r["data"]["refundAmount"].as_i64(),
            r["data"]["isCancel"].as_i64()
        ),
        (200, Some(700), Some(1)),
        "{r}"
    );
    assert_eq!(app.pay_order(&m, &pay).await["status"], "refunded");
}

#[tokio::test]
async fn twenty_concurrent_partial_refunds_never_exceed_the_pay_amount() {
    let Start { app, m, pay } = start(Paid::Scripted { with_query: true }, 1000).await;
    let calls: Vec<_> = (0..20)
        .map(|i| {
            let (client, url, token, body) = (
                app.client.clone(),
                format!("{}/api/v1.0.0/refund", app.address),
                m.clone(),
                refund_body(&pay, &format!("race-{i}"), Some(100), "ok"),
            );
            tokio::spawn(async move {
                let resp = client.post(url).bearer_auth(token).json(&body).send().await.unwrap();
                (resp.status().as_u16(), resp.json::<serde_json::Value>().await.unwrap())
            })
        })
        .collect();
    let (mut refunded, mut refused) = (0, 0);
    for c in calls {
        let (status, body) = c.await.unwrap();
        match status {
            200 => {
                assert_eq!(body["data"]["status"], "refunded", "{body}");
                refunded += 1;
            }
            500 => {
                assert_eq!(body["code"], 9004, "{body}");
                refused += 1;
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!((refunded, refused), (10, 10));
    app.assert_pay_order(&m, &pay, 1000, "refunded").await;
    let (_, trades) = app.get(&app.payorder, "tradeRecords?tradeType=refund", &m).await;
    assert_eq!(trades["size"], 10);
}

#[tokio::test]
async fn a_replayed_client_refund_no_returns_the_same_refund_and_a_changed_one_is_409() {
    let Start { app, m, pay } = start(Paid::Scripted { with_query: true }, 1000).await;
    let (_, first) = app.refund(&m, &refund_body(&pay, "r-same", Some(200), "ok")).await;
    let (status, again) = app.refund(&m, &refund_body(&pay, "r-same", Some(200), "ok")).await;
    assert_eq!((status, &again["data"]["uuid"]), (200, &first["data"]["uuid"]));
    let (status, err) = app.refund(&m, &refund_body(&pay, "r-same", Some(300), "ok")).await;
    assert_envelope(status, &err, 409, 4090);
    assert_eq!(app.pay_order(&m, &pay).await["refundAmount"], 200, "refunded once");
}

#[tokio::test]
async fn unpaid_failed_unknown_and_foreign_orders_cannot_be_refunded() {
    let app = spawn_app().await;
    let m = merchant("m1");
    let mode_body = testing::online_mode("scripted", &app.connector.url, false);
    let (_, mode) = app.post(&app.paymode, "payModes", &m, &mode_body).await;
    let mode = mode["uuid"].as_str().unwrap();
    let failed = app.pay("m1", mode, 100, "decline").await;
    let paying = app.pay("m1", mode, 100, "stuck").await;
    for (pay, no) in [(&failed, "x1"), (&paying, "x2")] {
        let (status, err) = app.refund(&m, &refund_body(pay, no, None, "ok")).await;
        assert_envelope(status, &err, 500, 9004);
    }
    let (status, err) = app
        .refund(&m, &refund_body("1999999999999999999", "x3", None, "ok"))
        .await;
    assert_envelope(status, &err, 404, 4040);
    let paid = app.paid_online("m1", 100, true).await;
    let (status, err) = app.refund(&merchant("m2"), &refund_body(&paid, "x4", None, "ok")).await;
    assert_envelope(status, &err, 404, 4040);
    assert_eq!(app.pay_order(&m, &paid).await["refundAmount"], 0);
    // Refused refunds leave nothing behind: the same clientRefundNo is judged afresh.
    let (status, ok) = app.refund(&m, &refund_body(&paid, "x3", None, "ok")).await;
    assert_eq!((status, ok["data"]["status"].as_str()), (200, Some("refunded")), "{ok}");
}

#[tokio::test]
async fn a_declined_refund_fails_and_frees_the_amount() {
    let Start { app, m, pay } = start(Paid::Scripted { with_query: true }, 400).await;
    let (status, r) = app.refund(&m, &refund_body(&pay, "d-1", None, "decline")).await;
    assert_eq!(
        (status, r["ret"].as_str(), r["data"]["status"].as_str()),
        (200, Some("failed"), Some("refundFailed")),
        "{r}"
    );
    assert_eq!(r["data"]["resultCode"], "CONNECTOR_FAILED");
    let (status, r) = app.refund(&m, &refund_body(&pay, "d-2", None, "ok")).await;
    assert_refund_amount(status, &r, 400, "the whole amount is refundable again");
}

#[tokio::test]
async fn malformed_inputs_get_400_and_lists_are_scoped() {
    let app = spawn_app().await;
    let m = merchant("m1");
    for body in [
        json!({"payTractionNo": "1", "clientRefundNo": "a b"}),
        json!({"payTractionNo": "abc", "clientRefundNo": "a"}),
        json!({"payTractionNo": "1", "clientRefundNo": "a", "refundAmount": 0}),
        json!({"payTractionNo": "1", "clientRefundNo": "a", "refundAmount": "5"}),
        json!({"payTractionNo": "1", "clientRefundNo": "a", "isCancel": 3}),
        json!({"clientRefundNo": "a"}),
    ] {
        let (status, err) = app.refund(&m, &body).await;
        assert_envelope(status, &err, 400, 4000);
    }
    for q in ["orderBy=nope", "limit=500", "status=gone"] {
        let (status, err) = app.get(&app.address, &format!("refundOrders?{q}"), &m).await;
        assert_envelope(status, &err, 400, 4000);
    }
    let (status, err) = app.get(&app.address, "refundOrders?merchantUUID=m2", &m).await;
    assert_envelope(status, &err, 403, 4030);
}

#[tokio::test]
async fn batch_refund_answers_every_item_in_request_order() {
    let app = spawn_app().await;
    let m = merchant("m1");
    let a = app.paid_online("m1", 100, true).await;
    let b = app.paid_cash("m1", 200).await;
    let body = json!({"batchRefundData": [
        {"payTractionNo": a, "clientRefundNo": "b-1"},
        {"payTractionNo": b, "clientRefundNo": "b-2"},
        {"payTractionNo": a, "clientRefundNo": "b-3"},
        {"payTractionNo": "x", "clientRefundNo": "b-4"},
    ]});
    let (status, out) = app.post(&app.address, "batchRefund", &m, &body).await;
    assert_eq!(status, 200, "{out}");
    let got: Vec<(String, i64)> = out["batchRefundResult"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["clientRefundNo"].as_str().unwrap().to_string(),
                r["statusCode"].as_i64().unwrap(),
            )
        })
        .collect();
    let order: Vec<&str> = got.iter().map(|(no, _)| no.as_str()).collect();
    assert_eq!(order, ["b-1", "b-2", "b-3", "b-4"]);
    assert_eq!((got[1].1, got[3].1), (200, 400));
    // b-1 and b-3 both ask for the whole of order `a` and run concurrently: whichever
    // reserves first wins, the other is refused (500/9004), never both.
    let mut same_order = [got[0].1, got[2].1];
    same_order.sort();
    assert_eq!(same_order, [200, 500]);
    let refused = out["batchRefundResult"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["statusCode"] == 500)
        .unwrap();
    assert_eq!(refused["body"]["code"], 9004, "{refused}");
}

/// `n` identical `/refund` requests at once; every answer.
async fn race(
    app: &crate::helpers::TestApp,
    token: &str,
    body: &serde_json::Value,
    n: usize,
) -> Vec<(u16, serde_json::Value)> {
    let refund_service = Api::public(&app.address);
    testing::race(&refund_service, Method::POST, "refund", token, vec![body.clone(); n]).await
}

#[tokio::test]
async fn identical_refunds_sent_at_once_acknowledge_only_a_refund_that_survives() {
    let app = spawn_app().await;
    let m = merchant("m1");
    // Nothing left to refund: every copy is refused, none acknowledged.
    let spent = app.paid_online("m1", 100, true).await;
    let (status, r) = app.refund(&m, &refund_body(&spent, "first", None, "ok")).await;
    assert_eq!(status, 200, "{r}");
    // Plenty left: one refund happens, and every acknowledgement names it.
    let open = app.paid_online("m1", 1000, true).await;
    for (pay, no) in [(&spent, "dup-spent"), (&open, "dup-open")] {
        let mut acknowledged = std::collections::BTreeSet::new();
        for (status, body) in race(&app, &m, &refund_body(pay, no, Some(100), "ok"), 8).await {
            match status {
                200 => {
                    let uuid = body["data"]["uuid"].as_str().unwrap().to_string();
                    let (status, stored) = app.get(&app.address, &format!("refundOrders/{uuid}"), &m).await;
                    assert_eq!(status, 200, "an acknowledged refund vanished: {body} / {stored}");
                    acknowledged.insert(uuid);
                }
                409 => assert_eq!(body["code"], 4090, "{body}"),
                500 => assert_eq!(body["code"], 9004, "{body}"),
                other => panic!("unexpected {other}: {body}"),
            }
        }
        assert!(
            acknowledged.len() <= 1,
            "one refund per clientRefundNo: {acknowledged:?}"
        );
    }
    for pay in [&spent, &open] {
        let order = app.pay_order(&m, pay).await;
        assert_eq!(order["refundAmount"], 100, "{order}");
        let trades = app.refund_trades(&m, &order).await;
        assert_eq!(trades["size"], 1, "one refund moved money: {trades}");
    }
}
