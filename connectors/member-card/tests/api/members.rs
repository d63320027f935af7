//! The management API of members (API.md A.7).

use connector_contract::shared::auth::Role;
use connector_contract::shared::ids::new_uuid;
use connector_contract::shared::testing::{self, uuids};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test]
async fn creating_a_member_answers_201_with_every_field() {
    let app = spawn_app().await;
    let m = new_merchant();
    let resp = testing::send(
        app.request(Method::POST, "members", &merchant(&m))
            .json(&json!({"name": " 张三 ", "mobile": "13800000000", "cardNo": "VIP-0001"})),
    )
    .await;
    let location = resp.headers().get("location").unwrap().to_str().unwrap().to_string();
    let (status, member) = read(resp).await;
    assert_eq!(status, 201, "{member}");
    let uuid = member["uuid"].as_str().unwrap();
    assert_eq!(uuid.len(), 22);
    assert_eq!(member["href"], location.as_str());
    assert_eq!(member["href"], format!("{}/api/v1.0.0/members/{uuid}", app.address));
    assert_eq!(member["statement"]["href"], format!("{location}/statement"));
    assert!(member["id"].is_i64());
    assert_eq!(
        (&member["name"], &member["mobile"], &member["cardNo"]),
        (&json!("张三"), &json!("13800000000"), &json!("VIP-0001"))
    );
    assert_eq!((&member["balance"], &member["counts"]), (&json!(0), &json!([])));
    assert_eq!(
        (&member["status"], &member["merchantUUID"]),
        (&json!("enabled"), &json!(m))
    );
    assert!(member["createdAt"].as_str().unwrap().len() == 19 && member["modifiedAt"].is_string());

    let (status, bare) = app.post("members", &merchant(&m), &json!({"name": "李四"})).await;
    assert_eq!(status, 201);
    assert!(
        bare["mobile"].is_null() && bare["cardNo"].is_null(),
        "fields without value are null"
    );

    // The /api/v1 alias serves the same resource.
    let (status, again) = read(
        app.http
            .get(format!("{}/api/v1/members/{uuid}", app.address))
            .bearer_auth(merchant(&m))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status, &again["uuid"]), (200, &member["uuid"]));
}

#[tokio::test]
async fn card_numbers_are_unique_per_merchant() {
    let app = spawn_app().await;
    let (m1, m2) = (new_merchant(), new_merchant());
    let body = json!({"name": "a", "cardNo": "C1"});
    assert_eq!(app.post("members", &merchant(&m1), &body).await.0, 201);
    let (s, e) = app.post("members", &merchant(&m1), &body).await;
    assert_envelope(s, &e, 409, 4090);
    assert_eq!(
        app.post("members", &merchant(&m2), &body).await.0,
        201,
        "another merchant may"
    );
    let other = app.member(&m1, "b").await;
    let (s, e) = app
        .put(
            &format!("members/{}", other["uuid"].as_str().unwrap()),
            &merchant(&m1),
            &json!({"cardNo": "C1"}),
        )
        .await;
    assert_envelope(s, &e, 409, 4090);
}

#[tokio::test]
async fn put_changes_only_the_fields_given() {
    let app = spawn_app().await;
    let m = new_merchant();
    let (_, created) = app
        .post(
            "members",
            &merchant(&m),
            &json!({"name": "a", "mobile": "1", "cardNo": "C"}),
        )
        .await;
    let path = format!("members/{}", created["uuid"].as_str().unwrap());
    let (s, same) = app.put(&path, &merchant(&m), &json!({"unknown": 1})).await;
    assert_eq!(s, 200);
    assert_eq!(same, created, "an empty change changes nothing, modifiedAt included");
    let (s, changed) = app
        .put(
            &path,
            &merchant(&m),
            &json!({"name": "b", "mobile": null, "status": "disabled", "balance": 999}),
        )
        .await;
    assert_eq!(s, 200, "{changed}");
    assert_eq!(
        (
            &changed["name"],
            &changed["mobile"],
            &changed["cardNo"],
            &changed["status"],
            &changed["balance"]
        ),
        (&json!("b"), &Value::Null, &json!("C"), &json!("disabled"), &json!(0))
    );
    for bad in [
        json!({"name": ""}),
        json!({"name": null}),
        json!({"status": "frozen"}),
        json!({"cardNo": "a b"}),
    ] {
        let (s, e) = app.put(&path, &merchant(&m), &bad).await;
        assert_envelope(s, &e, 400, 4000);
    }
    assert_eq!(app.member_state(&m, created["uuid"].as_str().unwrap()).await, changed);
}

#[tokio::test]
async fn members_are_listed_filtered_and_ordered() {
    let app = spawn_app().await;
    let (m, other) = (new_merchant(), new_merchant());
    let mk = |name: &str, mobile: &str, card: &str| json!({"name": name, "mobile": mobile, "cardNo": card});
    let (_, a) = app.post("members", &merchant(&m), &mk("b", "111", "A1")).await;
    let (_, b) = app.post("members", &merchant(&m), &mk("a", "222", "B1")).await;
    let (_, c) = app.post("members", &merchant(&m), &mk("c", "111", "C1")).await;
    app.member(&other, "someone else").await;
    let id = |v: &Value| v["uuid"].as_str().unwrap().to_string();
    app.recharge(&m, &id(&b), 300, "r1").await;
    app.recharge(&m, &id(&c), 100, "r2").await;
    app.put(
        &format!("members/{}", id(&c)),
        &merchant(&m),
        &json!({"status": "disabled"}),
    )
    .await;

    let (s, page) = app.get("members", &merchant(&m)).await;
    assert_eq!(s, 200, "{page}");
    assert_eq!(
        (page["size"].as_i64(), page["offset"].as_i64(), page["limit"].as_i64()),
        (Some(3), Some(0), Some(25))
    );
    assert_eq!(page["href"], format!("{}/api/v1.0.0/members", app.address));
    assert_eq!(uuids(&page), [id(&a), id(&b), id(&c)]);
    let (_, page) = app.get("members?mobile=111", &merchant(&m)).await;
    assert_eq!(uuids(&page), [id(&a), id(&c)]);
    let (_, page) = app.get("members?cardNo=B1", &merchant(&m)).await;
    assert_eq!(uuids(&page), [id(&b)]);
    let (_, page) = app.get("members?status=disabled", &merchant(&m)).await;
    assert_eq!(uuids(&page), [id(&c)]);
    let (_, page) = app.get("members?orderBy=balance%20desc", &merchant(&m)).await;
    assert_eq!(uuids(&page), [id(&b), id(&c), id(&a)]);
    let (_, page) = app.get("members?orderBy=name", &merchant(&m)).await;
    assert_eq!(uuids(&page), [id(&b), id(&a), id(&c)]);
    let (_, page) = app
        .get("members?orderBy=id%20desc&limit=1&offset=1", &merchant(&m))
        .await;
    assert_eq!((uuids(&page), page["size"].as_i64()), (vec![id(&b)], Some(3)));
    // The seed's clients may send GET parameters as a JSON body; the query string wins.
    let (_, page) = read(
        testing::send(
            app.request(Method::GET, "members?cardNo=A1", &merchant(&m))
                .json(&json!({"cardNo": "B1", "orderBy": "name desc"})),
        )
        .await,
    )
    .await;
    assert_eq!(uuids(&page), [id(&a)]);

    for bad in [
        "orderBy=secret",
        "orderBy=name%20sideways",
        "limit=0",
        "limit=101",
        "offset=-1",
        "status=frozen",
    ] {
        let (s, e) = app.get(&format!("members?{bad}"), &merchant(&m)).await;
        assert_envelope(s, &e, 400, 4000);
    }
    // Admins see every merchant's members, or one merchant's when they name it.
    let (_, page) = app.get("members", &admin()).await;
    assert_eq!(page["size"], 4);
    let (_, page) = app.get(&format!("members?merchantUUID={other}"), &admin()).await;
    assert_eq!(page["size"], 1);
}

#[tokio::test]
async fn recharges_are_idempotent_by_client_recharge_no() {
    let (app, m, member) = spawn_with_member(0).await;
    let (s, first) = app.recharge(&m, &member, 1000, "R1").await;
    assert_eq!((s, &first["balance"]), (200, &json!(1000)), "{first}");
    let (s, replay) = app.recharge(&m, &member, 1000, "R1").await;
    assert_eq!(s, 200);
    assert_eq!(replay, first, "a replay answers the same member state");
    let ledger = app.statement(&m, &member).await;
    assert_eq!(ledger.len(), 1);
    assert_eq!(
        (
            &ledger[0]["kind"],
            &ledger[0]["amount"],
            &ledger[0]["clientRechargeNo"],
            &ledger[0]["balanceAfter"]
        ),
        (&json!("recharge"), &json!(1000), &json!("R1"), &json!(1000))
    );

    let (s, e) = app.recharge(&m, &member, 2000, "R1").await;
    assert_envelope(s, &e, 409, 4090);
    let other = app.member_with_balance(&m, 0).await;
    let (s, e) = app.recharge(&m, &other, 1000, "R1").await;
    assert_envelope(s, &e, 409, 4090);
    assert_eq!(app.balance(&m, &member).await, 1000);
    assert_eq!(app.balance(&m, &other).await, 0);
    // Another merchant has its own numbers.
    let m2 = new_merchant();
    let theirs = app.member_with_balance(&m2, 0).await;
    assert_eq!(app.recharge(&m2, &theirs, 10, "R1").await.0, 200);
}

#[tokio::test]
async fn a_disabled_member_cannot_be_recharged() {
    let (app, m, member) = spawn_with_member(0).await;
    app.put(
        &format!("members/{member}"),
        &merchant(&m),
        &json!({"status": "disabled"}),
    )
    .await;
    let (s, e) = app.recharge(&m, &member, 100, "R1").await;
    assert_envelope(s, &e, 409, 4090);
    assert_eq!(app.balance(&m, &member).await, 0);
}

#[tokio::test]
async fn counts_are_added_to_existing_items() {
    let (app, m, member) = spawn_with_member(0).await;
    let after = app.add_counts(&m, &member, "wash", Some("big"), 3).await;
    assert_eq!(
        after["counts"],
        json!([{"merchandiseUUID": "wash", "styleUUID": "big", "name": "项目wash", "remaining": 3}])
    );
    app.add_counts(&m, &member, "wash", None, 1).await;
    let after = app.add_counts(&m, &member, "wash", Some("big"), 2).await;
    assert_eq!(after["counts"].as_array().unwrap().len(), 2, "{after}");
    assert_eq!(app.remaining(&m, &member, "wash", Some("big")).await, 5);
    assert_eq!(app.remaining(&m, &member, "wash", None).await, 1);
    let ledger = app.statement(&m, &member).await;
    assert_eq!(ledger.len(), 3);
    assert_eq!(ledger[0]["kind"], "count_add");
    assert_eq!(ledger[0]["amount"], Value::Null);
    assert_eq!(
        ledger[0]["counts"],
        json!([{"merchandiseUUID": "wash", "styleUUID": "big", "name": "项目wash", "count": 2}])
    );

    // With a clientRechargeNo an addition is idempotent too.
    let path = format!("members/{member}/counts");
    let body = json!({"merchandiseUUID": "wax", "name": "打蜡", "count": 4, "clientRechargeNo": "C-1"});
    assert_eq!(app.post(&path, &merchant(&m), &body).await.0, 200);
    assert_eq!(app.post(&path, &merchant(&m), &body).await.0, 200);
    assert_eq!(app.remaining(&m, &member, "wax", None).await, 4);
    let mut more = body.clone();
    more["count"] = json!(5);
    let (s, e) = app.post(&path, &merchant(&m), &more).await;
    assert_envelope(s, &e, 409, 4090);

    for bad in [
        json!({"merchandiseUUID": "wash", "name": "x", "count": 0}),
        json!({"merchandiseUUID": "wash", "name": "x", "count": -1}),
        json!({"merchandiseUUID": "wash", "name": "x", "count": 1.5}),
        json!({"merchandiseUUID": "wash", "name": "x"}),
        json!({"name": "x", "count": 1}),
        json!({"merchandiseUUID": "wash", "count": 1}),
    ] {
        let (s, e) = app.post(&path, &merchant(&m), &bad).await;
        assert_envelope(s, &e, 400, 4000);
    }
    assert_eq!(app.remaining(&m, &member, "wash", Some("big")).await, 5);
}

#[tokio::test]
async fn the_statement_lists_entries_newest_first() {
    let (app, m, member) = spawn_with_member(0).await;
    for (i, amount) in [300, 100, 200].into_iter().enumerate() {
        app.recharge(&m, &member, amount, &format!("R{i}")).await;
    }
    let t = serial('1');
    app.pay(&balance_pay(&m, &t, 50, &member)).await;
    let path = format!("members/{member}/statement");
    let (s, page) = app.get(&path, &merchant(&m)).await;
    assert_eq!(s, 200, "{page}");
    assert_eq!(page["size"], 4);
    let entry = &page["items"][0];
    for key in [
        "id",
        "uuid",
        "kind",
        "amount",
        "counts",
        "tractionNo",
        "clientRechargeNo",
        "balanceAfter",
        "createdAt",
    ] {
        assert!(entry.get(key).is_some(), "{key} missing: {entry}");
    }
    let amounts = |page: &Value| -> Vec<i64> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["amount"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(amounts(&page), [50, 200, 100, 300]);
    let balances: Vec<i64> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["balanceAfter"].as_i64().unwrap())
        .collect();
    assert_eq!(balances, [550, 600, 400, 300]);
    let (_, page) = app.get(&format!("{path}?orderBy=amount"), &merchant(&m)).await;
    assert_eq!(amounts(&page), [50, 100, 200, 300]);
    // Count entries have no amount and sort last either way.
    app.add_counts(&m, &member, "wash", None, 1).await;
    let no_amount_last = |page: &Value, want: &[i64]| {
        let items = page["items"].as_array().unwrap();
        assert_eq!(items.len(), 5, "{page}");
        let got: Vec<i64> = items[..4].iter().map(|e| e["amount"].as_i64().unwrap()).collect();
        assert_eq!(got, want);
        assert_eq!(items[4]["kind"], "count_add");
    };
    let (_, page) = app.get(&format!("{path}?orderBy=amount%20asc"), &merchant(&m)).await;
    no_amount_last(&page, &[50, 100, 200, 300]);
    let (_, page) = app.get(&format!("{path}?orderBy=amount%20desc"), &merchant(&m)).await;
    no_amount_last(&page, &[300, 200, 100, 50]);
    let (_, page) = app
        .get(&format!("{path}?orderBy=id%20asc&limit=2"), &merchant(&m))
        .await;
    assert_eq!(amounts(&page), [300, 100]);
    let (_, page) = app.get(&format!("{path}?kind=pay"), &merchant(&m)).await;
    assert_eq!(amounts(&page), [50]);
    let (_, page) = app
        .get(&format!("{path}?startTime=2000-01-01%2000:00:00"), &merchant(&m))
        .await;
    assert_eq!(page["size"], 5);
    let (_, page) = app.get(&format!("{path}?endTime=1000000000000"), &merchant(&m)).await;
    assert_eq!(page["size"], 0);
    for bad in ["orderBy=balance", "kind=gift", "startTime=yesterday", "limit=x"] {
        let (s, e) = app.get(&format!("{path}?{bad}"), &merchant(&m)).await;
        assert_envelope(s, &e, 400, 4000);
    }
}

#[tokio::test]
async fn another_merchants_members_are_404_and_naming_that_merchant_is_403() {
    let app = spawn_app().await;
    let (m1, m2) = (new_merchant(), new_merchant());
    let member = app.member_with_balance(&m1, 100).await;
    let intruder = merchant(&m2);
    let (s, e) = app.get(&format!("members/{member}"), &intruder).await;
    assert_envelope(s, &e, 404, 4040);
    let (s, e) = app
        .put(&format!("members/{member}"), &intruder, &json!({"name": "x"}))
        .await;
    assert_envelope(s, &e, 404, 4040);
    let (s, e) = app.recharge(&m2, &member, 100, "R1").await;
    assert_envelope(s, &e, 404, 4040);
    let (s, e) = app
        .post(
            &format!("members/{member}/counts"),
            &intruder,
            &json!({"merchandiseUUID": "a", "name": "a", "count": 1}),
        )
        .await;
    assert_envelope(s, &e, 404, 4040);
    let (s, e) = app.get(&format!("members/{member}/statement"), &intruder).await;
    assert_envelope(s, &e, 404, 4040);
    let (s, e) = app.get("members/nobody", &merchant(&m1)).await;
    assert_envelope(s, &e, 404, 4040);
    assert_eq!(app.balance(&m1, &member).await, 100);
    assert_eq!(app.member_state(&m1, &member).await["name"], "会员");

    let (s, e) = app.get(&format!("members?merchantUUID={m1}"), &intruder).await;
    assert_envelope(s, &e, 403, 4030);
    let (s, e) = app
        .post("members", &intruder, &json!({"name": "x", "merchantUUID": m1}))
        .await;
    assert_envelope(s, &e, 403, 4030);
    let (s, e) = app
        .post(
            &format!("members/{member}/recharge"),
            &intruder,
            &json!({"amount": 1, "clientRechargeNo": "x", "merchantUUID": m1}),
        )
        .await;
    assert_envelope(s, &e, 403, 4030);

    // An admin acts for a merchant it names, and sees every member.
    let (s, created) = app
        .post("members", &admin(), &json!({"name": "by admin", "merchantUUID": m2}))
        .await;
    assert_eq!((s, &created["merchantUUID"]), (201, &json!(m2)));
    let (s, e) = app.post("members", &admin(), &json!({"name": "for nobody"})).await;
    assert_envelope(s, &e, 403, 4030);
    assert_eq!(app.get(&format!("members/{member}"), &admin()).await.0, 200);
    let (s, e) = app.get(&format!("members/{member}?merchantUUID={m2}"), &admin()).await;
    assert_envelope(s, &e, 404, 4040);
    let (s, after) = app
        .post(
            &format!("members/{member}/recharge"),
            &admin(),
            &json!({"amount": 50, "clientRechargeNo": "A1"}),
        )
        .await;
    assert_eq!((s, &after["balance"]), (200, &json!(150)), "{after}");
}

#[tokio::test]
async fn bad_requests_are_400_and_change_nothing() {
    let (app, m, member) = spawn_with_member(100).await;
    let token = merchant(&m);
    let recharge = format!("members/{member}/recharge");
    for raw in [
        "{",
        "[1]",
        r#"{"amount": "100", "clientRechargeNo": "r"}"#,
        r#"{"amount": 1.5, "clientRechargeNo": "r"}"#,
    ] {
        let (s, e) = app.call_raw(Method::POST, &recharge, &token, raw).await;
        assert_envelope(s, &e, 400, 4000);
    }
    for body in [
        json!({"amount": 0, "clientRechargeNo": "r"}),
        json!({"amount": -1, "clientRechargeNo": "r"}),
        json!({"amount": 1_000_000_000_001i64, "clientRechargeNo": "r"}),
        json!({"amount": 1}),
        json!({"amount": 1, "clientRechargeNo": ""}),
        json!({"amount": 1, "clientRechargeNo": "has space"}),
    ] {
        let (s, e) = app.post(&recharge, &token, &body).await;
        assert_envelope(s, &e, 400, 4000);
    }
    for body in [
        json!({}),
        json!({"name": 5}),
        json!({"name": "a", "mobile": "call me"}),
        json!({"name": "x".repeat(65)}),
    ] {
        let (s, e) = app.post("members", &token, &body).await;
        assert_envelope(s, &e, 400, 4000);
    }
    let (s, e) = app.call_raw(Method::POST, "members", &token, "{\"name\":").await;
    assert_envelope(s, &e, 400, 4000);
    assert_eq!(app.balance(&m, &member).await, 100);
    assert_eq!(app.statement(&m, &member).await.len(), 1);
    let (_, page) = app.get("members", &token).await;
    assert_eq!(page["size"], 1);
}

#[tokio::test]
async fn calls_need_a_valid_token_and_a_merchant_or_admin_role() {
    let app = spawn_app().await;
    let (s, e) = read(app.http.get(app.url("members")).send().await.unwrap()).await;
    assert_envelope(s, &e, 401, 4010);
    let (s, e) = app.get("members", "not-a-token").await;
    assert_envelope(s, &e, 401, 4010);
    let connector_only = testing::token(Some("m1"), &[Role::Connector]);
    let (s, e) = app.get("members", &connector_only).await;
    assert_envelope(s, &e, 403, 4030);
    let (s, e) = read(testing::send(app.request(Method::DELETE, "members", &admin())).await).await;
    assert_envelope(s, &e, 405, 4050);
    let (s, _) = read(app.http.get(format!("{}/healthz", app.address)).send().await.unwrap()).await;
    assert_eq!(s, 200);
    let (s, _) = read(app.http.get(format!("{}/readyz", app.address)).send().await.unwrap()).await;
    assert_eq!(s, 200);
    let metrics = app.http.get(format!("{}/metrics", app.address)).send().await.unwrap();
    assert_eq!(metrics.status().as_u16(), 200);
}

#[tokio::test]
async fn member_routes_refuse_tokens_without_the_merchant_or_admin_role() {
    let (app, m, member) = spawn_with_member(100).await;
    let strangers = testing::tokens_without_a_public_role("member_card", &m);
    let one = format!("members/{member}");
    let statement = format!("{one}/statement");
    let recharge = format!("{one}/recharge");
    let counts = format!("{one}/counts");
    for (who, token) in &strangers {
        for path in ["members", &one, &statement] {
            let (s, e) = app.get(path, token).await;
            assert_eq!(s, 403, "GET {path} with {who}: {e}");
            assert_envelope(s, &e, 403, 4030);
        }
        let posts = [
            ("members", json!({"name": "x"})),
            (recharge.as_str(), json!({"amount": 1, "clientRechargeNo": new_uuid()})),
            (
                counts.as_str(),
                json!({"merchandiseUUID": "a", "name": "a", "count": 1}),
            ),
        ];
        for (path, body) in posts {
            let (s, e) = app.post(path, token, &body).await;
            assert_eq!(s, 403, "POST {path} with {who}: {e}");
            assert_envelope(s, &e, 403, 4030);
        }
        let (s, e) = app.put(&one, token, &json!({"name": "x"})).await;
        assert_eq!(s, 403, "PUT {one} with {who}: {e}");
        assert_envelope(s, &e, 403, 4030);
    }
    let after = app.member_state(&m, &member).await;
    assert_eq!(
        (after["balance"].as_i64(), after["name"].as_str()),
        (Some(100), Some("会员"))
    );
    assert!(after["counts"].as_array().unwrap().is_empty(), "{after}");
    let (_, all) = app.get("members", &admin()).await;
    assert_eq!(all["size"], 1, "nothing was created: {all}");
}

#[tokio::test]
async fn a_member_uuid_with_an_encoded_slash_or_backslash_is_a_404_envelope() {
    let (app, m, member) = spawn_with_member(100).await;
    for t in [merchant(&m), admin()] {
        for path in [
            "members/a%2Fb".to_string(),
            "members/a%5Cb".to_string(),
            format!("members/..%2F{member}"),
            "members/a%2Fb/statement".to_string(),
        ] {
            let (s, e) = app.get(&path, &t).await;
            assert_envelope(s, &e, 404, 4040);
        }
        let (s, e) = app.put("members/a%2Fb", &t, &json!({"name": "x"})).await;
        assert_envelope(s, &e, 404, 4040);
        let (s, e) = app
            .post(
                "members/a%2Fb/recharge",
                &t,
                &json!({"amount": 1, "clientRechargeNo": new_uuid()}),
            )
            .await;
        assert_envelope(s, &e, 404, 4040);
        let (s, e) = app
            .post(
                "members/a%2Fb/counts",
                &t,
                &json!({"merchandiseUUID": "a", "name": "a", "count": 1}),
            )
            .await;
        assert_envelope(s, &e, 404, 4040);
    }
    assert_eq!(app.balance(&m, &member).await, 100);
}
