use reqwest::Method;
use serde_json::{Value, json};

use connector_contract::shared::testing;

use crate::helpers::{admin, assert_envelope, merchant, read, serial, spawn_app, spawn_with_accounter};

#[tokio::test]
async fn creating_an_accounter_answers_201_with_every_field_and_its_links() {
    let app = spawn_app().await;
    let token = merchant("m1");
    let resp = testing::send(
        app.request(Method::POST, "signAccounters", &token)
            .json(&json!({"name": "甲公司", "creditLimit": 500_000, "description": "月结", "unknown": 1})),
    )
    .await;
    let location = resp.headers().get("location").map(|v| v.to_str().unwrap().to_string());
    let (status, acc) = read(resp).await;
    assert_eq!(status, 201, "{acc}");
    let uuid = acc["uuid"].as_str().unwrap();
    assert_eq!(uuid.len(), 22);
    let href = format!("{}/api/v1.0.0/signAccounters/{uuid}", app.address);
    assert_eq!(acc["href"], href.as_str());
    assert_eq!(location.as_deref(), Some(href.as_str()));
    assert!(acc["id"].is_i64());
    assert_eq!(acc["name"], "甲公司");
    assert_eq!(acc["description"], "月结");
    assert_eq!(
        (
            acc["creditLimit"].as_i64(),
            acc["usedCredit"].as_i64(),
            acc["availableCredit"].as_i64()
        ),
        (Some(500_000), Some(0), Some(500_000))
    );
    assert_eq!(acc["status"], "enabled");
    assert_eq!(acc["merchantUUID"], "m1");
    assert_eq!(acc["createdAt"].as_str().unwrap().len(), 19);
    assert_eq!(acc["modifiedAt"], acc["createdAt"]);
    assert_eq!(acc["signPersons"]["href"], format!("{href}/signPersons"));
    assert_eq!(acc["statement"]["href"], format!("{href}/statement"));

    let (status, person) = app
        .post(
            &format!("signAccounters/{uuid}/signPersons"),
            &token,
            &json!({"name": "张三"}),
        )
        .await;
    assert_eq!(status, 201, "{person}");
    assert_eq!(person["mobile"], Value::Null, "fields with no value are null");
    assert_eq!(person["signAccounterUUID"], uuid);
    assert_eq!(person["merchantUUID"], "m1");
    let person_href = format!("{href}/signPersons/{}", person["uuid"].as_str().unwrap());
    assert_eq!(person["href"], person_href.as_str());
    let (status, fetched) = app.get(person_href.split("/api/v1.0.0/").nth(1).unwrap(), &token).await;
    assert_eq!((status, &fetched["name"]), (200, &json!("张三")));

    let (status, list) = app.get(&format!("signAccounters/{uuid}/signPersons"), &token).await;
    assert_eq!(status, 200);
    assert_eq!((list["size"].as_i64(), list["limit"].as_i64()), (Some(1), Some(25)));
    assert_eq!(list["items"][0]["uuid"], person["uuid"]);

    let (status, renamed) = app
        .put(
            person_href.split("/api/v1.0.0/").nth(1).unwrap(),
            &token,
            &json!({"mobile": "13800138000"}),
        )
        .await;
    assert_eq!(
        (status, &renamed["mobile"], &renamed["name"]),
        (200, &json!("13800138000"), &json!("张三"))
    );
}

#[tokio::test]
async fn hrefs_follow_the_forwarded_headers_and_the_v1_alias_works() {
    let app = spawn_app().await;
    let token = merchant("m1");
    let acc = app.create_accounter(&token, "甲", 1).await;
    let uuid = acc["uuid"].as_str().unwrap();
    let url = format!("{}/api/v1/signAccounters/{uuid}", app.address);
    let (status, body) = testing::get_forwarded(&url, &token).await;
    assert_eq!(status, 200);
    assert_eq!(
        body["href"],
        format!("https://pay.example.com/payServer/api/v1.0.0/signAccounters/{uuid}")
    );
}

#[tokio::test]
async fn another_merchants_accounter_is_404_for_reads_and_writes() {
    let app = spawn_app().await;
    let (acc, person) = app.accounter_with_person(&merchant("m1"), 1_000).await;
    let other = merchant("m2");
    for path in [
        format!("signAccounters/{acc}"),
        format!("signAccounters/{acc}/signPersons"),
        format!("signAccounters/{acc}/signPersons/{person}"),
        format!("signAccounters/{acc}/statement"),
        "signAccounters/AAAAAAAAAAAAAAAAAAAAAA".to_string(),
    ] {
        let (status, body) = app.get(&path, &other).await;
        assert_envelope(status, &body, 404, 4040);
    }
    let writes = [
        (Method::PUT, format!("signAccounters/{acc}"), json!({"creditLimit": 5})),
        (
            Method::PUT,
            format!("signAccounters/{acc}/signPersons/{person}"),
            json!({"name": "x"}),
        ),
        (
            Method::POST,
            format!("signAccounters/{acc}/signPersons"),
            json!({"name": "intruder"}),
        ),
    ];
    for (method, path, body) in writes {
        let (status, body) = app.call(method, &path, &other, Some(&body)).await;
        assert_envelope(status, &body, 404, 4040);
    }

    let owner = merchant("m1");
    let mine = app.accounter(&owner, &acc).await;
    assert_eq!(mine["creditLimit"], 1_000, "nothing changed");
    let (_, persons) = app.get(&format!("signAccounters/{acc}/signPersons"), &owner).await;
    assert_eq!(persons["size"], 1);
    let (_, others) = app.get("signAccounters", &other).await;
    assert_eq!(others["size"], 0, "a merchant lists only its own");
    let (status, body) = app.get(&format!("signAccounters/{acc}"), &admin()).await;
    assert_eq!(
        (status, &body["merchantUUID"]),
        (200, &json!("m1")),
        "admins see every merchant"
    );
}

#[tokio::test]
async fn naming_another_merchant_is_403_unless_admin() {
    let app = spawn_app().await;
    let token = merchant("m1");
    app.create_accounter(&token, "mine", 1).await;
    let (status, body) = app.get("signAccounters?merchantUUID=m2", &token).await;
    assert_envelope(status, &body, 403, 4030);
    let (status, body) = app
        .get(
            "signAccounters?merchantHref=http%3A%2F%2Fshops.example%2Fmerchants%2Fm2",
            &token,
        )
        .await;
    assert_envelope(status, &body, 403, 4030);
    let (status, body) = app.get("signAccounters?merchantUUID=m1", &token).await;
    assert_eq!((status, body["size"].as_i64()), (200, Some(1)));
    let (status, body) = app
        .post(
            "signAccounters",
            &token,
            &json!({"name": "theirs", "creditLimit": 1, "merchantUUID": "m2"}),
        )
        .await;
    assert_envelope(status, &body, 403, 4030);

    let (status, created) = app
        .post(
            "signAccounters",
            &admin(),
            &json!({"name": "for m2", "creditLimit": 1, "merchantUUID": "m2"}),
        )
        .await;
    assert_eq!((status, &created["merchantUUID"]), (201, &json!("m2")));
    let (status, body) = app
        .post(
            "signAccounters",
            &admin(),
            &json!({"name": "nobody's", "creditLimit": 1}),
        )
        .await;
    assert_envelope(status, &body, 403, 4030);
    let (_, m2) = app.get("signAccounters?merchantUUID=m2", &admin()).await;
    assert_eq!(m2["size"], 1);
    let (_, all) = app.get("signAccounters", &admin()).await;
    assert_eq!(all["size"], 2);
    let (_, m2_own) = app.get("signAccounters", &merchant("m2")).await;
    assert_eq!(m2_own["items"][0]["name"], "for m2");
}

#[tokio::test]
async fn lists_filter_page_and_order_and_refuse_a_bad_order_by() {
    let app = spawn_app().await;
    let token = merchant("m1");
    let (a, person) = app.accounter_with_person(&token, 1_000).await;
    let b = app.create_accounter(&token, "乙", 3_000).await;
    let c = app.create_accounter(&token, "丙", 2_000).await;
    let (_, paid) = app.pay("m1", &serial('1'), 400, &a, &person).await;
    assert_eq!(paid["ret"], "success");
    app.put(
        &format!("signAccounters/{}", c["uuid"].as_str().unwrap()),
        &token,
        &json!({"status": "disabled"}),
    )
    .await;

    let names = |body: &Value| -> Vec<String> {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["name"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, by_limit) = app.get("signAccounters?orderBy=creditLimit%20desc", &token).await;
    assert_eq!(names(&by_limit), ["乙", "丙", "甲公司"]);
    let (_, by_used) = app
        .get("signAccounters?orderBy=usedCredit%20desc&limit=1", &token)
        .await;
    assert_eq!(
        (by_used["size"].as_i64(), names(&by_used)),
        (Some(3), vec!["甲公司".to_string()])
    );
    let (_, page) = app.get("signAccounters?orderBy=id&offset=1&limit=1", &token).await;
    assert_eq!(names(&page), ["乙"]);
    assert_eq!(page["offset"], 1);
    let (_, disabled) = app.get("signAccounters?status=disabled", &token).await;
    assert_eq!(names(&disabled), ["丙"]);
    let (_, named) = app.get("signAccounters?name=%E4%B9%99", &token).await;
    assert_eq!(named["items"][0]["uuid"], b["uuid"]);

    for bad in [
        "signAccounters?orderBy=password",
        "signAccounters?orderBy=name%20sideways",
        "signAccounters?orderBy=modifiedAt",
        "signAccounters?limit=0",
        "signAccounters?offset=-1",
        "signAccounters?status=frozen",
        &format!("signAccounters/{a}/signPersons?orderBy=mobile"),
        &format!("signAccounters/{a}/statement?orderBy=usedCreditAfter"),
        &format!("signAccounters/{a}/statement?kind=debit"),
        &format!("signAccounters/{a}/statement?startTime=yesterday"),
    ] {
        let (status, body) = app.get(bad, &token).await;
        assert_envelope(status, &body, 400, 4000);
    }
    let (_, window) = app
        .get(
            &format!("signAccounters/{a}/statement?startTime=2000-01-01%2000:00:00&endTime=9999999999999"),
            &token,
        )
        .await;
    assert_eq!(window["size"], 1);
}

#[tokio::test]
async fn invalid_bodies_are_400_envelopes_and_create_nothing() {
    let app = spawn_app().await;
    let token = merchant("m1");
    for bad in [
        json!({"name": "x", "creditLimit": -1}),
        json!({"name": "x", "creditLimit": 1_000_000_000_001i64}),
        json!({"name": "x", "creditLimit": "100"}),
        json!({"name": "x", "creditLimit": 10.5}),
        json!({"name": "x"}),
        json!({"creditLimit": 100}),
        json!({"name": "", "creditLimit": 100}),
        json!({"name": ["x"], "creditLimit": 100}),
        json!({"name": "x", "creditLimit": 100, "status": "frozen"}),
        json!([1, 2]),
    ] {
        let (status, body) = app.post("signAccounters", &token, &bad).await;
        assert_envelope(status, &body, 400, 4000);
    }
    let (status, body) = app
        .call_raw(Method::POST, "signAccounters", &token, "{\"name\": \"x\", ")
        .await;
    assert_envelope(status, &body, 400, 4000);
    let (_, list) = app.get("signAccounters", &token).await;
    assert_eq!(list["size"], 0);

    let acc = app.create_accounter(&token, "甲", 100).await;
    let uuid = acc["uuid"].as_str().unwrap();
    for bad in [
        json!({"creditLimit": -1}),
        json!({"creditLimit": null}),
        json!({"name": null}),
        json!({"status": "gone"}),
        json!({"creditLimit": "1"}),
    ] {
        let (status, body) = app.put(&format!("signAccounters/{uuid}"), &token, &bad).await;
        assert_envelope(status, &body, 400, 4000);
    }
    let (status, body) = app
        .call_raw(Method::PUT, &format!("signAccounters/{uuid}"), &token, "nope")
        .await;
    assert_envelope(status, &body, 400, 4000);
    for bad in [json!({}), json!({"name": 5}), json!({"name": "x", "mobile": "call me"})] {
        let (status, body) = app
            .post(&format!("signAccounters/{uuid}/signPersons"), &token, &bad)
            .await;
        assert_envelope(status, &body, 400, 4000);
    }
    assert_eq!(app.accounter(&token, uuid).await, acc, "nothing changed");
    let (_, persons) = app.get(&format!("signAccounters/{uuid}/signPersons"), &token).await;
    assert_eq!(persons["size"], 0);
}

#[tokio::test]
async fn a_credit_limit_below_the_used_credit_is_a_409() {
    let (app, token, acc, person) = spawn_with_accounter(1_000).await;
    let (_, paid) = app.pay("m1", &serial('1'), 600, &acc, &person).await;
    assert_eq!(paid["ret"], "success");
    let (status, body) = app
        .put(
            &format!("signAccounters/{acc}"),
            &token,
            &json!({"creditLimit": 599, "name": "renamed"}),
        )
        .await;
    assert_envelope(status, &body, 409, 4090);
    assert!(body["message"].as_str().unwrap().contains("600"), "{body}");
    let unchanged = app.accounter(&token, &acc).await;
    assert_eq!(
        (unchanged["creditLimit"].as_i64(), unchanged["name"].as_str()),
        (Some(1_000), Some("甲公司"))
    );

    let (status, updated) = app
        .put(
            &format!("signAccounters/{acc}"),
            &token,
            &json!({"creditLimit": 600, "name": "乙公司", "description": "改名", "status": "disabled"}),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(
        (
            updated["creditLimit"].as_i64(),
            updated["availableCredit"].as_i64(),
            updated["name"].as_str(),
            updated["description"].as_str(),
            updated["status"].as_str()
        ),
        (Some(600), Some(0), Some("乙公司"), Some("改名"), Some("disabled"))
    );
}

#[tokio::test]
async fn every_route_needs_a_token_and_health_checks_need_none() {
    let app = spawn_app().await;
    let resp = app.http.get(app.url("signAccounters")).send().await.unwrap();
    let (status, body) = read(resp).await;
    assert_envelope(status, &body, 401, 4010);
    let (status, body) = app
        .post("signAccounters", "garbage", &json!({"name": "x", "creditLimit": 1}))
        .await;
    assert_envelope(status, &body, 401, 4010);
    for path in ["healthz", "readyz"] {
        let resp = app.http.get(format!("{}/{path}", app.address)).send().await.unwrap();
        assert_eq!(resp.status().as_u16(), 200, "{path}");
    }
    let resp = testing::send(app.request(Method::DELETE, "signAccounters", &merchant("m1"))).await;
    let (status, body) = read(resp).await;
    assert_envelope(status, &body, 405, 4050);
}

#[tokio::test]
async fn management_routes_refuse_tokens_without_the_merchant_or_admin_role() {
    let app = spawn_app().await;
    let owner = merchant("m1");
    let (acc, person) = app.accounter_with_person(&owner, 1_000).await;
    let strangers = testing::tokens_without_a_public_role("sign_account", "m1");
    let accounter = format!("signAccounters/{acc}");
    let persons = format!("{accounter}/signPersons");
    let one_person = format!("{persons}/{person}");
    let statement = format!("{accounter}/statement");
    for (who, token) in &strangers {
        for path in ["signAccounters", &accounter, &persons, &one_person, &statement] {
            let (status, body) = app.get(path, token).await;
            assert_eq!(status, 403, "GET {path} with {who}: {body}");
            assert_envelope(status, &body, 403, 4030);
        }
        let writes = [
            (Method::POST, "signAccounters", json!({"name": "x", "creditLimit": 1})),
            (Method::PUT, accounter.as_str(), json!({"creditLimit": 5})),
            (Method::POST, persons.as_str(), json!({"name": "x"})),
            (Method::PUT, one_person.as_str(), json!({"name": "x"})),
        ];
        for (method, path, body) in writes {
            let (status, err) = app.call_raw(method.clone(), path, token, &body.to_string()).await;
            assert_eq!(status, 403, "{method} {path} with {who}: {err}");
            assert_envelope(status, &err, 403, 4030);
        }
    }
    let (_, all) = app.get("signAccounters", &admin()).await;
    assert_eq!(all["size"], 1, "nothing was created: {all}");
    let mine = app.accounter(&owner, &acc).await;
    assert_eq!(mine["creditLimit"], 1_000, "nothing changed");
    let (_, people) = app.get(&persons, &owner).await;
    assert_eq!(
        (people["size"].as_i64(), people["items"][0]["name"].as_str()),
        (Some(1), Some("张三"))
    );
}

#[tokio::test]
async fn a_uuid_with_an_encoded_slash_or_backslash_is_a_404_envelope() {
    let app = spawn_app().await;
    let token = merchant("m1");
    let (acc, _) = app.accounter_with_person(&token, 1_000).await;
    for path in [
        "signAccounters/a%2Fb".to_string(),
        "signAccounters/a%5Cb".to_string(),
        format!("signAccounters/..%2F{acc}"),
        "signAccounters/a%2Fb/signPersons".to_string(),
        "signAccounters/a%2Fb/statement".to_string(),
        format!("signAccounters/{acc}/signPersons/a%2Fb"),
    ] {
        for t in [&token, &admin()] {
            let (status, body) = app.get(&path, t).await;
            assert_envelope(status, &body, 404, 4040);
        }
    }
    let writes = [
        (Method::PUT, "signAccounters/a%2Fb", json!({"creditLimit": 5})),
        (Method::POST, "signAccounters/a%2Fb/signPersons", json!({"name": "x"})),
    ];
    for (method, path, body) in writes {
        let (status, body) = app.call(method, path, &admin(), Some(&body)).await;
        assert_envelope(status, &body, 404, 4040);
    }
}
