use crate::helpers::{Mode, Start, start};

#[tokio::test]
async fn a_connector_timeout_leaves_the_order_paying_and_the_resolver_settles_it_through_query() {
    let Start { app, mode, token } = start(Mode::Scripted { with_query: true }).await;
    let (status, answer) = app.pay(&token, &mode, "r-1", 100, "slow").await;
    assert_eq!(status, 200);
    assert_eq!(answer["ret"], "success", "paying is not a failure");
    assert_eq!(answer["data"]["status"], "paying");
    let uuid = answer["data"]["uuid"].as_str().unwrap();
    app.wait_settled_as(uuid, &token, 10, "payed").await;
    let (_, trades) = app.get(&format!("payOrders/{uuid}/tradeRecords"), &token).await;
    assert_eq!(trades["size"], 1);
}

#[tokio::test]
async fn a_running_pay_without_query_url_is_settled_by_resending_it_idempotently() {
    let Start { app, mode, token } = start(Mode::Scripted { with_query: false }).await;
    let (uuid, _) = app.pay_paying(&token, &mode, "r-2", 100, "slow").await;
    let order = app.wait_settled_as(&uuid, &token, 10, "payed").await;
    assert_eq!(
        app.connector.executions(order["tractionNo"].as_str().unwrap()),
        1,
        "re-sending never charges twice"
    );
}

#[tokio::test]
async fn an_expired_unclear_order_is_cancelled_at_the_channel_before_it_fails() {
    let Start { app, mode, token } = start(Mode::Scripted { with_query: true }).await;
    let (_, answer) = app.pay(&token, &mode, "r-3", 100, "stuck").await;
    let uuid = answer["data"]["uuid"].as_str().unwrap().to_string();
    let traction = answer["data"]["tractionNo"].as_str().unwrap().to_string();
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    let (_, still) = app.get(&format!("payOrders/{uuid}"), &token).await;
    assert_eq!(still["status"], "paying", "running before expiry stays paying");

    app.expire(&uuid);
    let order = app.wait_settled_as(&uuid, &token, 10, "payFailed").await;
    assert_eq!(order["resultCode"], "EXPIRED");
    assert!(
        app.connector.cancels.lock().unwrap().contains(&traction),
        "the channel was asked to reverse first"
    );
}

#[tokio::test]
async fn an_expired_order_the_channel_never_saw_fails_without_a_charge() {
    let Start { app, mode, token } = start(Mode::Scripted { with_query: true }).await;
    let (_, answer) = app.pay(&token, &mode, "r-4", 100, "lost").await;
    assert_eq!(
        answer["data"]["status"], "paying",
        "a 503 from the connector is an unknown outcome"
    );
    let uuid = answer["data"]["uuid"].as_str().unwrap().to_string();
    app.expire(&uuid);
    let order = app.wait_settled_as(&uuid, &token, 10, "payFailed").await;
    assert_eq!(order["resultCode"], "EXPIRED");
    assert_eq!(app.connector.total_executions(), 0);
}
