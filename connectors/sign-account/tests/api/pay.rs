use connector_contract::shared::testing;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_envelope, merchant, pay_body, refund_body, serial, spawn_with_accounter};

/// Fires the bodies at `/connector/pay` all at once; answers in order.
async fn pay_all(app: &TestApp, bodies: Vec<Value>) -> Vec<(u16, Value)> {
    app.race_connector("pay", bodies).await
}

#[tokio::test]
async fn a_pay_charges_the_accounter_and_answers_success() {
    let (app, token, acc, person) = spawn_with_accounter(10_000).await;
    let tn = serial('1');
    let (status, answer) = app.pay("m1", &tn, 2_500, &acc, &person).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["ret"], "success");
    assert_eq!(answer["tractionNo"], tn.as_str());
    assert_eq!(answer["thirdErrorReason"], Value::Null);
    assert_eq!(answer["tradeFinishedAt"].as_str().unwrap().len(), 19, "{answer}");
    let ledger_uuid = answer["thirdOrderNo"].as_str().unwrap();

    assert_eq!(app.credit(&token, &acc).await, (Some(2_500), Some(7_500)));
    let statement = app.statement(&token, &acc).await;
    assert_eq!(statement["size"], 1);
    let entry = &statement["items"][0];
    assert_eq!(entry["uuid"], ledger_uuid, "thirdOrderNo is the ledger entry");
    assert_eq!(
        (
            entry["kind"].as_str(),
            entry["amount"].as_i64(),
            entry["usedCreditAfter"].as_i64()
        ),
        (Some("charge"), Some(2_500), Some(2_500))
    );
    assert_eq!(entry["tractionNo"], tn.as_str());
    assert_eq!(entry["payTractionNo"], Value::Null);
    assert_eq!(entry["signPersonUUID"], person.as_str());

    let (status, q) = app.connector("query", &json!({"tractionNo": tn, "kind": "pay"})).await;
    assert_eq!((status, &q), (200, &answer), "query answers the recorded pay");
    let (status, body) = app
        .connector("query", &json!({"tractionNo": tn, "kind": "refund"}))
        .await;
    assert_envelope(status, &body, 404, 4040);
}

#[tokio::test]
async fn fifty_concurrent_pays_with_one_traction_no_charge_once() {
    let (app, token, acc, person) = spawn_with_accounter(1_000_000).await;
    let tn = serial('1');
    let answers = pay_all(&app, vec![pay_body("m1", &tn, 700, &acc, &person); 50]).await;
    for (status, answer) in &answers {
        assert_eq!(*status, 200, "{answer}");
        assert_eq!(answer, &answers[0].1, "every answer is the same");
    }
    assert_eq!(answers[0].1["ret"], "success");
    assert_eq!(app.accounter(&token, &acc).await["usedCredit"], 700);
    let statement = app.statement(&token, &acc).await;
    assert_eq!(statement["size"], 1, "{statement}");
}

#[tokio::test]
async fn concurrent_pays_racing_for_the_last_credit_never_exceed_the_limit() {
    let (app, token, acc, person) = spawn_with_accounter(1_000).await;
    let bodies = (0..20)
        .map(|_| pay_body("m1", &serial('1'), 100, &acc, &person))
        .collect();
    let answers = pay_all(&app, bodies).await;
    let mut succeeded = 0;
    for (status, answer) in &answers {
        assert_eq!(*status, 200, "{answer}");
        match answer["ret"].as_str() {
            Some("success") => succeeded += 1,
            Some("failed") => assert!(
                answer["thirdErrorReason"]
                    .as_str()
                    .unwrap()
                    .starts_with("credit limit exceeded"),
                "{answer}"
            ),
            _ => panic!("{answer}"),
        }
    }
    assert_eq!(succeeded, 10);
    assert_eq!(app.credit(&token, &acc).await, (Some(1_000), Some(0)));
    let statement = app.statement(&token, &acc).await;
    assert_eq!(statement["size"], 10);
    let max_after = statement["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["usedCreditAfter"].as_i64().unwrap())
        .max();
    assert_eq!(max_after, Some(1_000));
}

#[tokio::test]
async fn pays_the_rules_refuse_fail_with_a_reason_and_charge_nothing() {
    let (app, token, acc, person) = spawn_with_accounter(1_000).await;
    let (other_acc, other_person) = app.accounter_with_person(&token, 1_000).await;
    let (disabled, disabled_person) = app.accounter_with_person(&token, 1_000).await;
    let (status, _) = app
        .put(
            &format!("signAccounters/{disabled}"),
            &token,
            &json!({"status": "disabled"}),
        )
        .await;
    assert_eq!(status, 200);
    let (foreign, foreign_person) = app.accounter_with_person(&merchant("m2"), 1_000).await;

    let cases: Vec<(Value, &str)> = vec![
        (
            json!({"signAccounterUUID": acc, "signPersonUUID": other_person}),
            "does not belong to signAccounter",
        ),
        (
            json!({"signAccounterUUID": disabled, "signPersonUUID": disabled_person}),
            "is disabled",
        ),
        (
            json!({"signAccounterUUID": foreign, "signPersonUUID": foreign_person}),
            "unknown signAccounter",
        ),
        (
            json!({"signAccounterUUID": "AAAAAAAAAAAAAAAAAAAAAA", "signPersonUUID": person}),
            "unknown signAccounter",
        ),
        (json!({"signPersonUUID": person}), "signAccounterUUID is required"),
        (json!({"signAccounterUUID": acc}), "signPersonUUID is required"),
        (
            json!({"signAccounterUUID": 12, "signPersonUUID": person}),
            "must be a string",
        ),
        (json!({}), "is required"),
    ];
    for (params, why) in cases {
        let tn = serial('1');
        let mut body = pay_body("m1", &tn, 100, &acc, &person);
        body["payParams"] = params.clone();
        let (status, answer) = app.connector("pay", &body).await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer["ret"], "failed", "{params}: {answer}");
        assert_eq!(answer["thirdOrderNo"], Value::Null);
        let reason = answer["thirdErrorReason"].as_str().unwrap();
        assert!(reason.contains(why), "{params}: {reason}");
        // The same tractionNo again: the same answer, even though it failed.
        let (_, again) = app.connector("pay", &body).await;
        assert_eq!(again, answer);
        let (_, q) = app.connector("query", &json!({"tractionNo": tn, "kind": "pay"})).await;
        assert_eq!(q, answer);
    }
    let (status, answer) = app.pay("m1", &serial('1'), 1_001, &acc, &person).await;
    assert_eq!((status, answer["ret"].as_str()), (200, Some("failed")));
    assert!(
        answer["thirdErrorReason"]
            .as_str()
            .unwrap()
            .starts_with("credit limit exceeded: 1000 fen available")
    );

    for (uuid, t) in [
        (&acc, &token),
        (&other_acc, &token),
        (&disabled, &token),
        (&foreign, &merchant("m2")),
    ] {
        assert_eq!(app.accounter(t, uuid).await["usedCredit"], 0);
        assert_eq!(app.statement(t, uuid).await["size"], 0);
    }
}

#[tokio::test]
async fn a_traction_no_reused_for_another_amount_or_merchant_is_a_400_and_changes_nothing() {
    let (app, token, acc, person) = spawn_with_accounter(10_000).await;
    let tn = serial('1');
    let (_, first) = app.pay("m1", &tn, 100, &acc, &person).await;
    assert_eq!(first["ret"], "success");
    let (status, body) = app.pay("m1", &tn, 200, &acc, &person).await;
    assert_envelope(status, &body, 400, 4000);
    let (status, body) = app.pay("m2", &tn, 100, &acc, &person).await;
    assert_envelope(status, &body, 400, 4000);
    assert_eq!(app.accounter(&token, &acc).await["usedCredit"], 100);
    let (_, again) = app.pay("m1", &tn, 100, &acc, &person).await;
    assert_eq!(again, first);
}

#[tokio::test]
async fn the_contract_urls_need_the_platforms_token_and_a_valid_body() {
    let (app, token, acc, person) = spawn_with_accounter(10_000).await;
    let body = pay_body("m1", &serial('1'), 100, &acc, &person);
    let (status, err) = app.contract.post("pay", &token, &body).await;
    assert_envelope(status, &err, 403, 4030);
    let mut bad = body.clone();
    bad["payAmount"] = json!(-5);
    let (status, err) = app.connector("pay", &bad).await;
    assert_envelope(status, &err, 400, 4000);
    let (status, err) = app
        .connector("query", &json!({"tractionNo": serial('1'), "kind": "pay"}))
        .await;
    assert_envelope(status, &err, 404, 4040);
    let (status, env) = app
        .connector("checkEnv", &json!({"merchantUUID": "m1", "payTemplateId": "X"}))
        .await;
    assert_eq!((status, env["ret"].as_bool()), (200, Some(true)));
    assert_eq!(app.accounter(&token, &acc).await["usedCredit"], 0);
}

#[tokio::test]
async fn the_contract_urls_refuse_every_token_but_the_platforms_call_token_for_sign_account() {
    let (app, token, acc, person) = spawn_with_accounter(10_000).await;
    let (_, paid) = app.pay("m1", &serial('1'), 100, &acc, &person).await;
    let pay_tn = paid["tractionNo"].as_str().unwrap().to_string();
    let calls = [
        ("pay", pay_body("m1", &serial('1'), 100, &acc, &person)),
        ("refund", refund_body("m1", &serial('2'), (&pay_tn, 100), 100)),
        ("query", json!({"tractionNo": pay_tn, "kind": "pay"})),
        ("checkEnv", json!({"merchantUUID": "m1", "payTemplateId": "X"})),
    ];
    let strangers = testing::tokens_refused_by_contract_routes("sign_account", "member_card", "m1");
    for (path, body) in &calls {
        for (who, stranger) in &strangers {
            let (status, err) = app.contract.post(path, stranger, body).await;
            assert_eq!(status, 403, "{path} with {who}: {err}");
            assert_envelope(status, &err, 403, 4030);
        }
    }
    let after = app.accounter(&token, &acc).await;
    assert_eq!(
        after["usedCredit"], 100,
        "only the platform's pay moved credit: {after}"
    );
    assert_eq!(app.statement(&token, &acc).await["size"], 1);
}
