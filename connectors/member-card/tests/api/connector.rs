//! The connector contract: the conformance kit, pays and refunds of balances and counts.

use connector_contract::conformance::{Fixture, check};
use connector_contract::pay_params::params;
use connector_contract::shared::ids::new_uuid;
use connector_contract::shared::testing;
use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test]
async fn the_conformance_kit_passes_for_stored_value() {
    let app = spawn_app().await;
    let m = new_merchant();
    let rich = app.member_with_balance(&m, 100_000).await;
    let broke = app.member_with_balance(&m, 0).await;
    for failing in [json!({"memberUUID": broke}), json!({"memberUUID": new_uuid()})] {
        check(&Fixture {
            base_url: app.address.clone(),
            service_token: platform(),
            merchant_uuid: m.clone(),
            pay_params_ok: params(json!({"memberUUID": rich})),
            pay_params_failing: params(failing),
            amount: 100,
            supports_query: true,
        })
        .await;
    }
    // Each run paid 100 and refunded it.
    assert_eq!(app.balance(&m, &rich).await, 100_000);
    assert_eq!(app.balance(&m, &broke).await, 0);
}

#[tokio::test]
async fn the_conformance_kit_passes_for_count_cards() {
    let (app, m, member) = spawn_with_member(0).await;
    app.add_counts(&m, &member, "wash", Some("big"), 10).await;
    let details = |count: i64| json!([{"name": "洗车", "merchandiseUUID": "wash", "styleUUID": "big", "count": count}]);
    check(&Fixture {
        base_url: app.address.clone(),
        service_token: platform(),
        merchant_uuid: m.clone(),
        pay_params_ok: params(json!({"memberUUID": member, "merchandiseDetails": details(2)})),
        pay_params_failing: params(json!({"memberUUID": member, "merchandiseDetails": details(11)})),
        amount: 3000,
        supports_query: true,
    })
    .await;
    assert_eq!(app.remaining(&m, &member, "wash", Some("big")).await, 10);
}

#[tokio::test]
async fn a_stored_value_pay_takes_the_amount_and_writes_the_ledger() {
    let (app, m, member) = spawn_with_member(1000).await;
    let t = serial('1');
    let a = app.pay(&balance_pay(&m, &t, 300, &member)).await;
    assert_eq!(a["ret"], "success", "{a}");
    assert_eq!(a["tractionNo"], t.as_str());
    assert!(a["thirdOrderNo"].is_string() && a["tradeFinishedAt"].is_string(), "{a}");
    assert_eq!(app.balance(&m, &member).await, 700);
    let ledger = app.statement(&m, &member).await;
    assert_eq!(ledger.len(), 2);
    assert_eq!(
        (
            &ledger[0]["kind"],
            &ledger[0]["amount"],
            &ledger[0]["balanceAfter"],
            &ledger[0]["tractionNo"]
        ),
        (&json!("pay"), &json!(300), &json!(700), &json!(t))
    );
    assert_eq!(
        ledger[0]["uuid"], a["thirdOrderNo"],
        "thirdOrderNo names the ledger entry"
    );
    assert_eq!(ledger[1]["kind"], "recharge");
}

#[tokio::test]
async fn a_pay_beyond_the_balance_fails_and_takes_nothing() {
    let (app, m, member) = spawn_with_member(100).await;
    let a = app.pay(&balance_pay(&m, &serial('1'), 101, &member)).await;
    assert_eq!(a["ret"], "failed");
    assert_eq!(
        a["thirdErrorReason"],
        "insufficient balance: 100 fen available, 101 fen requested"
    );
    assert_eq!(app.balance(&m, &member).await, 100);
    assert_eq!(app.statement(&m, &member).await.len(), 1);
}

#[tokio::test]
async fn a_pay_with_another_merchants_member_fails() {
    let app = spawn_app().await;
    let (m1, m2) = (new_merchant(), new_merchant());
    let member = app.member_with_balance(&m1, 1000).await;
    let a = app.pay(&balance_pay(&m2, &serial('1'), 100, &member)).await;
    assert_eq!(a["ret"], "failed");
    assert_eq!(a["thirdErrorReason"], format!("unknown member {member}"));
    assert_eq!(app.balance(&m1, &member).await, 1000);
}

#[tokio::test]
async fn a_count_pay_with_another_merchants_member_fails_and_takes_no_count() {
    let app = spawn_app().await;
    let (m1, m2) = (new_merchant(), new_merchant());
    let member = app.member_with_balance(&m1, 0).await;
    app.add_counts(&m1, &member, "wash", None, 3).await;
    let details = json!([{"name": "洗车", "merchandiseUUID": "wash", "count": 1}]);
    let a = app
        .pay(&pay_body(
            &m2,
            &serial('1'),
            100,
            json!({"memberUUID": member, "merchandiseDetails": details}),
        ))
        .await;
    assert_eq!(a["ret"], "failed", "{a}");
    assert_eq!(a["thirdErrorReason"], format!("unknown member {member}"));
    assert_eq!(app.remaining(&m1, &member, "wash", None).await, 3);
    assert_eq!(app.statement(&m1, &member).await.len(), 1, "only the counts added");
}

#[tokio::test]
async fn a_disabled_member_cannot_pay_but_its_pays_can_be_refunded() {
    let (app, m, member) = spawn_with_member(1000).await;
    let t = serial('1');
    assert_eq!(app.pay(&balance_pay(&m, &t, 400, &member)).await["ret"], "success");
    let (s, _) = app
        .put(
            &format!("members/{member}"),
            &merchant(&m),
            &json!({"status": "disabled"}),
        )
        .await;
    assert_eq!(s, 200);
    let a = app.pay(&balance_pay(&m, &serial('1'), 1, &member)).await;
    assert_eq!(
        (a["ret"].as_str(), a["thirdErrorReason"].as_str()),
        (Some("failed"), Some(format!("member {member} is disabled").as_str()))
    );
    let r = app.refund(&refund_body(&m, &serial('2'), &t, 400, 400, 1)).await;
    assert_eq!(r["ret"], "success", "{r}");
    assert_eq!(app.balance(&m, &member).await, 1000);
}

#[tokio::test]
async fn bad_pay_params_fail_with_a_clear_reason_and_move_nothing() {
    let (app, m, member) = spawn_with_member(1000).await;
    app.add_counts(&m, &member, "wash", None, 5).await;
    let item = |count: Value| json!([{"name": "洗车", "merchandiseUUID": "wash", "count": count}]);
    for (params, template, why) in [
        (json!({}), None, "payParams.memberUUID is required"),
        (json!({"memberUUID": 7}), None, "payParams.memberUUID must be a string"),
        (json!({"memberUUID": "not-a-member"}), None, "unknown member"),
        (
            json!({"memberUUID": member, "merchandiseDetails": []}),
            None,
            "must not be empty",
        ),
        (
            json!({"memberUUID": member, "merchandiseDetails": "wash"}),
            None,
            "must be an array",
        ),
        (
            json!({"memberUUID": member, "merchandiseDetails": item(json!(0))}),
            None,
            "count must be a whole number",
        ),
        (
            json!({"memberUUID": member, "merchandiseDetails": item(json!(-2))}),
            None,
            "count must be a whole number",
        ),
        (
            json!({"memberUUID": member, "merchandiseDetails": item(json!(1.5))}),
            None,
            "count must be a whole number",
        ),
        (
            json!({"memberUUID": member, "merchandiseDetails": item(json!("1"))}),
            None,
            "count must be a whole number",
        ),
        (
            json!({"memberUUID": member}),
            Some("B3A36C30-BB11-11E8-8353-CD8987EBDA9C"),
            "merchandiseDetails is required",
        ),
    ] {
        let mut body = pay_body(&m, &serial('1'), 100, params.clone());
        body["payTemplateId"] = json!(template);
        let a = app.pay(&body).await;
        assert_eq!(a["ret"], "failed", "{params}: {a}");
        let reason = a["thirdErrorReason"].as_str().unwrap();
        assert!(reason.contains(why), "{params}: {reason}");
    }
    assert_eq!(app.balance(&m, &member).await, 1000);
    assert_eq!(app.remaining(&m, &member, "wash", None).await, 5);
}

#[tokio::test]
async fn a_count_pay_takes_every_item_or_none() {
    let (app, m, member) = spawn_with_member(500).await;
    app.add_counts(&m, &member, "A", Some("a1"), 5).await;
    app.add_counts(&m, &member, "B", None, 1).await;
    let both = |a: i64, b: i64| {
        json!({"memberUUID": member, "merchandiseDetails": [
            {"name": "项目A", "merchandiseUUID": "A", "styleUUID": "a1", "count": a},
            {"name": "项目B", "merchandiseUUID": "B", "count": b},
        ]})
    };
    let a = app.pay(&pay_body(&m, &serial('1'), 100, both(2, 2))).await;
    assert_eq!(a["ret"], "failed");
    assert_eq!(
        a["thirdErrorReason"],
        "insufficient count of \"项目B\" (merchandiseUUID B): 1 left, 2 requested"
    );
    assert_eq!(app.remaining(&m, &member, "A", Some("a1")).await, 5, "nothing taken");
    let a = app
        .pay(&pay_body(
            &m,
            &serial('1'),
            100,
            json!({"memberUUID": member, "merchandiseDetails": [{"merchandiseUUID": "C", "count": 1}]}),
        ))
        .await;
    assert!(
        a["thirdErrorReason"]
            .as_str()
            .unwrap()
            .contains("has no count of merchandiseUUID C"),
        "{a}"
    );

    let a = app.pay(&pay_body(&m, &serial('1'), 100, both(2, 1))).await;
    assert_eq!(a["ret"], "success", "{a}");
    assert_eq!(app.remaining(&m, &member, "A", Some("a1")).await, 3);
    assert_eq!(app.remaining(&m, &member, "B", None).await, 0);
    assert_eq!(
        app.balance(&m, &member).await,
        500,
        "a count pay leaves the balance alone"
    );
    let ledger = app.statement(&m, &member).await;
    assert_eq!(ledger[0]["kind"], "count_use");
    assert_eq!(ledger[0]["amount"], Value::Null);
    assert_eq!(ledger[0]["balanceAfter"], 500);
    assert_eq!(ledger[0]["counts"].as_array().unwrap().len(), 2, "{}", ledger[0]);
}

#[tokio::test]
async fn a_cancel_restores_the_balance_exactly() {
    let (app, m, member) = spawn_with_member(1000).await;
    let t = serial('1');
    app.pay(&balance_pay(&m, &t, 300, &member)).await;
    let r = app.refund(&refund_body(&m, &serial('2'), &t, 300, 100, 0)).await;
    assert_eq!(r["ret"], "success", "{r}");
    assert_eq!(app.balance(&m, &member).await, 800);
    // A cancel refunds exactly what remains.
    let wrong = app.refund(&refund_body(&m, &serial('2'), &t, 300, 100, 1)).await;
    assert_eq!(wrong["ret"], "failed");
    assert!(
        wrong["thirdErrorReason"].as_str().unwrap().contains("must be 200 fen"),
        "{wrong}"
    );
    let c = app.refund(&refund_body(&m, &serial('2'), &t, 300, 200, 1)).await;
    assert_eq!(c["ret"], "success", "{c}");
    assert_eq!(app.balance(&m, &member).await, 1000);
    let again = app.refund(&refund_body(&m, &serial('2'), &t, 300, 1, 0)).await;
    assert_eq!(again["ret"], "failed");
    assert!(
        again["thirdErrorReason"]
            .as_str()
            .unwrap()
            .contains("already fully refunded")
    );
    let kinds: Vec<_> = app
        .statement(&m, &member)
        .await
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds, ["refund", "refund", "pay", "recharge"]);
}

#[tokio::test]
async fn refunds_never_exceed_the_pay() {
    let (app, m, member) = spawn_with_member(1000).await;
    let t = serial('1');
    app.pay(&balance_pay(&m, &t, 500, &member)).await;
    assert_eq!(
        app.refund(&refund_body(&m, &serial('2'), &t, 500, 300, 0)).await["ret"],
        "success"
    );
    let over = app.refund(&refund_body(&m, &serial('2'), &t, 500, 201, 0)).await;
    assert_eq!(over["ret"], "failed");
    assert_eq!(
        over["thirdErrorReason"],
        "refund exceeds the pay: 500 fen paid, 300 fen already refunded, 201 fen requested"
    );
    assert_eq!(
        app.refund(&refund_body(&m, &serial('2'), &t, 500, 200, 0)).await["ret"],
        "success"
    );
    assert_eq!(app.balance(&m, &member).await, 1000);
    // Unknown pays, failed pays and other merchants' pays cannot be refunded.
    let unknown = app
        .refund(&refund_body(&m, &serial('2'), &serial('1'), 500, 1, 0))
        .await;
    assert!(
        unknown["thirdErrorReason"]
            .as_str()
            .unwrap()
            .starts_with("no successful pay")
    );
    let failed_pay = serial('1');
    app.pay(&balance_pay(&m, &failed_pay, 5000, &member)).await;
    let r = app
        .refund(&refund_body(&m, &serial('2'), &failed_pay, 5000, 1, 0))
        .await;
    assert!(r["thirdErrorReason"].as_str().unwrap().starts_with("no successful pay"));
    let t2 = serial('1');
    app.pay(&balance_pay(&m, &t2, 100, &member)).await;
    let foreign = app
        .refund(&refund_body(&new_merchant(), &serial('2'), &t2, 100, 100, 0))
        .await;
    assert_eq!(foreign["ret"], "failed");
    assert_eq!(app.balance(&m, &member).await, 900);
}

#[tokio::test]
async fn a_repeated_refund_traction_no_credits_once() {
    let (app, m, member) = spawn_with_member(1000).await;
    let t = serial('1');
    app.pay(&balance_pay(&m, &t, 500, &member)).await;
    let body = refund_body(&m, &serial('2'), &t, 500, 200, 0);
    let first = app.refund(&body).await;
    let again = app.refund(&body).await;
    assert_eq!(first, again);
    assert_eq!(app.balance(&m, &member).await, 700);
    // The same tractionNo for another refund is a caller's bug: refused, nothing moves.
    let mut other = body.clone();
    other["refundAmount"] = json!(100);
    let (s, e) = app.connector("refund", &other).await;
    assert_envelope(s, &e, 400, 4000);
    assert_eq!(app.balance(&m, &member).await, 700);
}

#[tokio::test]
async fn a_count_refund_restores_the_counts_exactly() {
    let (app, m, member) = spawn_with_member(0).await;
    app.add_counts(&m, &member, "A", Some("a1"), 5).await;
    app.add_counts(&m, &member, "B", None, 3).await;
    let t = serial('1');
    let params = json!({"memberUUID": member, "merchandiseDetails": [
        {"name": "项目A", "merchandiseUUID": "A", "styleUUID": "a1", "count": 2},
        {"name": "项目B", "merchandiseUUID": "B", "count": 1},
        {"name": "项目A", "merchandiseUUID": "A", "styleUUID": "a1", "count": 1},
    ]});
    assert_eq!(app.pay(&pay_body(&m, &t, 800, params)).await["ret"], "success");
    assert_eq!(app.remaining(&m, &member, "A", Some("a1")).await, 2);
    assert_eq!(app.remaining(&m, &member, "B", None).await, 2);

    let part = app.refund(&refund_body(&m, &serial('2'), &t, 800, 100, 0)).await;
    assert_eq!(part["ret"], "failed");
    assert!(
        part["thirdErrorReason"].as_str().unwrap().contains("refunded whole"),
        "{part}"
    );
    let whole = refund_body(&m, &serial('2'), &t, 800, 800, 0);
    assert_eq!(app.refund(&whole).await["ret"], "success");
    assert_eq!(
        app.refund(&whole).await["ret"],
        "success",
        "a repeat is the same refund"
    );
    assert_eq!(app.remaining(&m, &member, "A", Some("a1")).await, 5);
    assert_eq!(app.remaining(&m, &member, "B", None).await, 3);
    let twice = app.refund(&refund_body(&m, &serial('2'), &t, 800, 800, 1)).await;
    assert_eq!(twice["ret"], "failed");
    assert_eq!(app.remaining(&m, &member, "A", Some("a1")).await, 5);
    let ledger = app.statement(&m, &member).await;
    assert_eq!(ledger[0]["kind"], "count_restore");
    assert_eq!(ledger[0]["counts"], ledger[1]["counts"]);
    assert_eq!(ledger[1]["kind"], "count_use");
}

#[tokio::test]
async fn query_reports_stored_operations_of_its_kind() {
    let (app, m, member) = spawn_with_member(100).await;
    let (ok, failed) = (serial('1'), serial('1'));
    let paid = app.pay(&balance_pay(&m, &ok, 100, &member)).await;
    app.pay(&balance_pay(&m, &failed, 100, &member)).await;
    let (s, q) = app.connector("query", &json!({"tractionNo": ok, "kind": "pay"})).await;
    assert_eq!((s, &q), (200, &paid));
    let (s, q) = app
        .connector("query", &json!({"tractionNo": failed, "kind": "pay"}))
        .await;
    assert_eq!(s, 200);
    assert_eq!(q["ret"], "failed");
    let (s, e) = app
        .connector("query", &json!({"tractionNo": ok, "kind": "refund"}))
        .await;
    assert_envelope(s, &e, 404, 4040);
}

#[tokio::test]
async fn a_repeated_pay_traction_no_with_another_amount_is_refused() {
    let (app, m, member) = spawn_with_member(1000).await;
    let t = serial('1');
    app.pay(&balance_pay(&m, &t, 100, &member)).await;
    let (s, e) = app.connector("pay", &balance_pay(&m, &t, 200, &member)).await;
    assert_envelope(s, &e, 400, 4000);
    assert_eq!(app.balance(&m, &member).await, 900);
}

#[tokio::test]
async fn contract_urls_need_the_platforms_token() {
    let app = spawn_app().await;
    let m = new_merchant();
    let body = pay_body(&m, &serial('1'), 100, json!({"memberUUID": new_uuid()}));
    let (s, e) = app.contract.post("pay", &merchant(&m), &body).await;
    assert_envelope(s, &e, 403, 4030);
}

#[tokio::test]
async fn contract_urls_refuse_every_token_but_the_platforms_call_token_for_member_card() {
    let (app, m, member) = spawn_with_member(1000).await;
    let paid = serial('1');
    app.pay(&balance_pay(&m, &paid, 100, &member)).await;
    let calls = [
        ("pay", balance_pay(&m, &serial('1'), 100, &member)),
        ("refund", refund_body(&m, &serial('2'), &paid, 100, 100, 0)),
        ("query", json!({"tractionNo": paid, "kind": "pay"})),
        ("checkEnv", json!({"merchantUUID": m, "payTemplateId": "X"})),
    ];
    let strangers = testing::tokens_refused_by_contract_routes("member_card", "sign_account", &m);
    for (path, body) in &calls {
        for (who, stranger) in &strangers {
            let (s, e) = app.contract.post(path, stranger, body).await;
            assert_eq!(s, 403, "{path} with {who}: {e}");
            assert_envelope(s, &e, 403, 4030);
        }
    }
    assert_eq!(
        app.balance(&m, &member).await,
        900,
        "only the platform's pay moved money"
    );
    assert_eq!(app.statement(&m, &member).await.len(), 2);
}
