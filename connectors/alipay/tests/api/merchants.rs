//! `/alipayMerchants/{merchantUUID}`: each merchant's app_auth_token.

use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_merchant_sets_reads_and_deletes_its_own_token_which_is_never_shown_in_full() {
    let app = spawn_app().await;
    let m = new_merchant();
    let token = "202611BBd4c1e0a7f3b24c8e9f0a1b2c3d4e5f60";
    let (s, b) = app.put_token(&m, token, &merchant(&m)).await;
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

    let (s, again) = app.put_token(&m, "202611BBffffffffffff0000", &merchant(&m)).await;
    assert_eq!(s, 200);
    assert_eq!(again["uuid"], b["uuid"], "PUT replaces the token of the same resource");
    assert_eq!(again["appAuthToken"], "2026****0000");

    let resp = app
        .client
        .get(format!("{}/api/v1/alipayMerchants/{m}", app.address))
        .bearer_auth(merchant(&m))
        .send()
        .await
        .unwrap();
    let (s, got) = read(resp).await;
    assert_eq!((s, &got["appAuthToken"]), (200, &json!("2026****0000")), "{got}");

    let resp = app
        .client
        .delete(app.api(&format!("alipayMerchants/{m}")))
        .bearer_auth(merchant(&m))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 204);
    let resp = app
        .client
        .get(app.api(&format!("alipayMerchants/{m}")))
        .bearer_auth(merchant(&m))
        .send()
        .await
        .unwrap();
    let (s, b) = read(resp).await;
    assert_eq!((s, b["code"].as_u64()), (404, Some(4040)), "{b}");
}

#[tokio::test]
async fn another_merchants_settings_are_forbidden_and_an_admin_may_manage_any() {
    let app = spawn_app().await;
    let (a, b) = (new_merchant(), new_merchant());
    let (s, body) = app.put_token(&a, "202611BBaaaaaaaaaaaa", &merchant(&b)).await;
    assert_eq!((s, body["code"].as_u64()), (403, Some(4030)), "{body}");
    let (s, _) = app.put_token(&a, "202611BBaaaaaaaaaaaa", &admin()).await;
    assert_eq!(s, 200);
    for (method, status) in [(reqwest::Method::GET, 403), (reqwest::Method::DELETE, 403)] {
        let resp = app
            .client
            .request(method, app.api(&format!("alipayMerchants/{a}")))
            .bearer_auth(merchant(&b))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), status);
    }
    let resp = app
        .client
        .get(app.api(&format!("alipayMerchants/{a}")))
        .bearer_auth(admin())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let resp = app
        .client
        .get(app.api(&format!("alipayMerchants/{a}")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);
    let resp = app
        .client
        .put(app.api(&format!("alipayMerchants/{a}")))
        .bearer_auth(service())
        .json(&json!({"appAuthToken": "202611BBaaaaaaaaaaaa"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 403, "services do not manage merchants' tokens");
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
            .bearer_auth(merchant(&m))
            .json(&body)
            .send()
            .await
            .unwrap();
        let (s, b) = read(resp).await;
        assert_eq!((s, b["code"].as_u64()), (400, Some(4000)), "{body}: {b}");
    }
    let resp = app
        .client
        .delete(app.api(&format!("alipayMerchants/{m}")))
        .bearer_auth(merchant(&m))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 404, "nothing to delete");
}
