//! No order stays `paying` (core/resolver.rs): a pay the channel never saw is re-sent while
//! the order is valid and fails after expiry once the channel confirms it holds nothing; and
//! replicas sharing one database never work one order twice.

use payserver_shared::config::Settings;

use crate::helpers::{Mode, Start, eventually, pay_body, start, start_with};

#[tokio::test]
async fn a_pay_the_query_has_never_seen_is_re_sent_with_its_traction_no_and_settles() {
    let Start { app, mode, token } = start(Mode::StandIn { with_query: true }).await;
    // The first call dies with a 503 before the channel's books; its query then answers 404.
    let (uuid, traction) = app.pay_paying(&token, &mode, "l-1", 100, "lost-once").await;
    let order = app.wait_settled_as(&uuid, &token, 10, "payed").await;
    assert_eq!(order["thirdPayNo"], format!("S{traction}"));
    assert_eq!(app.stand_in.calls("pay", &traction), 2, "sent, then re-sent once");
    assert!(app.stand_in.calls("query", &traction) >= 1);
    let (rows, net) = app.journal(&uuid, &token).await;
    assert_eq!((rows.len(), net), (1, 100));
}

#[tokio::test]
async fn an_expired_lost_pay_without_a_query_fails_when_the_cancel_finds_nothing() {
    // `lost`: every pay answers 503 and nothing reaches the books; a cancel answers 404.
    let Start { app, mode, token } = start(Mode::Scripted { with_query: false }).await;
    let (uuid, _) = app.pay_paying(&token, &mode, "l-2", 100, "lost").await;
    app.expire(&uuid);
    let order = app.wait_settled(&uuid, &token, 10).await;
    assert_eq!(
        (order["status"].as_str(), order["resultCode"].as_str()),
        (Some("payFailed"), Some("EXPIRED")),
        "{order}"
    );
    assert_eq!(app.connector.total_executions(), 0, "nothing was charged");
    let (rows, _) = app.journal(&uuid, &token).await;
    assert!(rows.is_empty());
}

#[tokio::test]
async fn an_order_is_checked_at_its_expiry_even_when_its_backoff_reaches_beyond_it() {
    // Backoff far longer than the order's remaining validity: the check still comes at expiry.
    let tune = |s: &mut Settings| {
        s.payorder.resolver_backoff_ms = 60_000;
        s.payorder.resolver_backoff_max_ms = 600_000;
    };
    let Start { app, mode, token } = start_with(Mode::Scripted { with_query: false }, tune).await;
    let (_, answer) = app.pay(&token, &mode, "l-3", 100, "lost").await;
    let uuid = answer["data"]["uuid"].as_str().unwrap().to_string();
    // Valid for two more seconds, and due now: the first check re-sends (503) and must come
    // back at the expiry, not in a minute.
    let soon = payserver_shared::time::now_ms() + 2_000;
    app.sql(&format!(
        "UPDATE pay_orders SET order_expired_at = {soon} WHERE uuid = '{uuid}'; \
         UPDATE pay_order_checks SET next_check_at = 0, lease_until = 0"
    ));
    let order = app.wait_settled(&uuid, &token, 10).await;
    assert_eq!(
        (order["status"].as_str(), order["resultCode"].as_str()),
        (Some("payFailed"), Some("EXPIRED")),
        "{order}"
    );
}

#[tokio::test]
async fn two_resolvers_on_one_database_never_work_one_order_twice() {
    // Connector calls time out after 200 ms, so one pass over 20 expired orders (a query and a
    // cancel each) takes about 8 s: longer than a lease counted from the start of the pass
    // (3 x 200 ms + 5 s). A backoff of a minute keeps every order to one round in this test.
    let tune = |s: &mut Settings| {
        s.payorder.connector_timeout_ms = 200;
        s.payorder.resolver_backoff_ms = 60_000;
        s.payorder.resolver_backoff_max_ms = 120_000;
    };
    let Start { app, mode, token } = start_with(Mode::StandIn { with_query: true }, tune).await;
    let pays: Vec<_> = (0..20)
        .map(|i| {
            let (client, url, token) = (app.http.clone(), app.url("pay"), token.clone());
            let body = pay_body(&mode, &format!("lease-{i}"), 100, "hang");
            tokio::spawn(async move {
                let resp = client.post(url).bearer_auth(token).json(&body).send().await.unwrap();
                resp.json::<serde_json::Value>().await.unwrap()
            })
        })
        .collect();
    let mut tractions = Vec::new();
    for p in pays {
        let answer = p.await.unwrap();
        assert_eq!(answer["data"]["status"], "paying", "{answer}");
        tractions.push(answer["data"]["tractionNo"].as_str().unwrap().to_string());
    }
    eventually(5, "the first pay calls to end", || app.stand_in.in_flight() == 0).await;
    // All expired and due at once, in a fixed order (by id).
    app.sql(
        "UPDATE pay_orders SET order_expired_at = 1; \
         UPDATE pay_order_checks SET next_check_at = pay_order_id, lease_until = 0",
    );
    // The first replica works through them alone until it is well past a tick-start lease...
    eventually(30, "the first replica to reach the 16th order", || {
        app.stand_in.distinct("cancel") >= 16
    })
    .await;
    // ...then a second replica joins on the same database.
    app.spawn_replica().await;
    eventually(30, "every order to be worked", || {
        app.stand_in.distinct("cancel") == 20 && app.stand_in.in_flight() == 0
    })
    .await;
    for t in &tractions {
        assert_eq!(
            (app.stand_in.calls("query", t), app.stand_in.calls("cancel", t)),
            (1, 1),
            "order {t} was worked more than once"
        );
    }
    let (_, orders) = app.get("payOrders?status=paying", &token).await;
    assert_eq!(orders["size"], 20, "a cancel that never answered fails nobody");
}

#[tokio::test]
async fn an_expired_pay_whose_cancel_cannot_reach_the_connector_stays_open_until_it_can() {
    // `running`: the channel took the money and answers running; the mode has no queryUrl.
    let Start { app, mode, token } = start(Mode::Scripted { with_query: false }).await;
    let (uuid, _) = app.pay_paying(&token, &mode, "l-4", 100, "running").await;
    // The expiry cancel goes to a port nobody listens on: a refused connection says nothing
    // about the pay, which the channel still holds.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://127.0.0.1:{}", l.local_addr().unwrap().port())
    };
    let refund_url = format!("{}/connector/refund", app.connector.url);
    app.sql(&format!(
        "UPDATE pay_orders SET order_expired_at = 1, connector = REPLACE(connector, '{refund_url}', '{closed}/connector/refund') WHERE uuid = '{uuid}'"
    ));
    let order = app.wait_settled(&uuid, &token, 3).await;
    assert_eq!(
        order["status"], "paying",
        "never failed while the channel may hold the money: {order}"
    );
    // The connector is back: the cancel reaches it, the money is returned, the order fails.
    app.sql(&format!(
        "UPDATE pay_orders SET connector = REPLACE(connector, '{closed}/connector/refund', '{refund_url}') WHERE uuid = '{uuid}'"
    ));
    let order = app.wait_settled(&uuid, &token, 10).await;
    assert_eq!(
        (order["status"].as_str(), order["resultCode"].as_str()),
        (Some("payFailed"), Some("EXPIRED")),
        "{order}"
    );
    let traction = order["tractionNo"].as_str().unwrap();
    assert!(
        app.connector.cancels.lock().unwrap().contains(&traction.to_string()),
        "the pay was reversed at the channel"
    );
}
