//! `/wechatMerchants/{merchantUUID}`: per-merchant settings. Which sub-merchant a merchant is
//! paid into is an operator's decision: only admin writes; a merchant reads its own.

use connector_contract::shared::auth::Role;
use connector_contract::shared::testing;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn an_admin_sets_and_deletes_a_sub_merchant_which_the_merchant_itself_may_read() {
    let app = spawn_app().await;
    let (status, body) = app
        .put_merchant(
            "shop1",
            &json!({ "subMchId": "1900000110", "subAppId": "wx8888888888888888" }),
            &admin(),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["subMchId"], "1900000110");
    assert_eq!(body["subAppId"], "wx8888888888888888");
    assert_eq!(body["merchantUUID"], "shop1");
    assert!(
        body["href"]
            .as_str()
            .unwrap()
            .ends_with("/api/v1.0.0/wechatMerchants/shop1")
    );
    for key in ["id", "createdAt", "modifiedAt"] {
        assert!(!body[key].is_null(), "{key}: {body}");
    }
    assert_eq!(app.check_env("shop1").await["ret"], json!(true));

    let (status, body) = app
        .put_merchant("shop1", &json!({ "subMchId": "1900000111" }), &admin())
        .await;
    assert_eq!(
        (status, body["subMchId"].as_str(), &body["subAppId"]),
        (200, Some("1900000111"), &json!(null))
    );

    // The merchant reads its own entry, on the /api/v1 alias too.
    let token = merchant_token("shop1");
    let (status, body) = app.get_merchant("shop1", &token).await;
    assert_eq!((status, body["subMchId"].as_str()), (200, Some("1900000111")));
    let resp = app
        .client
        .get(format!("{}/api/v1/wechatMerchants/shop1", app.address))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let (status, body) = read(resp).await;
    assert_eq!((status, body["subMchId"].as_str()), (200, Some("1900000111")));

    let (status, _) = app.delete_merchant("shop1", &admin()).await;
    assert_eq!(status, 204);
    let (status, body) = app.get_merchant("shop1", &token).await;
    assert_eq!((status, body["code"].as_u64()), (404, Some(4040)));
    assert_eq!(app.check_env("shop1").await["ret"], json!(false));
}

#[tokio::test]
async fn a_merchant_may_not_set_or_delete_its_own_sub_merchant() {
    let app = spawn_app().await;
    let own = merchant_token("shop4");
    let (status, body) = app.put_merchant("shop4", &json!({ "subMchId": "2" }), &own).await;
    assert_eq!((status, body["code"].as_u64()), (403, Some(4030)), "{body}");
    assert_eq!(app.check_env("shop4").await["ret"], json!(false), "nothing was written");

    let (status, _) = app.put_merchant("shop4", &json!({ "subMchId": "1" }), &admin()).await;
    assert_eq!(status, 200);
    let (status, body) = app.put_merchant("shop4", &json!({ "subMchId": "2" }), &own).await;
    assert_eq!((status, body["code"].as_u64()), (403, Some(4030)), "{body}");
    let (status, body) = app.delete_merchant("shop4", &own).await;
    assert_eq!((status, body["code"].as_u64()), (403, Some(4030)), "{body}");
    let (status, body) = app.get_merchant("shop4", &own).await;
    assert_eq!((status, body["subMchId"].as_str()), (200, Some("1")), "unchanged");
}

#[tokio::test]
async fn another_merchants_entry_is_a_404_and_an_admin_reads_any() {
    let app = spawn_app().await;
    let (status, _) = app.put_merchant("shop2", &json!({ "subMchId": "1" }), &admin()).await;
    assert_eq!(status, 200);
    let intruder = merchant_token("shop1");
    let (status, body) = app.get_merchant("shop2", &intruder).await;
    assert_eq!((status, body["code"].as_u64()), (404, Some(4040)), "{body}");
    let (status, body) = app.put_merchant("shop2", &json!({ "subMchId": "2" }), &intruder).await;
    assert_eq!((status, body["code"].as_u64()), (403, Some(4030)), "{body}");
    let (status, _) = app.delete_merchant("shop2", &intruder).await;
    assert_eq!(status, 403);

    let resp = app.client.get(app.api("wechatMerchants/shop2")).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 401, "no token");
    let (status, body) = app.get_merchant("shop2", &admin()).await;
    assert_eq!((status, body["subMchId"].as_str()), (200, Some("1")));
}

#[tokio::test]
async fn tokens_without_the_merchant_or_admin_role_are_forbidden() {
    let app = spawn_app().await;
    let (status, _) = app.put_merchant("shop5", &json!({ "subMchId": "1" }), &admin()).await;
    assert_eq!(status, 200);
    for (who, token) in [
        ("connector", testing::connector_token("wechat")),
        (
            "connector for this merchant",
            testing::token(Some("shop5"), &[Role::Connector]),
        ),
        ("no role", testing::token(Some("shop5"), &[])),
        ("service", service()),
    ] {
        let (status, body) = app.get_merchant("shop5", &token).await;
        assert_eq!(
            (status, body["code"].as_u64()),
            (403, Some(4030)),
            "GET as {who}: {body}"
        );
        let (status, body) = app.put_merchant("shop5", &json!({ "subMchId": "2" }), &token).await;
        assert_eq!(
            (status, body["code"].as_u64()),
            (403, Some(4030)),
            "PUT as {who}: {body}"
        );
        let (status, body) = app.delete_merchant("shop5", &token).await;
        assert_eq!(
            (status, body["code"].as_u64()),
            (403, Some(4030)),
            "DELETE as {who}: {body}"
        );
    }
    let (status, body) = app.get_merchant("shop5", &admin()).await;
    assert_eq!((status, body["subMchId"].as_str()), (200, Some("1")), "unchanged");
}

#[tokio::test]
async fn invalid_settings_are_a_400() {
    let app = spawn_app().await;
    for body in [
        json!({}),
        json!({ "subMchId": "" }),
        json!({ "subMchId": "19x" }),
        json!({ "subMchId": 1900000110 }),
        json!({ "subMchId": "1", "subAppId": "wx 1" }),
    ] {
        let (status, answer) = app.put_merchant("shop3", &body, &admin()).await;
        assert_eq!((status, answer["code"].as_u64()), (400, Some(4000)), "{body}: {answer}");
    }
}
