//! The refund saga's steps (`/internal/v1/refunds/*`) report what they did: `applied` says
//! whether this very call took the step, `state` what the reservation is now; a step whose
//! opposite holds is a 409, whether it came first or won a race.

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_envelope, merchant, service, spawn_app};

/// A payed cash order of `amount`; its tractionNo and uuid.
async fn paid(app: &TestApp, client_pay_no: &str, amount: i64) -> (String, String) {
    let cash = app.open_cash("m1").await;
    let (_, answer) = app.pay(&merchant("m1"), &cash, client_pay_no, amount, "ok").await;
    (
        answer["data"]["tractionNo"].as_str().unwrap().to_string(),
        answer["data"]["uuid"].as_str().unwrap().to_string(),
    )
}

async fn reserve(app: &TestApp, pay: &str, refund: &str, amount: i64) -> Value {
    let body = json!({"payTractionNo": pay, "refundTractionNo": refund, "refundOrderUUID": format!("R{refund}"), "amount": amount});
    let (status, held) = app.internal.post("refunds/reserve", &service(), &body).await;
    assert_eq!(status, 200, "{held}");
    held
}

/// The same step sent `n` times at once; each answer's status and body.
async fn race(app: &TestApp, steps: &[(&str, &str)]) -> Vec<(String, u16, Value)> {
    let calls: Vec<_> = steps
        .iter()
        .map(|(step, refund)| {
            let (client, url, step) = (
                app.http.clone(),
                app.internal.url(&format!("refunds/{step}")),
                step.to_string(),
            );
            let body = json!({"refundTractionNo": refund});
            tokio::spawn(async move {
                let resp = client
                    .post(url)
                    .bearer_auth(service())
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                let status = resp.status().as_u16();
                (step, status, resp.json::<Value>().await.unwrap())
            })
        })
        .collect();
    let mut out = Vec::new();
    for c in calls {
        out.push(c.await.unwrap());
    }
    out
}

#[tokio::test]
async fn a_reserve_and_its_repeat_say_which_one_held_the_amount() {
    let app = spawn_app().await;
    let (pay, _) = paid(&app, "i-1", 1_000).await;
    let first = reserve(&app, &pay, "2001", 400).await;
    assert_eq!(
        (
            first["applied"].as_bool(),
            first["state"].as_str(),
            first["amount"].as_i64()
        ),
        (Some(true), Some("reserved"), Some(400)),
        "{first}"
    );
    assert_eq!(first["payOrder"]["refundReserved"], 400);
    let again = reserve(&app, &pay, "2001", 400).await;
    assert_eq!(
        (again["applied"].as_bool(), again["state"].as_str()),
        (Some(false), Some("reserved"))
    );
    assert_eq!(again["payOrder"]["refundReserved"], 400, "held once");
}

#[tokio::test]
async fn concurrent_confirms_of_one_refund_report_one_applied_and_journal_it_once() {
    let app = spawn_app().await;
    let (pay, uuid) = paid(&app, "i-2", 1_000).await;
    reserve(&app, &pay, "2002", 600).await;
    let answers = race(&app, &[("confirm", "2002"); 8]).await;
    let applied = answers.iter().filter(|(_, _, b)| b["applied"] == true).count();
    assert_eq!(applied, 1, "{answers:?}");
    for (_, status, body) in &answers {
        assert_eq!((*status, body["state"].as_str()), (200, Some("confirmed")), "{body}");
        assert_eq!(body["amount"], 600);
    }
    let (rows, net) = app.journal(&uuid, &merchant("m1")).await;
    assert_eq!((rows.len(), net), (2, 400), "{rows:?}");
    let (_, order) = app.get(&format!("payOrders/{uuid}"), &merchant("m1")).await;
    assert_eq!(
        (order["status"].as_str(), order["refundAmount"].as_i64()),
        (Some("partRefunded"), Some(600))
    );
}

#[tokio::test]
async fn a_confirm_racing_a_release_reports_which_one_won() {
    let app = spawn_app().await;
    let (pay, uuid) = paid(&app, "i-3", 10_000).await;
    let mut refunded = 0;
    for i in 0..10 {
        let refund = format!("{}", 2100 + i);
        reserve(&app, &pay, &refund, 100).await;
        let answers = race(&app, &[("confirm", &refund), ("release", &refund)]).await;
        let winners: Vec<_> = answers
            .iter()
            .filter(|(_, s, b)| *s == 200 && b["applied"] == true)
            .collect();
        assert_eq!(winners.len(), 1, "{answers:?}");
        let (won, _, _) = winners[0];
        for (step, status, body) in &answers {
            if step != won {
                assert_envelope(*status, body, 409, 4090);
            }
        }
        if won == "confirm" {
            refunded += 100;
        }
    }
    let (_, order) = app.get(&format!("payOrders/{uuid}"), &merchant("m1")).await;
    assert_eq!(order["refundAmount"].as_i64(), Some(refunded), "{order}");
    let (_, net) = app.journal(&uuid, &merchant("m1")).await;
    assert_eq!(net, 10_000 - refunded);
    // Sequentially, the opposite of a step that holds is refused the same way.
    let (status, err) = app
        .internal
        .post("refunds/release", &service(), &json!({"refundTractionNo": "2100"}))
        .await;
    let (status2, err2) = app
        .internal
        .post("refunds/confirm", &service(), &json!({"refundTractionNo": "2100"}))
        .await;
    let refused = [(status, err), (status2, err2)]
        .into_iter()
        .filter(|(s, _)| *s == 409)
        .count();
    assert_eq!(
        refused, 1,
        "one of them is the step that holds (a repeat), the other is refused"
    );
}
