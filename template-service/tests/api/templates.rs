use payserver_shared::testing::{self, Api};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{admin, assert_envelope, merchant, spawn_app};

const WECHAT: &str = "017AFC80-95FA-11E8-B0EC-5384BC9767FE";

fn new_template(id: &str) -> Value {
    json!({
        "payTemplateId": id, "name": "测试支付", "description": "a test channel",
        "payUrl": "http://127.0.0.1:9/pay", "refundUrl": "", "isOnline": 1, "isThridPay": 1, "payChannel": "测试"
    })
}

#[tokio::test]
async fn the_seven_builtin_templates_exist_on_first_start() {
    let app = spawn_app().await;
    let (status, body) = app.get("payModeTemplates?orderBy=id%20asc", &merchant("m1")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["size"], 7);
    assert_eq!(testing::ints(&body, ["offset", "limit"]), [Some(0), Some(25)]);
    let ids = testing::item_texts(&body, "payTemplateId");
    assert_eq!(
        ids,
        [
            "C924182F-581B-4990-944A-ABCAB8E552B3",
            "4CE44A21-68DA-4ADA-B7EE-371187327F75",
            "382CF8DF-017F-4009-928F-D5B008095962",
            WECHAT,
            "3BEAF650-A067-11E8-A545-87065760276A",
            "A2E7AB90-BB11-11E8-8BAF-4BFA221DACF5",
            "B3A36C30-BB11-11E8-8353-CD8987EBDA9C",
        ]
    );
    let wechat = &body["items"][3];
    assert_eq!(wechat["name"], "微信扫码枪");
    assert_eq!(wechat["isThridPay"], 1);
    assert_eq!(wechat["status"], "enabled");
    assert_eq!(
        wechat["iconHref"],
        Value::Null,
        "fields with no value are present as null"
    );
    assert!(wechat["payUrl"].as_str().unwrap().starts_with("http://127.0.0.1:6203/"));
    let uuid = wechat["uuid"].as_str().unwrap();
    assert_eq!(uuid.len(), 22);
    assert_eq!(
        wechat["payModes"]["href"],
        format!("{}/api/v1.0.0/payModeTemplates/{uuid}/payModes", app.address)
    );
    assert_eq!(body["items"][5]["uuid"], "irAl37TewwGEchYrXUWsfA");
    assert!(wechat["createdAt"].as_str().unwrap().len() == 19);
}

#[tokio::test]
async fn calls_without_a_valid_token_get_401_envelopes() {
    let app = spawn_app().await;
    let resp = app.http.get(app.url("payModeTemplates")).send().await.unwrap();
    testing::read_envelope(resp, 401, 4010).await;
    for bad in [
        "garbage",
        "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ4IiwiZXhwIjo5OTk5OTk5OTk5LCJyb2xlcyI6WyJhZG1pbiJdfQ.",
    ] {
        app.get_refused("payModeTemplates", bad, 401, 4010).await;
    }
}

#[tokio::test]
async fn register_creates_then_updates_keeping_fields_left_out() {
    let app = spawn_app().await;
    let (status, created) = app.register(&new_template("TEST-1"), &admin()).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["refundUrl"], Value::Null);
    assert_eq!(created["orderValidTime"], 24);
    let uuid = created["uuid"].as_str().unwrap().to_string();

    let (status, updated) = app
        .register(
            &json!({"payTemplateId": "TEST-1", "description": "changed", "status": "disabled"}),
            &admin(),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["uuid"], uuid);
    assert_eq!(updated["description"], "changed");
    assert_eq!(updated["status"], "disabled");
    assert_eq!(updated["name"], "测试支付");
    assert_eq!(updated["payUrl"], "http://127.0.0.1:9/pay");

    let (status, fetched) = app.get(&format!("payModeTemplates/{uuid}"), &merchant("m1")).await;
    assert_eq!(status, 200);
    assert_eq!(fetched["description"], "changed");
}

#[tokio::test]
async fn register_accepts_a_given_uuid_on_create_and_refuses_changing_it() {
    let app = spawn_app().await;
    let mut body = new_template("TEST-UUID");
    body["uuid"] = json!("rDdNnmkt97nSCiooVgJlvw");
    let (status, created) = app.register(&body, &admin()).await;
    assert_eq!(
        (status, created["uuid"].as_str()),
        (201, Some("rDdNnmkt97nSCiooVgJlvw"))
    );
    body["uuid"] = json!("aaaaaaaaaaaaaaaaaaaaaa");
    let (status, err) = app.register(&body, &admin()).await;
    assert_envelope(status, &err, 400, 4000);
}

#[tokio::test]
async fn register_is_admin_only() {
    let app = spawn_app().await;
    let (status, body) = app.register(&new_template("TEST-2"), &merchant("m1")).await;
    assert_envelope(status, &body, 403, 4030);
    let (_, list) = app.get("payModeTemplates?payTemplateId=TEST-2", &admin()).await;
    assert_eq!(list["size"], 0, "nothing was created");
}

#[tokio::test]
async fn malformed_and_invalid_bodies_get_400_envelopes_and_change_nothing() {
    let app = spawn_app().await;
    let (status, body) = app
        .call_raw(
            Method::POST,
            "registerPayModeTemplate",
            &admin(),
            "{\"payTemplateId\": ",
        )
        .await;
    assert_envelope(status, &body, 400, 4000);
    for bad in [
        json!({"payTemplateId": "TEST-3", "name": "x", "isOnline": "1"}),
        json!({"payTemplateId": "TEST-3", "name": "x", "isOnline": 3}),
        json!({"payTemplateId": "TEST-3", "name": "x", "payUrl": "javascript:alert(1)"}),
        json!({"payTemplateId": "TEST-3", "name": "x", "orderValidTime": -1}),
        json!({"payTemplateId": "TEST-3"}),
        json!({"name": "no id"}),
    ] {
        let (status, body) = app.register(&bad, &admin()).await;
        assert_envelope(status, &body, 400, 4000);
    }
    let (_, list) = app.get("payModeTemplates?payTemplateId=TEST-3", &admin()).await;
    assert_eq!(list["size"], 0);
}

#[tokio::test]
async fn filters_paging_and_order_by() {
    let app = spawn_app().await;
    app.register(&json!({"payTemplateId": WECHAT, "status": "disabled"}), &admin())
        .await;
    let token = merchant("m1");

    let (_, disabled) = app.get("payModeTemplates?status=disabled", &token).await;
    assert_eq!(disabled["size"], 1);
    assert_eq!(disabled["items"][0]["payTemplateId"], WECHAT);

    let (_, alipay) = app
        .get("payModeTemplates?payChannel=%E6%94%AF%E4%BB%98%E5%AE%9D", &token)
        .await;
    assert_eq!(alipay["size"], 1);
    assert_eq!(alipay["items"][0]["name"], "支付宝扫码枪");

    let (_, page) = app.get("payModeTemplates?limit=2&offset=6&orderBy=id", &token).await;
    assert_eq!(
        (page["size"].as_i64(), page["items"].as_array().unwrap().len()),
        (Some(7), 1)
    );

    let (_, desc) = app.get("payModeTemplates?orderBy=id%20desc&limit=1", &token).await;
    assert_eq!(
        desc["items"][0]["payTemplateId"],
        "B3A36C30-BB11-11E8-8353-CD8987EBDA9C"
    );

    for bad in [
        "orderBy=password",
        "orderBy=id%3B%20DROP%20TABLE%20x",
        "orderBy=id%20up",
        "limit=0",
        "limit=101",
        "offset=-1",
        "limit=x",
        "status=gone",
    ] {
        app.get_refused(&format!("payModeTemplates?{bad}"), &token, 400, 4000)
            .await;
    }
}

#[tokio::test]
async fn get_params_may_come_in_a_json_body_and_the_query_wins() {
    let app = spawn_app().await;
    let params = json!({"limit": 1, "orderBy": "id desc"});
    let (status, body) = app
        .call(Method::GET, "payModeTemplates?limit=3", &merchant("m1"), Some(&params))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["limit"], 3);
    assert_eq!(
        body["items"][0]["payTemplateId"],
        "B3A36C30-BB11-11E8-8353-CD8987EBDA9C"
    );
}

#[tokio::test]
async fn unknown_templates_are_404_and_the_v1_alias_works() {
    let app = spawn_app().await;
    let (status, body) = app
        .get("payModeTemplates/AAAAAAAAAAAAAAAAAAAAAA", &merchant("m1"))
        .await;
    assert_envelope(status, &body, 404, 4040);
    let (status, body) = Api::new(format!("{}/api/v1", app.address))
        .get("payModeTemplates/irAl37TewwGEchYrXUWsfA", &merchant("m1"))
        .await;
    assert_eq!((status, body["name"].as_str()), (200, Some("会员储值")));
    let (status, body) = app
        .call(
            Method::DELETE,
            "payModeTemplates/irAl37TewwGEchYrXUWsfA",
            &admin(),
            None,
        )
        .await;
    assert_envelope(status, &body, 405, 4050);
}

#[tokio::test]
async fn hrefs_follow_the_forwarded_headers() {
    let app = spawn_app().await;
    let url = app.url("payModeTemplates/irAl37TewwGEchYrXUWsfA");
    let (_, body) = testing::get_forwarded(&url, &merchant("m1")).await;
    assert_eq!(
        body["href"],
        "https://pay.example.com/payServer/api/v1.0.0/payModeTemplates/irAl37TewwGEchYrXUWsfA"
    );
}

#[tokio::test]
async fn concurrent_first_registrations_create_exactly_one_template() {
    let app = spawn_app().await;
    let token = admin();
    let bodies = (0..10)
        .map(|i| {
            let mut body = new_template("TEST-RACE");
            body["description"] = json!(format!("writer {i}"));
            body
        })
        .collect();
    let answers = testing::race(&app, Method::POST, "registerPayModeTemplate", &token, bodies).await;
    let statuses: Vec<u16> = answers.iter().map(|(status, _)| *status).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 9, "{statuses:?}");
    let (_, list) = app.get("payModeTemplates?payTemplateId=TEST-RACE", &token).await;
    assert_eq!(list["size"], 1);
}
