use payserver_shared::testing;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    CASH, SIGN_ACCOUNT, UNIONPAY, admin, assert_envelope, merchant, merchant_with_href, mode_path, read, spawn_app,
    uuids,
};

/// Every field of API.md A.3 a pay mode always carries.
const FIELDS: [&str; 29] = [
    "href",
    "id",
    "uuid",
    "payTemplateId",
    "name",
    "description",
    "checkEnvUrl",
    "payUrl",
    "refundUrl",
    "queryUrl",
    "iconHref",
    "orderValidTime",
    "isOnline",
    "isSignAccount",
    "isAsyncNotify",
    "isThridPay",
    "payChannel",
    "payWay",
    "isFastPay",
    "isOpened",
    "uiOrder",
    "merchantUUID",
    "createdAt",
    "modifiedAt",
    "merchant",
    "payModeTemplate",
    "payOrders",
    "refundOrders",
    "tradeRecords",
];

fn assert_all_fields(mode: &Value) {
    let obj = mode.as_object().unwrap_or_else(|| panic!("not an object: {mode}"));
    for f in FIELDS {
        assert!(obj.contains_key(f), "{f} missing in {mode}");
    }
}

#[tokio::test]
async fn opening_a_template_copies_its_fields_and_answers_201_with_links() {
    let app = spawn_app().await;
    let shop = "http://192.168.7.188:6005/api/v1.0.0/shops/m1";
    let resp = testing::send(
        app.request(Method::POST, "payModes", &merchant_with_href("m1", shop))
            .json(&json!({"payTemplateId": SIGN_ACCOUNT, "uiOrder": 3, "isFastPay": 1})),
    )
    .await;
    let location = resp.headers().get("location").map(|v| v.to_str().unwrap().to_string());
    let (status, mode) = read(resp).await;
    assert_eq!(status, 201, "{mode}");
    assert_all_fields(&mode);
    let uuid = mode["uuid"].as_str().unwrap();
    assert_eq!(uuid.len(), 22);
    assert_eq!(location.as_deref(), mode["href"].as_str());
    assert_eq!(mode["href"], app.url(&format!("payModes/{uuid}")));
    assert_eq!(
        (mode["name"].as_str(), mode["description"].as_str()),
        (Some("挂账"), Some("挂账支付"))
    );
    assert_eq!(
        testing::ints(&mode, ["isOnline", "isSignAccount", "orderValidTime"]),
        [Some(1), Some(1), Some(24)]
    );
    assert!(
        mode["payUrl"].as_str().unwrap().starts_with("http://127.0.0.1:6201/"),
        "{mode}"
    );
    assert_eq!(
        testing::ints(&mode, ["uiOrder", "isFastPay", "isOpened"]),
        [Some(3), Some(1), Some(1)]
    );
    assert_eq!(mode["merchantUUID"], "m1");
    assert_eq!(mode["payTemplateId"], SIGN_ACCOUNT);
    assert_eq!(mode["iconHref"], Value::Null);
    assert_eq!(mode["merchant"]["href"], shop, "the token's merchantHref");
    let template_uuid = app.template_uuid(SIGN_ACCOUNT).await;
    assert_eq!(
        mode["payModeTemplate"]["href"],
        app.url(&format!("payModeTemplates/{template_uuid}"))
    );
    for link in ["payOrders", "refundOrders", "tradeRecords"] {
        assert_eq!(mode[link]["href"], app.url(&format!("payModes/{uuid}/{link}")));
    }
    assert_eq!(mode["createdAt"].as_str().unwrap().len(), 19);

    let (status, fetched) = app.get(&format!("payModes/{uuid}"), &merchant("m1")).await;
    assert_eq!(status, 200);
    assert_eq!(fetched, mode);
}

#[tokio::test]
async fn the_body_may_name_the_merchant_by_href_and_override_the_allowed_fields() {
    let app = spawn_app().await;
    let href = "http://192.168.7.188:6004/api/v1.0.0/merchants/eLzwsgnlWpZN8xtvz0qgvw";
    let body = json!({
        "merchantHref": href, "payTemplateId": UNIONPAY, "isOpened": 0, "uiOrder": 3, "isFastPay": 1,
        "name": "银联刷卡", "orderValidTime": 48, "iconHref": "https://cdn.example.com/unionpay.png", "isOnline": 1
    });
    let mode = app.opened(&body, &merchant("eLzwsgnlWpZN8xtvz0qgvw")).await;
    assert_eq!(mode["merchantUUID"], "eLzwsgnlWpZN8xtvz0qgvw");
    assert_eq!(mode["merchant"]["href"], href);
    assert_eq!(
        (
            mode["name"].as_str(),
            mode["orderValidTime"].as_i64(),
            mode["isOpened"].as_i64()
        ),
        (Some("银联刷卡"), Some(48), Some(0))
    );
    assert_eq!(mode["iconHref"], "https://cdn.example.com/unionpay.png");
    assert_eq!(
        (mode["payUrl"].clone(), mode["isOnline"].as_i64()),
        (Value::Null, Some(0)),
        "template fields come from the template"
    );
    assert_eq!(mode["description"], "银联支付");
}

#[tokio::test]
async fn a_custom_mode_needs_a_name_and_an_online_one_a_pay_url() {
    let app = spawn_app().await;
    let token = merchant("m1");
    for bad in [
        json!({"description": "no name"}),
        json!({"name": "线上", "isOnline": 1}),
        json!({"name": "线上", "isOnline": 1, "payUrl": ""}),
    ] {
        app.open_refused(&bad, &token, 400, 4000).await;
    }
    assert_eq!(app.mode_count().await, 0);

    let offline = app.opened(&json!({"name": "代金券"}), &token).await;
    assert_all_fields(&offline);
    assert_eq!(
        testing::ints(&offline, ["isOpened", "isFastPay", "uiOrder"]),
        [Some(1), Some(0), Some(0)]
    );
    assert_eq!(
        (
            offline["payTemplateId"].clone(),
            offline["payModeTemplate"]["href"].clone()
        ),
        (Value::Null, Value::Null)
    );
    assert_eq!(
        offline["merchant"]["href"],
        Value::Null,
        "no href given and none in the token"
    );

    let online = app
        .opened(&json!({"name": "自有网关", "isOnline": 1, "payUrl": "http://127.0.0.1:9/pay", "queryUrl": "http://127.0.0.1:9/query", "payChannel": "自有"}), &token)
        .await;
    assert_eq!(
        (online["payUrl"].as_str(), online["queryUrl"].as_str()),
        (Some("http://127.0.0.1:9/pay"), Some("http://127.0.0.1:9/query"))
    );
    app.opened(&json!({"name": "代金券"}), &token).await;
    assert_eq!(app.mode_count().await, 3, "custom modes never collide");
}

#[tokio::test]
async fn malformed_and_invalid_bodies_get_400_envelopes_and_create_nothing() {
    let app = spawn_app().await;
    let token = merchant("m1");
    for raw in ["{\"name\": ", "[]", "\"x\""] {
        let (status, body) = app.call_raw(Method::POST, "payModes", &token, raw).await;
        assert_envelope(status, &body, 400, 4000);
    }
    for bad in [
        json!({"name": "x", "isOpened": "1"}),
        json!({"name": "x", "isOpened": 2}),
        json!({"name": "x", "uiOrder": 1.5}),
        json!({"name": "x", "uiOrder": 3_000_000_000i64}),
        json!({"name": "x", "orderValidTime": 0}),
        json!({"name": "x", "orderValidTime": 8761}),
        json!({"name": "x", "payUrl": "javascript:alert(1)"}),
        json!({"name": "x", "iconHref": "/relative.png"}),
        json!({"name": "x".repeat(65)}),
        json!({"name": "x", "description": "d".repeat(256)}),
        json!({"name": 5}),
        json!({"payTemplateId": "not valid!"}),
        json!({"payTemplateId": CASH, "isFastPay": 7}),
        json!({"name": "x", "merchantHref": "not a url"}),
    ] {
        app.open_refused(&bad, &token, 400, 4000).await;
    }
    assert_eq!(app.mode_count().await, 0);
}

#[tokio::test]
async fn naming_another_merchant_is_403_unless_admin() {
    let app = spawn_app().await;
    let m1 = merchant("m1");
    app.open_refused(&json!({"payTemplateId": CASH, "merchantUUID": "m2"}), &m1, 403, 4030)
        .await;
    app.open_refused(
        &json!({"name": "x", "merchantHref": "http://shop.example.com/shops/m2"}),
        &m1,
        403,
        4030,
    )
    .await;
    assert_eq!(app.mode_count().await, 0);

    let for_m2 = app
        .opened(&json!({"payTemplateId": CASH, "merchantUUID": "m2"}), &admin())
        .await;
    assert_eq!(for_m2["merchantUUID"], "m2");
    app.open_template(CASH, &m1).await;

    for query in [
        "merchantUUID=m2",
        "merchantHref=http%3A%2F%2Fshop.example.com%2Fshops%2Fm2",
    ] {
        app.get_refused(&format!("payModes?{query}"), &m1, 403, 4030).await;
    }
    let (_, own) = app.get("payModes?merchantUUID=m1", &m1).await;
    assert_eq!(own["size"], 1);
    let (_, all) = app.get("payModes", &admin()).await;
    assert_eq!(all["size"], 2, "an admin naming nobody lists every merchant");
    let (_, m2) = app.get("payModes?merchantUUID=m2", &admin()).await;
    assert_eq!(uuids(&m2), [for_m2["uuid"].as_str().unwrap()]);
}

#[tokio::test]
async fn another_merchants_mode_is_404_for_get_put_and_delete_and_stays_unchanged() {
    let app = spawn_app().await;
    let (mode, path) = app.open_template_at(CASH, &merchant("m1")).await;
    let m2 = merchant("m2");

    let (status, body) = app.get(&path, &m2).await;
    assert_envelope(status, &body, 404, 4040);
    let (status, missing) = app.get("payModes/AAAAAAAAAAAAAAAAAAAAAA", &m2).await;
    assert_eq!(
        (status, &missing["message"]),
        (404, &body["message"]),
        "foreign and missing answer alike"
    );
    let (status, body) = app.put(&path, &m2, &json!({"name": "stolen"})).await;
    assert_envelope(status, &body, 404, 4040);
    let (status, body) = app.delete_answer(&path, &m2).await;
    assert_envelope(status, &body.unwrap(), 404, 4040);

    let (status, after) = app.get(&path, &merchant("m1")).await;
    assert_eq!(status, 200);
    assert_eq!(after, mode);
    let (status, _) = app.get(&path, &admin()).await;
    assert_eq!(status, 200, "admins see every merchant's modes");
}

#[tokio::test]
async fn put_changes_the_given_fields_and_refuses_identity_changes() {
    let app = spawn_app().await;
    let token = merchant("m1");
    let mode = app
        .opened(
            &json!({"payTemplateId": CASH, "iconHref": "http://cdn/x.png", "uiOrder": 2}),
            &token,
        )
        .await;
    let path = mode_path(&mode);

    let (status, updated) = app
        .put(
            &path,
            &token,
            &json!({"name": "现金收款", "iconHref": null, "isFastPay": 1, "payTemplateId": CASH, "merchantUUID": "m1"}),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(
        (
            updated["name"].as_str(),
            updated["iconHref"].clone(),
            updated["isFastPay"].as_i64()
        ),
        (Some("现金收款"), Value::Null, Some(1))
    );
    assert_eq!(
        (updated["uiOrder"].as_i64(), updated["description"].as_str()),
        (Some(2), Some("现金支付")),
        "fields left out stay"
    );
    assert_eq!(updated["createdAt"], mode["createdAt"]);

    for bad in [
        json!({"payTemplateId": UNIONPAY}),
        json!({"payTemplateId": null}),
        json!({"merchantUUID": "m2"}),
        json!({"merchantHref": "http://shop.example.com/shops/m2"}),
        json!({"isOnline": 1}),
        json!({"name": null}),
        json!({"isOpened": null}),
        json!({"uiOrder": "first"}),
        json!({"payUrl": "not a url"}),
        json!({"isOnline": 1, "payUrl": "http://127.0.0.1:9/pay"}),
    ] {
        let (status, body) = app.put(&path, &token, &bad).await;
        assert_envelope(status, &body, 400, 4000);
    }
    let (_, after) = app.get(&path, &token).await;
    assert_eq!(after, updated, "refused updates change nothing");

    let custom = app.opened(&json!({"name": "自有"}), &token).await;
    let custom_path = mode_path(&custom);
    let (status, body) = app
        .put(
            &custom_path,
            &token,
            &json!({"isOnline": 1, "payUrl": "http://127.0.0.1:9/pay"}),
        )
        .await;
    assert_eq!(
        (status, body["isOnline"].as_i64(), body["payUrl"].as_str()),
        (200, Some(1), Some("http://127.0.0.1:9/pay")),
        "{body}"
    );

    let (status, body) = app.call_raw(Method::PUT, &path, &token, "{oops").await;
    assert_envelope(status, &body, 400, 4000);
}

#[tokio::test]
async fn delete_answers_204_and_the_template_can_be_opened_again() {
    let app = spawn_app().await;
    let token = merchant("m1");
    let (_, path) = app.open_template_at(CASH, &token).await;
    let (status, body) = app.delete_answer(&path, &token).await;
    assert_eq!((status, body), (204, None));
    app.get_refused(&path, &token, 404, 4040).await;
    let (status, body) = app.delete_answer(&path, &token).await;
    assert_envelope(status, &body.unwrap(), 404, 4040);
    app.open_template(CASH, &token).await;
}

#[tokio::test]
async fn deleting_a_mode_that_has_pay_orders_closes_it_instead() {
    let app = spawn_app().await;
    let token = merchant("m1");
    let mode = app.open_template(CASH, &token).await;
    let uuid = mode["uuid"].as_str().unwrap().to_string();
    app.modes_with_orders.lock().unwrap().push(uuid.clone());
    let path = format!("payModes/{uuid}");
    let (status, body) = app.delete_answer(&path, &token).await;
    let body = body.unwrap();
    assert_eq!((status, body["isOpened"].as_i64()), (200, Some(0)), "{body}");
    let (status, body) = app.get(&path, &token).await;
    assert_eq!((status, body["isOpened"].as_i64()), (200, Some(0)));
}

#[tokio::test]
async fn lists_filter_order_and_page_and_refuse_bad_parameters() {
    let app = spawn_app().await;
    let token = merchant("m1");
    let a = app.opened(&json!({"payTemplateId": CASH, "uiOrder": 1}), &token).await;
    let b = app
        .opened(&json!({"payTemplateId": UNIONPAY, "uiOrder": 5, "isOpened": 0}), &token)
        .await;
    let c = app.opened(&json!({"name": "代金券", "uiOrder": 3}), &token).await;
    app.opened(&json!({"payTemplateId": CASH, "uiOrder": 9}), &merchant("m2"))
        .await;
    let uuid = |m: &Value| m["uuid"].as_str().unwrap().to_string();

    let (status, page) = app.get("payModes?orderBy=uiOrder%20desc", &token).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(uuids(&page), [uuid(&b), uuid(&c), uuid(&a)]);
    assert_eq!(
        testing::ints(&page, ["size", "offset", "limit"]),
        [Some(3), Some(0), Some(25)]
    );
    assert_eq!(page["href"], app.url("payModes?orderBy=uiOrder%20desc"));

    let (_, asc) = app.get("payModes?orderBy=uiOrder", &token).await;
    assert_eq!(uuids(&asc), [uuid(&a), uuid(&c), uuid(&b)]);
    let (_, opened) = app.get("payModes?isOpened=1&orderBy=id%20desc", &token).await;
    assert_eq!(uuids(&opened), [uuid(&c), uuid(&a)]);
    let (_, by_template) = app.get(&format!("payModes?payTemplateId={UNIONPAY}"), &token).await;
    assert_eq!(uuids(&by_template), [uuid(&b)]);
    let (_, paged) = app
        .get("payModes?orderBy=uiOrder%20desc&limit=1&offset=1", &token)
        .await;
    assert_eq!((paged["size"].as_i64(), uuids(&paged)), (Some(3), vec![uuid(&c)]));
    let (_, by_name) = app.get("payModes?orderBy=name", &token).await;
    assert_eq!(by_name["size"], 3);

    for bad in [
        "orderBy=password",
        "orderBy=uiOrder%20sideways",
        "orderBy=uiOrder%3B%20DROP%20TABLE%20pay_modes",
        "orderBy=payUrl%20asc",
        "isOpened=2",
        "limit=0",
        "limit=101",
        "offset=-1",
        "expand=merchant",
        "merchantUUID=a%20b",
    ] {
        app.get_refused(&format!("payModes?{bad}"), &token, 400, 4000).await;
    }
}

#[tokio::test]
async fn get_parameters_may_come_in_a_json_body_as_in_the_seed() {
    let app = spawn_app().await;
    let token = merchant("eLzwsgnlWpZN8xtvz0qgvw");
    app.opened(&json!({"payTemplateId": CASH, "uiOrder": 1}), &token).await;
    let top = app
        .opened(&json!({"payTemplateId": UNIONPAY, "uiOrder": 3}), &token)
        .await;
    app.opened(&json!({"name": "closed", "uiOrder": 9, "isOpened": 0}), &token)
        .await;
    let params = json!({"merchantHref": "http://192.168.7.188:6004/api/v1.0.0/merchants/eLzwsgnlWpZN8xtvz0qgvw", "orderBy": "uiOrder desc", "isOpened": 1});
    let (status, page) = app.call(Method::GET, "payModes", &token, Some(&params)).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["size"], 2);
    assert_eq!(page["items"][0]["uuid"], top["uuid"]);
}

#[tokio::test]
async fn expand_pay_mode_template_embeds_the_template() {
    let app = spawn_app().await;
    let token = merchant("m1");
    let mode = app.open_template(CASH, &token).await;
    app.opened(&json!({"name": "代金券"}), &token).await;
    let template_uuid = app.template_uuid(CASH).await;

    let (status, page) = app.get("payModes?expand=payModeTemplate&orderBy=id", &token).await;
    assert_eq!(status, 200, "{page}");
    let embedded = &page["items"][0]["payModeTemplate"];
    assert_eq!(embedded["payTemplateId"], CASH);
    assert_eq!(embedded["uuid"], template_uuid);
    assert_eq!(embedded["status"], "enabled");
    assert_eq!(embedded["name"], "现金");
    assert_eq!(
        embedded["href"],
        app.url(&format!("payModeTemplates/{template_uuid}")),
        "rebased on paymode's public base"
    );
    assert_eq!(
        embedded["payModes"]["href"],
        app.url(&format!("payModeTemplates/{template_uuid}/payModes"))
    );
    assert_eq!(
        page["items"][1]["payModeTemplate"],
        json!({"href": null}),
        "custom modes have no template"
    );

    let (status, one) = app
        .get(
            &format!("payModes/{}?expand=payModeTemplate", mode["uuid"].as_str().unwrap()),
            &token,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(&one["payModeTemplate"], embedded);
    let (status, body) = app
        .get(
            &format!("payModes/{}?expand=payOrders", mode["uuid"].as_str().unwrap()),
            &token,
        )
        .await;
    assert_envelope(status, &body, 400, 4000);
}

#[tokio::test]
async fn modes_of_a_template_are_listed_under_it_for_their_merchant() {
    let app = spawn_app().await;
    let own = app
        .opened(&json!({"payTemplateId": CASH, "uiOrder": 1}), &merchant("m1"))
        .await;
    app.open_template(UNIONPAY, &merchant("m1")).await;
    app.open_template(CASH, &merchant("m2")).await;
    let cash = app.template_uuid(CASH).await;

    let (status, page) = app
        .get(&format!("payModeTemplates/{cash}/payModes"), &merchant("m1"))
        .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(uuids(&page), [own["uuid"].as_str().unwrap()]);
    let (_, all) = app
        .get(
            &format!("payModeTemplates/{cash}/payModes?orderBy=uiOrder%20desc"),
            &admin(),
        )
        .await;
    assert_eq!(all["size"], 2);
    let (_, closed) = app
        .get(&format!("payModeTemplates/{cash}/payModes?isOpened=0"), &merchant("m1"))
        .await;
    assert_eq!(closed["size"], 0);
    let (status, body) = app
        .get(
            &format!("payModeTemplates/{cash}/payModes?merchantUUID=m2"),
            &merchant("m1"),
        )
        .await;
    assert_envelope(status, &body, 403, 4030);

    for unknown in ["AAAAAAAAAAAAAAAAAAAAAA", "not-a-uuid"] {
        let (status, body) = app
            .get(&format!("payModeTemplates/{unknown}/payModes"), &merchant("m1"))
            .await;
        assert_envelope(status, &body, 404, 4040);
    }
}

#[tokio::test]
async fn the_v1_alias_health_checks_and_forwarded_hrefs_work() {
    let app = spawn_app().await;
    let mode = app.opened(&json!({"name": "代金券"}), &merchant("m1")).await;
    let uuid = mode["uuid"].as_str().unwrap();
    let url = format!("{}/api/v1/payModes/{uuid}", app.address);
    let (status, body) = testing::get_forwarded(&url, &merchant("m1")).await;
    assert_eq!(status, 200);
    assert_eq!(
        body["href"],
        format!("https://pay.example.com/payServer/api/v1.0.0/payModes/{uuid}")
    );
    assert_eq!(
        body["payOrders"]["href"],
        format!("https://pay.example.com/payServer/api/v1.0.0/payModes/{uuid}/payOrders")
    );
    for path in ["healthz", "readyz"] {
        let resp = app.http.get(format!("{}/{path}", app.address)).send().await.unwrap();
        assert_eq!(resp.status().as_u16(), 200, "{path}");
    }
    let resp = app.http.get(app.url("payModes")).send().await.unwrap();
    testing::read_envelope(resp, 401, 4010).await;
    let (status, body) = app.put("payModes", &merchant("m1"), &json!({})).await;
    assert_envelope(status, &body, 405, 4050);
}
