use payserver_shared::auth::{Role, claims_for, mint_hs256};
use payserver_shared::testing;
use reqwest::Method;
use serde_json::json;

use crate::helpers::{admin, assert_envelope, merchant, read, read_envelope, spawn_gateway};

#[tokio::test]
async fn templates_are_served_through_the_prefix_with_gateway_hrefs() {
    let gw = spawn_gateway().await;
    let resp = testing::send(gw.request(Method::GET, "payModeTemplates?limit=2", &merchant("m1"))).await;
    assert!(resp.headers().contains_key("x-request-id"));
    let (status, body) = read(resp).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["size"], 7);
    let host = gw.address.trim_start_matches("http://");
    assert_eq!(
        body["href"],
        format!("http://{host}/payServer/api/v1.0.0/payModeTemplates?limit=2")
    );
    let first = body["items"][0]["href"].as_str().unwrap();
    assert!(
        first.starts_with(&format!("http://{host}/payServer/api/v1.0.0/payModeTemplates/")),
        "{first}"
    );

    let (status, body) = gw
        .root()
        .get(
            "payServer/api/v1/payModeTemplates/irAl37TewwGEchYrXUWsfA",
            &merchant("m1"),
        )
        .await;
    assert_eq!((status, body["name"].as_str()), (200, Some("会员储值")));
}

#[tokio::test]
async fn bad_tokens_are_refused_before_anything_is_forwarded() {
    let gw = spawn_gateway().await;
    let settings = testing::settings();
    let expired = mint_hs256(
        &testing::TEST_SECRET.into(),
        &claims_for("u", Some("m1"), &[Role::Merchant], -3600, &settings),
    )
    .unwrap();
    let foreign = mint_hs256(
        &"some-other-secret-some-other-secret".into(),
        &claims_for("u", Some("m1"), &[Role::Admin], 3600, &settings),
    )
    .unwrap();
    let none = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ4IiwiZXhwIjo5OTk5OTk5OTk5LCJyb2xlcyI6WyJhZG1pbiJdfQ.";
    for token in [
        None,
        Some(expired.as_str()),
        Some(foreign.as_str()),
        Some(none),
        Some("not-a-jwt"),
    ] {
        let mut rb = gw.http.post(gw.api("echoes")).json(&json!({"x": 1}));
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        read_envelope(rb.send().await.unwrap(), 401, 4010).await;
    }
}

#[tokio::test]
async fn a_merchant_token_cannot_register_templates_through_the_gateway() {
    let gw = spawn_gateway().await;
    let body = json!({"payTemplateId": "GW-1", "name": "x"});
    let (status, err) = gw.post("registerPayModeTemplate", &merchant("m1"), &body).await;
    assert_envelope(status, &err, 403, 4030);
    let (status, _) = gw
        .text(Method::POST, "registerPayModeTemplate", &admin(), Some(&body))
        .await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn malformed_bodies_get_the_400_envelope_through_the_gateway() {
    let gw = spawn_gateway().await;
    let (status, body) = gw
        .call_raw(Method::POST, "registerPayModeTemplate", &admin(), "{not json")
        .await;
    assert_envelope(status, &body, 400, 4000);
}

#[tokio::test]
async fn forwarded_requests_carry_request_id_and_forwarded_headers_but_no_hop_by_hop_headers() {
    let gw = spawn_gateway().await;
    let resp = testing::send(
        gw.request(Method::POST, "echoes/abc?x=1&y=%E4%B8%AD", &merchant("m1"))
            .header("x-request-id", "pos-7.a")
            .header("x-forwarded-host", "evil.example.com")
            .header("connection", "x-client-hop")
            .header("x-client-hop", "must not pass")
            .header("x-custom", "passes")
            .json(&json!({"hello": "世界"})),
    )
    .await;
    assert_eq!(resp.headers().get("x-request-id").unwrap(), "pos-7.a");
    assert_eq!(resp.headers().get("x-upstream").unwrap(), "echo");
    assert!(
        !resp.headers().contains_key("proxy-authenticate"),
        "upstream hop-by-hop header leaked"
    );
    let (status, echo) = read(resp).await;
    assert_eq!(status, 200, "{echo}");
    assert_eq!(echo["method"], "POST");
    assert_eq!(echo["path"], "/api/v1.0.0/echoes/abc");
    assert_eq!(echo["query"], "x=1&y=%E4%B8%AD");
    assert_eq!(echo["body"], r#"{"hello":"世界"}"#);
    let h = &echo["headers"];
    assert_eq!(h["x-request-id"], "pos-7.a");
    assert_eq!(
        h["x-forwarded-host"],
        gw.address.trim_start_matches("http://"),
        "client's X-Forwarded-Host must not be trusted"
    );
    assert_eq!(h["x-forwarded-proto"], "http");
    assert_eq!(h["x-forwarded-prefix"], "/payServer");
    assert_eq!(h["x-custom"], "passes");
    assert!(h["authorization"].as_str().unwrap().starts_with("Bearer "));
    assert!(h.get("x-client-hop").is_none(), "client hop-by-hop header leaked");
}

#[tokio::test]
async fn a_request_id_is_created_when_the_client_sends_none_or_a_bad_one() {
    let gw = spawn_gateway().await;
    let resp = testing::send(gw.merchant_get("echoes").header("x-request-id", "bad id with spaces")).await;
    let id = resp
        .headers()
        .get("x-request-id")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let (_, echo) = read(resp).await;
    assert_ne!(id, "bad id with spaces");
    assert_eq!(echo["headers"]["x-request-id"], id.as_str());
}

#[tokio::test]
async fn bodies_over_the_limit_get_413() {
    let gw = spawn_gateway().await;
    let big = json!({"pad": "x".repeat(5000)});
    let (status, body) = gw.post("echoes", &merchant("m1"), &big).await;
    assert_envelope(status, &body, 413, 4130);
}

#[tokio::test]
async fn upstream_timeouts_and_dead_upstreams_get_envelopes() {
    let gw = spawn_gateway().await;
    let (status, body) = gw.get("slow", &merchant("m1")).await;
    assert_envelope(status, &body, 504, 5040);
    let (status, body) = gw.get("deadThings", &merchant("m1")).await;
    assert_envelope(status, &body, 503, 5030);
    assert!(
        !body["message"].as_str().unwrap().contains("127.0.0.1"),
        "no internal hostnames: {body}"
    );
    let (status, body) = gw.get("orphans", &merchant("m1")).await;
    assert_envelope(status, &body, 503, 5030);
}

#[tokio::test]
async fn unknown_routes_are_404_and_health_needs_no_token() {
    let gw = spawn_gateway().await;
    for path in [
        "/payServer/api/v1.0.0/nothingHere",
        "/payServer/api/v9/payModeTemplates",
        "/elsewhere",
    ] {
        let (status, body) = gw.root().get(path, &merchant("m1")).await;
        assert_envelope(status, &body, 404, 4040);
    }
    let resp = gw.http.get(format!("{}/healthz", gw.address)).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let resp = gw.http.get(format!("{}/readyz", gw.address)).send().await.unwrap();
    let body = read_envelope(resp, 503, 5030).await;
    assert!(body["message"].as_str().unwrap().contains("dead"), "{body}");
}
