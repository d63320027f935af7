//! What the gateway answers by itself: every error answer with the envelope (API.md A.1
//! "Errors"), slow and oversized requests included.

use std::time::Duration;

use gateway::edge::{MAX_HEADER_BYTES, MAX_URI_BYTES};
use payserver_shared::testing;
use tokio::io::AsyncWriteExt;

use crate::helpers::{
    assert_envelope, merchant, read_envelope, read_raw, spawn_gateway, spawn_gateway_with,
    spawn_gateway_with_client_timeout,
};

#[tokio::test]
async fn a_chunked_body_over_the_limit_gets_the_413_envelope() {
    let gw = spawn_gateway_with(|s| s.http.body_limit = 1024 * 1024).await;
    let host = gw.address.trim_start_matches("http://");
    let mut stream = gw.connect().await;
    let head = format!(
        "POST /payServer/api/v1.0.0/echoes HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        merchant("m1")
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    // The audit's case: 2 MB in 64 KiB chunks, no Content-Length, over the default 1 MiB. The
    // gateway may answer and close before the end: a failed write is expected then.
    let (mut rd, mut wr) = stream.into_split();
    let writer = tokio::spawn(async move {
        let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, "x".repeat(64 * 1024));
        for _ in 0..32 {
            if wr.write_all(chunk.as_bytes()).await.is_err() {
                return;
            }
        }
        let _ = wr.write_all(b"0\r\n\r\n").await;
    });
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(
        Duration::from_secs(10),
        tokio::io::AsyncReadExt::read_to_end(&mut rd, &mut buf),
    )
    .await;
    writer.abort();
    let text = String::from_utf8_lossy(&buf);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no answer: {text:?}"));
    assert!(head.starts_with("HTTP/1.1 413"), "{head} {body}");
    let body: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|_| panic!("{body:?}"));
    assert_envelope(413, &body, 413, 4130);
    assert!(gw.seen().is_empty(), "{:?}", gw.seen());
}

#[tokio::test]
async fn a_body_that_is_not_sent_in_time_gets_the_408_envelope() {
    let gw = spawn_gateway_with_client_timeout(Duration::from_millis(500)).await;
    let host = gw.address.trim_start_matches("http://");
    let mut stream = gw.connect().await;
    let head = format!(
        "POST /payServer/api/v1.0.0/echoes HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{{\"a\":",
        merchant("m1")
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let resp = read_raw(&mut stream).await;
    resp.assert_envelope(408, 4080);
    assert!(resp.header("x-request-id").is_some(), "{resp:?}");
    assert!(gw.seen().is_empty(), "{:?}", gw.seen());
}

#[tokio::test]
async fn a_client_slower_than_actix_default_five_seconds_to_send_its_head_is_still_served() {
    let gw = spawn_gateway().await;
    let host = gw.address.trim_start_matches("http://");
    let mut stream = gw.connect().await;
    stream.write_all(b"GET /healthz HTTP/1.1\r\n").await.unwrap();
    tokio::time::sleep(Duration::from_secs(6)).await;
    stream
        .write_all(format!("Host: {host}\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let resp = read_raw(&mut stream).await;
    assert_eq!(resp.status, 200, "{resp:?}");
}

#[tokio::test]
async fn a_refused_cors_preflight_gets_the_envelope() {
    let gw = spawn_gateway_with(|s| s.gateway.cors_origins = vec!["https://shop.example.com".into()]).await;
    for (origin, method) in [
        ("https://evil.example.com", "GET"),
        ("https://shop.example.com", "PATCH"),
    ] {
        let resp = testing::send(gw.preflight(origin, method)).await;
        assert!(resp.headers().contains_key("x-request-id"));
        assert!(!resp.headers().contains_key("access-control-allow-origin"));
        read_envelope(resp, 400, 4000).await;
    }
}

#[tokio::test]
async fn an_overlong_url_gets_the_414_envelope() {
    let gw = spawn_gateway().await;
    for url in [
        gw.api(&format!("echoes?pad={}", "x".repeat(MAX_URI_BYTES))),
        gw.api(&format!("echoes/{}", "x".repeat(MAX_URI_BYTES))),
        // Well past the limit, still within what actix parses (65,534 bytes).
        gw.api(&format!("echoes?pad={}", "x".repeat(60_000))),
    ] {
        let resp = gw.http.get(url).bearer_auth(merchant("m1")).send().await.unwrap();
        assert!(resp.headers().contains_key("x-request-id"));
        read_envelope(resp, 414, 4140).await;
    }
    let resp = testing::send(gw.merchant_get(&format!("echoes?pad={}", "x".repeat(MAX_URI_BYTES - 200)))).await;
    assert_eq!(resp.status().as_u16(), 200, "a URL within the limit passes");
    assert_eq!(gw.seen().len(), 1);
}

#[tokio::test]
async fn oversized_headers_get_the_431_envelope() {
    let gw = spawn_gateway().await;
    let resp = testing::send(gw.merchant_get("echoes").header("x-pad", "x".repeat(MAX_HEADER_BYTES))).await;
    read_envelope(resp, 431, 4310).await;
    let resp = testing::send(
        gw.merchant_get("echoes")
            .header("x-pad", "x".repeat(MAX_HEADER_BYTES / 2)),
    )
    .await;
    assert_eq!(resp.status().as_u16(), 200, "headers within the limit pass");
    assert_eq!(gw.seen().len(), 1);
}

#[tokio::test]
async fn a_bare_error_from_an_upstream_is_relayed_with_the_envelope() {
    let gw = spawn_gateway().await;
    let resp = testing::send(gw.merchant_get("echoes/html-error")).await;
    assert_eq!(
        resp.headers().get("x-upstream").unwrap(),
        "echo",
        "other headers are kept"
    );
    let body = read_envelope(resp, 502, 5020).await;
    assert!(!body.to_string().contains("upstream.internal"), "{body}");
}
