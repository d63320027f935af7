//! `/wechatMerchants/{merchantUUID}`: per-merchant settings.

use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_merchant_sets_reads_and_deletes_its_own_sub_merchant() {
    let app = spawn_app().await;
    let token = merchant_token("shop1");
    let (status, body) = app
        .put_merchant(
            "shop1",
            &json!({ "subMchId": "1900000110", "subAppId": "wx8888888888888888" }),
            &token,
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
        .put_merchant("shop1", &json!({ "subMchId": "1900000111" }), &token)
        .await;
    assert_eq!(
        (status, body["subMchId"].as_str(), &body["subAppId"]),
        (200, Some("1900000111"), &json!(null))
    );

    // The /api/v1 alias serves the same resource.
    let resp = app
        .client
        .get(format!("{}/api/v1/wechatMerchants/shop1", app.address))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let (status, body) = read(resp).await;
    assert_eq!((status, body["subMchId"].as_str()), (200, Some("1900000111")));

    let resp = app
        .client
        .delete(app.api("wechatMerchants/shop1"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 204);
    let resp = app
        .client
        .get(app.api("wechatMerchants/shop1"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let (status, body) = read(resp).await;
    assert_eq!((status, body["code"].as_u64()), (404, Some(4040)));
    assert_eq!(app.check_env("shop1").await["ret"], json!(false));
}

#[tokio::test]
async fn another_merchants_settings_are_forbidden_but_an_admin_may_manage_any() {
    let app = spawn_app().await;
    let (status, _) = app.put_merchant("shop2", &json!({ "subMchId": "1" }), &admin()).await;
    assert_eq!(status, 200);
    let intruder = merchant_token("shop1");
    let (status, body) = app.put_merchant("shop2", &json!({ "subMchId": "2" }), &intruder).await;
    assert_eq!((status, body["code"].as_u64()), (403, Some(4030)), "{body}");
    for req in [
        app.client.get(app.api("wechatMerchants/shop2")),
        app.client.delete(app.api("wechatMerchants/shop2")),
    ] {
        let resp = req.bearer_auth(&intruder).send().await.unwrap();
        assert_eq!(resp.status().as_u16(), 403);
    }
    let resp = app.client.get(app.api("wechatMerchants/shop2")).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 401, "no token");
    let resp = app
        .client
        .get(app.api("wechatMerchants/shop2"))
        .bearer_auth(admin())
        .send()
        .await
        .unwrap();
    let (status, body) = read(resp).await;
    assert_eq!((status, body["subMchId"].as_str()), (200, Some("1")));
}

#[tokio::test]
async fn invalid_settings_are_a_400() {
    let app = spawn_app().await;
    let token = merchant_token("shop3");
    for body in [
        json!({}),
        json!({ "subMchId": "" }),
        json!({ "subMchId": "19x" }),
        json!({ "subMchId": 1900000110 }),
        json!({ "subMchId": "1", "subAppId": "wx 1" }),
    ] {
        let (status, answer) = app.put_merchant("shop3", &body, &token).await;
        assert_eq!((status, answer["code"].as_u64()), (400, Some(4000)), "{body}: {answer}");
    }
}
