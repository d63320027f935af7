//! Who may use the merchant routes, and which ids they accept.

use payserver_shared::auth::Role;
use payserver_shared::testing;
use serde_json::json;

use crate::helpers::{CASH, assert_envelope, merchant, spawn_app};

#[tokio::test]
async fn connector_and_role_less_tokens_are_refused_on_every_merchant_route() {
    let app = spawn_app().await;
    let mode = app.opened(&json!({"payTemplateId": CASH}), &merchant("m1")).await;
    let one = format!("payModes/{}", mode["uuid"].as_str().unwrap());
    let template = app.template_uuid(CASH).await;
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
            let (status, body) = app.get(&path, &token).await;
            assert_envelope(status, &body, 403, 4030);
        }
        let (status, body) = app.put(&one, &token, &json!({"isOpened": 0})).await;
        assert_envelope(status, &body, 403, 4030);
        let (status, body) = app.delete_answer(&one, &token).await;
        assert_envelope(status, &body.unwrap(), 403, 4030);
        let (status, body) = app.open(&json!({"name": "x", "merchantUUID": "m1"}), &token).await;
        assert_envelope(status, &body, 403, 4030);
    }
    let (_, after) = app.get(&one, &merchant("m1")).await;
    assert_eq!(after, mode, "nothing changed");
    assert_eq!(app.mode_count().await, 1);
}

#[tokio::test]
async fn an_id_with_an_encoded_slash_backslash_or_dots_is_unknown() {
    let app = spawn_app().await;
    let token = merchant("m1");
    // (Dot segments never get here: HTTP clients, reqwest included, remove them first.)
    for id in ["a%2Fb", "a%5Cb", "..%2F..%2Finternal%2Fv1%2FpayModes%2Fx"] {
        let path = format!("payModes/{id}");
        let (status, body) = app.get(&path, &token).await;
        assert_envelope(status, &body, 404, 4040);
        let (status, body) = app.put(&path, &token, &json!({"name": "x"})).await;
        assert_envelope(status, &body, 404, 4040);
        let (status, body) = app.delete_answer(&path, &token).await;
        assert_envelope(status, &body.unwrap(), 404, 4040);
        let (status, body) = app.get(&format!("payModeTemplates/{id}/payModes"), &token).await;
        assert_envelope(status, &body, 404, 4040);
    }
}
