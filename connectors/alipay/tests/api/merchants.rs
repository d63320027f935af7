//! `/alipayMerchants/{merchantUUID}`: each merchant's app_auth_token. Which Alipay account a
//! merchant is paid into is an operator's decision: only admin writes; a merchant reads its own.

use connector_contract::shared::auth::Role;
use connector_contract::shared::testing;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn an_admin_sets_and_deletes_a_token_which_the_merchant_reads_but_never_sees_in_full() {
    let app = spawn_app().await;
    let m = new_merchant();
    let token = "202611BBd4c1e0a7f3b24c8e9f0a1b2c3d4e5f60";
    let (s, b) = app.put_token(&m, token, &admin()).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["merchantUUID"], m.as_str());
    assert_eq!(b["appAuthToken"], "2026****5f60");
    assert!(!b.to_string().contains(token));
    for key in ["href", "id", "uuid", "createdAt", "modifiedAt"] {
        assert!(b.get(key).is_some(), "{key}: {b}");
    }
    assert!(
        b["href"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/api/v1.0.0/alipayMerchants/{m}"))
    );

    let (s, again) = app.put_token(&m, "202611BBffffffffffff0000", &admin()).await;
    assert_eq!(s, 200);
    assert_eq!(again["uuid"], b["uuid"], "PUT replaces the token of the same resource");
    assert_eq!(again["appAuthToken"], "2026****0000");

    // The merchant reads its own entry, on the /api/v1 alias too.
    let (s, got) = app.get_token(&m, &merchant(&m)).await;
    assert_eq!((s, &got["appAuthToken"]), (200, &json!("2026****0000")), "{got}");
    let resp = app
        .client
        .get(format!("{}/api/v1/alipayMerchants/{m}", app.address))
        .bearer_auth(merchant(&m))
        .send()
        .await
        .unwrap();
    let (s, got) = read(resp).await;
    assert_eq!((s, &got["appAuthToken"]), (200, &json!("2026****0000")), "{got}");

    let (s, _) = app.delete_token(&m, &admin()).await;
    assert_eq!(s, 204);
    let (s, b) = app.get_token(&m, &merchant(&m)).await;
    assert_eq!((s, b["code"].as_u64()), (404, Some(4040)), "{b}");
}

#[tokio::test]
async fn a_merchant_may_not_set_or_delete_its_own_token() {
    let app = spawn_app().await;
    let m = new_merchant();
    let (s, body) = app.put_token(&m, "202611BBmmmmmmmmmmmm", &merchant(&m)).await;
    assert_eq!((s, body["code"].as_u64()), (403, Some(4030)), "{body}");
    let (s, _) = app.get_token(&m, &admin()).await;
    assert_eq!(s, 404, "nothing was written");

    let (s, _) = app.put_token(&m, "202611BBaaaaaaaaaaaa", &admin()).await;
    assert_eq!(s, 200);
    let (s, body) = app.put_token(&m, "202611BBmmmmmmmmmmmm", &merchant(&m)).await;
    assert_eq!((s, body["code"].as_u64()), (403, Some(4030)), "{body}");
    let (s, body) = app.delete_token(&m, &merchant(&m)).await;
    assert_eq!((s, body["code"].as_u64()), (403, Some(4030)), "{body}");
    let (s, got) = app.get_token(&m, &merchant(&m)).await;
    assert_eq!(
        (s, &got["appAuthToken"]),
        (200, &json!("2026****aaaa")),
        "unchanged: {got}"
    );
}

#[tokio::test]
async fn another_merchants_entry_is_a_404_and_an_admin_reads_any() {
    let app = spawn_app().await;
    let (a, b) = (new_merchant(), new_merchant());
    let (s, _) = app.put_token(&a, "202611BBaaaaaaaaaaaa", &admin()).await;
    assert_eq!(s, 200);
    let (s, body) = app.get_token(&a, &merchant(&b)).await;
    assert_eq!((s, body["code"].as_u64()), (404, Some(4040)), "{body}");
    let (s, body) = app.put_token(&a, "202611BBbbbbbbbbbbbb", &merchant(&b)).await;
    assert_eq!((s, body["code"].as_u64()), (403, Some(4030)), "{body}");
    let (s, _) = app.delete_token(&a, &merchant(&b)).await;
    assert_eq!(s, 403);
    let (s, _) = app.get_token(&a, &admin()).await;
    assert_eq!(s, 200);
    let resp = app
        .client
        .get(app.api(&format!("alipayMerchants/{a}")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);
}

#[tokio::test]
async fn tokens_without_the_merchant_or_admin_role_are_forbidden() {
    let app = spawn_app().await;
    let m = new_merchant();
    let (s, _) = app.put_token(&m, "202611BBaaaaaaaaaaaa", &admin()).await;
    assert_eq!(s, 200);
    for (who, bearer) in [
        ("connector", testing::connector_token("alipay")),
        (
            "connector for this merchant",
            testing::token(Some(&m), &[Role::Connector]),
        ),
        ("no role", testing::token(Some(&m), &[])),
        ("service", service()),
    ] {
        let (s, body) = app.get_token(&m, &bearer).await;
        assert_eq!((s, body["code"].as_u64()), (403, Some(4030)), "GET as {who}: {body}");
        let (s, body) = app.put_token(&m, "202611BBcccccccccccc", &bearer).await;
        assert_eq!((s, body["code"].as_u64()), (403, Some(4030)), "PUT as {who}: {body}");
        let (s, body) = app.delete_token(&m, &bearer).await;
        assert_eq!((s, body["code"].as_u64()), (403, Some(4030)), "DELETE as {who}: {body}");
    }
    let (s, got) = app.get_token(&m, &admin()).await;
    assert_eq!(
        (s, &got["appAuthToken"]),
        (200, &json!("2026****aaaa")),
        "unchanged: {got}"
    );
}

#[tokio::test]
async fn a_missing_or_malformed_token_is_a_400() {
    let app = spawn_app().await;
    let m = new_merchant();
    for body in [
        json!({}),
        json!({"appAuthToken": ""}),
        json!({"appAuthToken": "has space"}),
        json!({"appAuthToken": 5}),
    ] {
        let resp = app
            .client
            .put(app.api(&format!("alipayMerchants/{m}")))
            .bearer_auth(admin())
            .json(&body)
            .send()
            .await
            .unwrap();
        let (s, b) = read(resp).await;
        assert_eq!((s, b["code"].as_u64()), (400, Some(4000)), "{body}: {b}");
    }
    let (s, _) = app.delete_token(&m, &admin()).await;
    assert_eq!(s, 404, "nothing to delete");
}
