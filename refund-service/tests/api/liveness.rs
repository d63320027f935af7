//! The refund resolver keeps no refund open for ever: what never reached the channel is sent
//! again within the refund's window and failed after it (the hold is freed); what the channel
//! may have done stays open; and two resolvers never work one refund at once.

use std::time::{Duration, Instant};

use payserver_shared::config::Settings;

use crate::helpers::{
    Paid, Start, assert_envelope, merchant, refund_body, spawn_app_with, start, start_refund_service, start_with,
    wait_until,
};

/// The resolver's settings that give a refund a short window (about four seconds, see
/// `core::resend_window_ms`).
fn short_window(s: &mut Settings) {
    s.refund.connector_timeout_ms = 500;
    s.refund.resolver_backoff_ms = 100;
    s.refund.resolver_backoff_max_ms = 400;
}

const SHORT_WINDOW: Duration = Duration::from_millis(4_000);

#[tokio::test]
async fn a_refund_whose_first_call_never_arrived_is_sent_again_and_completes() {
    let Start { app, m, pay } = start(Paid::Flaky { with_query: true }, 700).await;
    // The first call answers 503 and is not booked; the query then answers 404.
    let (status, r) = app.refund(&m, &refund_body(&pay, "lost-once", None, "lost-once")).await;
    assert_eq!((status, r["data"]["status"].as_str()), (200, Some("refunding")), "{r}");
    let done = app.wait_refund(r["data"]["uuid"].as_str().unwrap(), &m, 10).await;
    assert_eq!(done["status"], "refunded", "{done}");
    let traction = done["tractionNo"].as_str().unwrap();
    assert_eq!(app.flaky.refund_calls(traction).len(), 2, "sent again once");
    assert!(app.flaky.booked(traction));
    app.assert_pay_order(&m, &pay, 700, "refunded").await;
}

#[tokio::test]
async fn a_refund_that_never_reaches_the_channel_is_failed_after_its_window_and_the_rest_can_be_refunded() {
    let Start { app, m, pay } = start_with(short_window, Paid::Flaky { with_query: true }, 1000).await;
    let started = Instant::now();
    let (_, r) = app.refund(&m, &refund_body(&pay, "lost", Some(600), "lost")).await;
    assert_eq!(r["data"]["status"], "refunding", "{r}");
    let done = app.wait_refund(r["data"]["uuid"].as_str().unwrap(), &m, 15).await;
    assert_eq!(
        (done["status"].as_str(), done["resultCode"].as_str()),
        (Some("refundFailed"), Some("EXPIRED")),
        "{done}"
    );
    let traction = done["tractionNo"].as_str().unwrap();
    assert!(!app.flaky.booked(traction), "nothing was refunded");
    assert!(
        app.flaky.refund_calls(traction).len() > 1,
        "sent again within its window"
    );
    assert!(started.elapsed() >= SHORT_WINDOW, "not failed before its window ended");
    assert_eq!(app.pay_order(&m, &pay).await["refundAmount"], 0);

    let (status, rest) = app.refund(&m, &refund_body(&pay, "rest", None, "ok")).await;
    assert_eq!(
        (
            status,
            rest["data"]["status"].as_str(),
            rest["data"]["refundAmount"].as_i64()
        ),
        (200, Some("refunded"), Some(1000)),
        "{rest}"
    );
}

#[tokio::test]
async fn a_refund_the_channel_may_have_made_stays_open_past_its_window() {
    // No queryUrl: a re-send is the only question, and it keeps answering 503.
    let Start { app, m, pay } = start_with(short_window, Paid::Flaky { with_query: false }, 1000).await;
    let (_, r) = app.refund(&m, &refund_body(&pay, "unclear", Some(600), "lost")).await;
    let traction = r["data"]["tractionNo"].as_str().unwrap().to_string();
    let past_window = Instant::now() + SHORT_WINDOW + Duration::from_millis(500);
    wait_until(15, "the resolver asked again after the window", || {
        let calls = app.flaky.refund_calls(&traction);
        async move { calls.last().is_some_and(|t| *t > past_window) }
    })
    .await;
    let open = app.refund_order(r["data"]["uuid"].as_str().unwrap(), &m).await;
    assert_eq!(open["status"], "refunding", "{open}");
    let (status, err) = app.refund(&m, &refund_body(&pay, "more", Some(1000), "ok")).await;
    assert_envelope(status, &err, 500, 9004);
}

#[tokio::test]
async fn two_resolvers_on_one_database_never_work_one_refund_at_once() {
    // Queries take 250 ms of a 300 ms timeout: a lease of 3 × 300 + 1000 ms counted from the
    // start of a tick has run out before the tick's last rows are worked.
    let app = spawn_app_with(|s| s.refund.connector_timeout_ms = 300).await;
    let _second = start_refund_service(&app.settings).await;
    let m = merchant("m1");
    let pay = app.paid_at(&app.flaky.url, "m1", 100_000, true).await;
    for i in 0..60 {
        let (status, r) = app
            .refund(&m, &refund_body(&pay, &format!("hold-{i}"), Some(100), "hold"))
            .await;
        assert_eq!((status, r["data"]["status"].as_str()), (200, Some("refunding")), "{r}");
    }
    wait_until(60, "the resolvers asked about every refund a few times", || {
        let asked = app.flaky.total_queries();
        async move { asked >= 120 }
    })
    .await;
    assert_eq!(
        app.flaky.max_concurrent_queries(),
        1,
        "one refund worked by two resolvers at once"
    );
}
