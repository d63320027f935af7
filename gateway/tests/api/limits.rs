use payserver_shared::testing;
use reqwest::Method;
use std::collections::HashSet;

use crate::helpers::{TestGateway, closed_port_url, merchant, read_envelope, spawn_echo, spawn_gateway_with};

/// The statuses of `n` GETs of `echoes` with `token`, one after the other.
async fn statuses_of_gets(gw: &TestGateway, token: &str, n: usize) -> Vec<u16> {
    let mut statuses = Vec::with_capacity(n);
    for _ in 0..n {
        statuses.push(
            testing::send(gw.request(Method::GET, "echoes", token))
                .await
                .status()
                .as_u16(),
        );
    }
    statuses
}

#[tokio::test]
async fn a_merchant_over_its_rate_gets_429_with_retry_after_and_others_are_unaffected() {
    let gw = spawn_gateway_with(|s| {
        s.gateway.rate_limit.per_merchant_per_second = 1;
        s.gateway.rate_limit.per_merchant_burst = 3;
    })
    .await;
    let statuses = statuses_of_gets(&gw, &merchant("busy"), 5).await;
    assert_eq!(&statuses[..3], [200, 200, 200], "the burst passes");
    assert_eq!(statuses[4], 429);
    let resp = testing::send(gw.request(Method::GET, "echoes", &merchant("busy"))).await;
    let retry_after: u64 = resp
        .headers()
        .get("retry-after")
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&retry_after), "{retry_after}");
    read_envelope(resp, 429, 4290).await;
    let resp = testing::send(gw.request(Method::GET, "echoes", &merchant("calm"))).await;
    assert_eq!(resp.status().as_u16(), 200, "another merchant has its own bucket");
}

#[tokio::test]
async fn a_client_ip_over_its_rate_gets_429_before_its_token_is_even_checked() {
    let gw = spawn_gateway_with(|s| {
        s.gateway.rate_limit.per_ip_per_second = 1;
        s.gateway.rate_limit.per_ip_burst = 2;
    })
    .await;
    let last = statuses_of_gets(&gw, "not-a-token", 4).await[3];
    assert_eq!(last, 429);
}

#[tokio::test]
async fn browsers_of_configured_origins_get_cors_headers_and_others_do_not() {
    let gw = spawn_gateway_with(|s| s.gateway.cors_origins = vec!["https://shop.example.com".into()]).await;
    let preflight = testing::send(
        gw.preflight("https://shop.example.com", "GET")
            .header("access-control-request-headers", "authorization"),
    )
    .await;
    assert!(preflight.status().is_success(), "{}", preflight.status());
    assert_eq!(
        preflight.headers().get("access-control-allow-origin").unwrap(),
        "https://shop.example.com"
    );
    let resp = testing::send(gw.merchant_get("echoes").header("origin", "https://shop.example.com")).await;
    assert_eq!(
        resp.headers().get("access-control-allow-origin").unwrap(),
        "https://shop.example.com"
    );
    let resp = testing::send(gw.merchant_get("echoes").header("origin", "https://evil.example.com")).await;
    assert!(resp.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn requests_are_spread_over_instances_and_a_dead_instance_is_skipped() {
    let (a, b) = (spawn_echo(), spawn_echo());
    let dead = closed_port_url();
    let gw = spawn_gateway_with(|s| {
        s.gateway
            .upstreams
            .insert("echo".into(), vec![a.clone(), dead.clone(), b.clone()]);
    })
    .await;
    let mut seen = HashSet::new();
    for _ in 0..9 {
        let resp = testing::send(gw.merchant_get("echoes")).await;
        assert_eq!(
            resp.status().as_u16(),
            200,
            "a dead instance never fails a request while another lives"
        );
        seen.insert(resp.headers().get("x-instance").unwrap().to_str().unwrap().to_string());
    }
    let ports: HashSet<String> = [&a, &b]
        .iter()
        .map(|u| u.rsplit(':').next().unwrap().to_string())
        .collect();
    assert_eq!(seen, ports, "both live instances served requests");
}
