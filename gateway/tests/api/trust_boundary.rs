//! API.md A.1 "Trust boundary": only the public route table is forwarded, exactly as checked,
//! and never with a service token. The echo upstream stands in for every service and records
//! what reaches it.

use payserver_shared::auth::Role;
use payserver_shared::testing;
use reqwest::Method;

use crate::helpers::{merchant, read_envelope, spawn_gateway};

#[tokio::test]
async fn dot_segments_encoded_separators_and_private_segments_get_404_and_never_reach_a_service() {
    let gw = spawn_gateway().await;
    let token = merchant("m1");
    for path in [
        // The audit's two findings.
        "pay/%2e%2e/%2e%2e/%2e%2e/internal/v1/refunds/confirm",
        "payOrders/%2e%2e/%2e%2e/%2e%2e/metrics",
        // Every spelling of a dot segment.
        "pay/../../../internal/v1/refunds/confirm",
        "payOrders/%2E%2E/%2E%2E/%2E%2E/metrics",
        "payOrders/.%2e/.%2E/%2e./readyz",
        "payOrders/./x",
        "payOrders/%2e/x",
        "payOrders/%2E",
        "payOrders/x/..",
        "payOrders/%252e%252e/%252e%252e/%252e%252e/metrics",
        // Separators inside a segment.
        "payOrders/x%2f..%2f..%2f..%2fmetrics",
        "payOrders/x%2F..%2F..%2F..%2Fmetrics",
        "payOrders/..\\..\\..\\metrics",
        "payOrders/x%5c..%5c..%5cmetrics",
        "payOrders/x%5C..%5C..%5Cmetrics",
        // Private segments, however spelled, wherever they stand.
        "payOrders/x/metrics",
        "payOrders/x/READYZ",
        "pay/x/internal",
        "pay/x/%69nternal/v1/refunds/confirm",
        "wechatMerchants/x/connector",
    ] {
        for method in ["GET", "POST"] {
            let target = format!("/payServer/api/v1.0.0/{path}");
            let resp = gw.raw(method, &target, &token, Some("{}")).await;
            assert_eq!(resp.status, 404, "{method} {target}: {resp:?}");
            resp.assert_envelope(404, 4040);
        }
    }
    // A dot segment before the prefix, and one that climbs out of it.
    gw.assert_raw_gets_not_found([
        "/payServer/%2e%2e/metrics",
        "/payServer/api/v1.0.0/%2e%2e/%2e%2e/%2e%2e/payServer/api/v1.0.0/payOrders",
    ])
    .await;
    assert_eq!(gw.seen(), Vec::<String>::new(), "nothing may reach a service");
}

#[tokio::test]
async fn refused_paths_get_404_even_without_a_token() {
    let gw = spawn_gateway().await;
    let resp = gw
        .raw(
            "POST",
            "/payServer/api/v1.0.0/pay/%2e%2e/%2e%2e/%2e%2e/internal/v1/refunds/confirm",
            "",
            Some("{}"),
        )
        .await;
    resp.assert_envelope(404, 4040);
    assert!(gw.seen().is_empty());
}

#[tokio::test]
async fn the_service_receives_exactly_the_path_the_gateway_checked() {
    let gw = spawn_gateway().await;
    let path = "/api/v1.0.0/payOrders/a%41b.c...d/%E4%B8%AD;x=1,y:z@!$&'()*+~_-/100%25";
    let resp = gw
        .raw(
            "GET",
            &format!("/payServer{path}?q=%2e%2e/x&r=1"),
            &merchant("m1"),
            None,
        )
        .await;
    assert_eq!(resp.status, 200, "{resp:?}");
    assert_eq!(resp.json()["path"], path);
    assert_eq!(gw.seen(), [format!("GET {path}?q=%2e%2e/x&r=1")]);
}

#[tokio::test]
async fn a_path_the_url_parser_would_rewrite_is_refused_instead_of_forwarded() {
    let gw = spawn_gateway().await;
    // actix accepts a raw `{`, `}` or `"` in a path; the URL parser would percent-encode it,
    // so the service would not get the path that was checked.
    gw.assert_raw_gets_not_found([
        "/payServer/api/v1.0.0/payOrders/{x}",
        "/payServer/api/v1.0.0/payOrders/\"x\"",
    ])
    .await;
    assert!(gw.seen().is_empty(), "{:?}", gw.seen());
}

#[tokio::test]
async fn only_known_collections_are_routed_and_the_fallback_reaches_nothing_private() {
    let gw = spawn_gateway().await;
    let paths = [
        // An unknown last segment falls back to the first, which must be known.
        "unknownThing/x/payOrders",
        "x/y/payOrders/z",
        // The fallback of a known first segment still cannot reach a private route.
        "pay/x/internal",
        "members/x/metrics",
        "signAccounters/x/readyz",
    ];
    gw.assert_raw_gets_not_found(paths.map(|path| format!("/payServer/api/v1.0.0/{path}")))
        .await;
    assert!(gw.seen().is_empty(), "{:?}", gw.seen());
    // What the fallback is for still works: an action under a known collection.
    let resp = testing::send(gw.request(Method::POST, "members/x/recharge", &merchant("m1"))).await;
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(gw.seen(), ["POST /api/v1.0.0/members/x/recharge"]);
}

#[tokio::test]
async fn a_service_token_is_refused_with_403_before_anything_is_forwarded() {
    let gw = spawn_gateway().await;
    for token in [
        testing::token(None, &[Role::Service]),
        testing::token(Some("m1"), &[Role::Merchant, Role::Service]),
        testing::token(None, &[Role::Admin, Role::Service]),
        // The internal and connector-call audiences, whatever roles they claim.
        testing::service_token(),
        testing::connector_call_token("wechat"),
    ] {
        for (method, path) in [(reqwest::Method::GET, "payOrders"), (reqwest::Method::POST, "pay")] {
            let resp = testing::send(gw.request(method, path, &token).json(&serde_json::json!({}))).await;
            read_envelope(resp, 403, 4030).await;
        }
    }
    assert!(gw.seen().is_empty(), "{:?}", gw.seen());
}
