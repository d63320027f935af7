use serde_json::{Value, json};

use crate::helpers::{refund_body, serial, spawn_paid};

#[tokio::test]
async fn a_partial_refund_then_the_rest_credits_back_and_the_statement_lists_every_entry() {
    let (app, token, acc, person, pay_tn) = spawn_paid(10_000, 1_000).await;

    let r1 = serial('2');
    let (status, first) = app.refund("m1", &r1, (&pay_tn, 1_000), 300).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["ret"], "success", "{first}");
    assert_eq!(first["tractionNo"], r1.as_str());
    assert!(first["tradeFinishedAt"].is_string());
    assert_eq!(app.accounter(&token, &acc).await["usedCredit"], 700);

    // The same refund tractionNo again: one credit, the same answer.
    let (_, again) = app.refund("m1", &r1, (&pay_tn, 1_000), 300).await;
    assert_eq!(again, first);
    assert_eq!(app.accounter(&token, &acc).await["usedCredit"], 700);

    // More than is left: refused.
    let (status, refused) = app.refund("m1", &serial('2'), (&pay_tn, 1_000), 701).await;
    assert_eq!((status, refused["ret"].as_str()), (200, Some("failed")));
    let reason = refused["thirdErrorReason"].as_str().unwrap();
    assert!(reason.starts_with("refund exceeds the charge"), "{reason}");
    assert!(reason.contains("300 fen already credited back"), "{reason}");

    // A disabled accounter takes no new charges but still gets its credits back.
    let (status, _) = app
        .put(&format!("signAccounters/{acc}"), &token, &json!({"status": "disabled"}))
        .await;
    assert_eq!(status, 200);
    let (_, refused) = app.pay("m1", &serial('1'), 1, &acc, &person).await;
    assert_eq!(refused["ret"], "failed");

    // The rest, as a cancel does it (isCancel with the remaining amount).
    let r2 = serial('2');
    let mut cancel = refund_body("m1", &r2, (&pay_tn, 1_000), 700);
    cancel["isCancel"] = json!(1);
    let (_, rest) = app.connector("refund", &cancel).await;
    assert_eq!(rest["ret"], "success", "{rest}");
    assert_eq!(app.credit(&token, &acc).await, (Some(0), Some(10_000)));
    let (_, nothing_left) = app.refund("m1", &serial('2'), (&pay_tn, 1_000), 1).await;
    assert_eq!(nothing_left["ret"], "failed");

    let (status, q) = app
        .connector("query", &json!({"tractionNo": r2, "kind": "refund"}))
        .await;
    assert_eq!((status, &q), (200, &rest));

    let statement = app.statement(&token, &acc).await;
    assert_eq!(statement["size"], 3, "{statement}");
    let entries: Vec<(String, i64, Value, i64)> = statement["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_string(),
                e["amount"].as_i64().unwrap(),
                e["payTractionNo"].clone(),
                e["usedCreditAfter"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            ("credit".to_string(), 700, json!(pay_tn), 0),
            ("credit".to_string(), 300, json!(pay_tn), 700),
            ("charge".to_string(), 1_000, Value::Null, 1_000),
        ]
    );
    assert_eq!(statement["items"][0]["uuid"], rest["thirdOrderNo"]);
    assert_eq!(statement["items"][0]["signPersonUUID"], person.as_str());

    let (_, oldest_first) = app
        .get(&format!("signAccounters/{acc}/statement?orderBy=id%20asc"), &token)
        .await;
    assert_eq!(oldest_first["items"][0]["kind"], "charge");
    let (_, credits) = app
        .get(
            &format!("signAccounters/{acc}/statement?kind=credit&orderBy=amount"),
            &token,
        )
        .await;
    assert_eq!(credits["size"], 2);
    assert_eq!(credits["items"][0]["amount"], 300);
}

#[tokio::test]
async fn refunds_of_unknown_failed_or_foreign_pays_fail_and_credit_nothing() {
    let (app, token, acc, person, pay_tn) = spawn_paid(1_000, 500).await;
    let failed_tn = serial('1');
    let (_, failed) = app.pay("m1", &failed_tn, 5_000, &acc, &person).await;
    assert_eq!(failed["ret"], "failed");

    for (merchant_uuid, pay) in [("m1", serial('1')), ("m1", failed_tn.clone()), ("m2", pay_tn.clone())] {
        let (status, answer) = app.refund(merchant_uuid, &serial('2'), (&pay, 500), 100).await;
        assert_eq!((status, answer["ret"].as_str()), (200, Some("failed")), "{answer}");
        assert!(
            answer["thirdErrorReason"]
                .as_str()
                .unwrap()
                .starts_with("no successful pay")
        );
    }
    assert_eq!(app.accounter(&token, &acc).await["usedCredit"], 500);
    assert_eq!(app.statement(&token, &acc).await["size"], 1);
}

#[tokio::test]
async fn concurrent_refunds_of_one_pay_never_credit_more_than_it_charged() {
    let (app, token, acc, _, pay_tn) = spawn_paid(10_000, 1_000).await;

    let bodies = (0..10)
        .map(|_| refund_body("m1", &serial('2'), (&pay_tn, 1_000), 300))
        .collect();
    let mut succeeded = 0;
    for (status, answer) in app.race_connector("refund", bodies).await {
        assert_eq!(status, 200, "{answer}");
        if answer["ret"] == "success" {
            succeeded += 1;
        }
    }
    assert_eq!(succeeded, 3);
    assert_eq!(app.accounter(&token, &acc).await["usedCredit"], 100);
    let (_, credits) = app
        .get(&format!("signAccounters/{acc}/statement?kind=credit"), &token)
        .await;
    assert_eq!(credits["size"], 3);
}
