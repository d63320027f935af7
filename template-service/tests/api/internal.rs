//! The template reads other services make on `/internal/v1`, and who may read templates.

use payserver_shared::auth::Role;
use payserver_shared::testing;

use crate::helpers::{admin, assert_envelope, merchant, service, spawn_app};

const MEMBER_CARD: &str = "irAl37TewwGEchYrXUWsfA";

#[tokio::test]
async fn services_read_the_list_and_one_template_on_the_internal_routes_as_merchants_do_publicly() {
    let app = spawn_app().await;
    let query = "payModeTemplates?status=enabled&orderBy=id%20desc&limit=3";
    let (status, internal) = app.internal.get(query, &service()).await;
    assert_eq!(status, 200, "{internal}");
    let (_, public) = app.get(query, &merchant("m1")).await;
    assert_eq!(internal["size"], public["size"]);
    assert_eq!(internal["items"], public["items"], "the same items, filters and order");
    assert_eq!(
        (internal["limit"].as_i64(), internal["items"].as_array().map(Vec::len)),
        (Some(3), Some(3))
    );

    let (status, one) = app
        .internal
        .get(&format!("payModeTemplates/{MEMBER_CARD}"), &service())
        .await;
    assert_eq!((status, one["name"].as_str()), (200, Some("会员储值")), "{one}");
    let (_, public_one) = app
        .get(&format!("payModeTemplates/{MEMBER_CARD}"), &merchant("m1"))
        .await;
    assert_eq!(one, public_one);

    let (status, body) = app
        .internal
        .get("payModeTemplates/AAAAAAAAAAAAAAAAAAAAAA", &service())
        .await;
    assert_envelope(status, &body, 404, 4040);
}

#[tokio::test]
async fn merchant_and_admin_tokens_are_refused_on_the_internal_routes() {
    let app = spawn_app().await;
    for token in [merchant("m1"), admin()] {
        for path in ["payModeTemplates", &format!("payModeTemplates/{MEMBER_CARD}")] {
            app.internal.get_refused(path, &token, 403, 4030).await;
        }
    }
}

#[tokio::test]
async fn the_service_token_is_refused_on_the_public_routes() {
    let app = spawn_app().await;
    for path in ["payModeTemplates", &format!("payModeTemplates/{MEMBER_CARD}")] {
        app.get_refused(path, &service(), 403, 4030).await;
    }
}

#[tokio::test]
async fn reading_templates_needs_the_merchant_or_admin_role() {
    let app = spawn_app().await;
    for token in [
        testing::connector_token("wechat"),
        testing::token(Some("m1"), &[Role::Connector]),
        testing::token(Some("m1"), &[]),
    ] {
        for path in ["payModeTemplates", &format!("payModeTemplates/{MEMBER_CARD}")] {
            app.get_refused(path, &token, 403, 4030).await;
        }
    }
    let (status, _) = app.get("payModeTemplates", &admin()).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_template_id_with_an_encoded_slash_or_dots_is_unknown() {
    let app = spawn_app().await;
    for id in ["a%2Fb", "a%5Cb", "..%2F..%2Finternal", "irAl37TewwGEchYrXUWsfA%2F"] {
        app.get_refused(&format!("payModeTemplates/{id}"), &merchant("m1"), 404, 4040)
            .await;
        app.internal
            .get_refused(&format!("payModeTemplates/{id}"), &service(), 404, 4040)
            .await;
    }
}
