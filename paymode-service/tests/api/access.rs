//! Who may use the merchant routes, and which ids they accept.

use payserver_shared::auth::Role;
use payserver_shared::testing;
use serde_json::json;

use crate::helpers::{merchant, spawn_app};

#[tokio::test]
async fn connector_and_role_less_tokens_are_refused_on_every_merchant_route() {
    let app = spawn_app().await;
    let (mode, one, template) = app.open_cash_mode().await;
    for token in [
        testing::connector_token("wechat"),
        testing::token(Some("m1"), &[Role::Connector]),
        testing::token(Some("m1"), &[]),
    ] {
        for path in [
            "payModes".to_string(),
            "listAllPayModes".to_string(),
            one.clone(),
            format!("payModeTemplates/{template}/payModes"),
        ] {
            app.get_refused(&path, &token, 403, 4030).await;
        }
        app.put_and_delete_refused(&one, &token, &json!({"isOpened": 0}), 403, 4030)
            .await;
        app.open_refused(&json!({"name": "x", "merchantUUID": "m1"}), &token, 403, 4030)
            .await;
    }
    app.assert_unchanged(&one, &mode).await;
    assert_eq!(app.mode_count().await, 1);
}

#[tokio::test]
async fn an_id_with_an_encoded_slash_backslash_or_dots_is_unknown() {
    let app = spawn_app().await;
    let token = merchant("m1");
    // (Dot segments never get here: HTTP clients, reqwest included, remove them first.)
    for id in ["a%2Fb", "a%5Cb", "..%2F..%2Finternal%2Fv1%2FpayModes%2Fx"] {
        let path = format!("payModes/{id}");
        app.get_refused(&path, &token, 404, 4040).await;
        app.put_and_delete_refused(&path, &token, &json!({"name": "x"}), 404, 4040)
            .await;
        app.get_refused(&format!("payModeTemplates/{id}/payModes"), &token, 404, 4040)
            .await;
    }
}
