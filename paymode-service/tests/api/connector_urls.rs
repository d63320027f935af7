//! Where a pay mode's connector URLs (`payUrl, refundUrl, queryUrl, checkEnvUrl`) may point,
//! and which credential a checkEnvUrl receives.

use payserver_shared::auth::{JwtVerifier, Scope};
use payserver_shared::testing;
use serde_json::{Value, json};

use crate::helpers::{
    SIGN_ACCOUNT, TestApp, allow_only, assert_envelope, merchant, mode_path, spawn_app, spawn_app_with,
};

const URL_FIELDS: [&str; 4] = ["payUrl", "refundUrl", "queryUrl", "checkEnvUrl"];

fn message(body: &Value) -> &str {
    body["message"].as_str().unwrap_or_default()
}

/// A PUT of `body` on the mode at `path` that must be refused as a bad request; the envelope.
async fn put_refused(app: &TestApp, path: &str, token: &str, body: &Value) -> Value {
    let (status, answer) = app.put(path, token, body).await;
    assert_envelope(status, &answer, 400, 4000);
    answer
}

#[tokio::test]
async fn a_mode_opened_from_a_template_cannot_change_its_connector_urls_on_put() {
    let app = spawn_app().await;
    let token = merchant("m1");
    let (mode, path) = app.open_template_at(SIGN_ACCOUNT, &token).await;
    for field in URL_FIELDS {
        for value in [
            json!("http://169.254.169.254/latest/meta-data/"),
            json!("http://127.0.0.1:9/x"),
            Value::Null,
        ] {
            if value.is_null() && mode[field].is_null() {
                continue;
            }
            let body = put_refused(&app, &path, &token, &json!({ field: value, "name": "renamed" })).await;
            assert!(message(&body).contains(field), "{body}");
        }
    }
    app.assert_unchanged(&path, &mode).await;

    // Writing back what was read is no change.
    let (status, body) = app
        .put(
            &path,
            &token,
            &json!({"payUrl": mode["payUrl"], "queryUrl": mode["queryUrl"], "uiOrder": 4}),
        )
        .await;
    assert_eq!((status, body["uiOrder"].as_i64()), (200, Some(4)), "{body}");
    assert_eq!(body["payUrl"], mode["payUrl"]);
}

#[tokio::test]
async fn opening_a_template_with_its_own_connector_urls_is_400_and_creates_nothing() {
    let app = spawn_app().await;
    app.register_checked_template("TEST-URLS").await;
    for field in URL_FIELDS {
        let body = json!({"payTemplateId": "TEST-URLS", field: "http://169.254.169.254/"});
        let answer = app.open_refused(&body, &merchant("m1"), 400, 4000).await;
        assert!(message(&answer).contains(field), "{answer}");
    }
    assert_eq!(app.mode_count().await, 0);
    assert!(
        app.check_env_calls.lock().unwrap().is_empty(),
        "refused before any call"
    );
}

#[tokio::test]
async fn a_custom_mode_pointing_outside_the_allowed_prefixes_is_400_naming_the_field() {
    let app = spawn_app_with(|s, _| allow_only(s, &["http://127.0.0.1:6203/"])).await;
    let token = merchant("m1");
    for field in URL_FIELDS {
        for url in [
            "http://169.254.169.254/latest/meta-data/",
            "https://evil.example.com/pay",
            "http://127.0.0.1:62030/pay",
            "http://127.0.0.1:6204/pay",
        ] {
            let body =
                json!({"name": "自有", "isOnline": 1, "payUrl": "http://127.0.0.1:6203/connector/pay", field: url});
            let answer = app.open_refused(&body, &token, 400, 4000).await;
            assert!(message(&answer).starts_with(field), "{answer}");
            assert!(
                !message(&answer).contains("6203"),
                "the prefixes are not shown: {answer}"
            );
        }
    }
    assert_eq!(app.mode_count().await, 0);

    let mode = app
        .opened(
            &json!({"name": "自有", "isOnline": 1, "payUrl": "http://127.0.0.1:6203/connector/pay",
                    "queryUrl": "http://127.0.0.1:6203/connector/query"}),
            &token,
        )
        .await;
    let path = mode_path(&mode);
    for field in URL_FIELDS {
        let body = put_refused(&app, &path, &token, &json!({ field: "http://169.254.169.254/" })).await;
        assert!(message(&body).starts_with(field), "{body}");
    }
    app.assert_unchanged(&path, &mode).await;
    let (status, body) = app
        .put(
            &path,
            &token,
            &json!({"refundUrl": "http://127.0.0.1:6203/connector/refund"}),
        )
        .await;
    assert_eq!(
        (status, body["refundUrl"].as_str()),
        (200, Some("http://127.0.0.1:6203/connector/refund"))
    );
}

#[tokio::test]
async fn urls_with_userinfo_or_another_scheme_are_refused_even_under_an_allowed_prefix() {
    // Test settings allow `http://127.0.0.1:` (any loopback port).
    let app = spawn_app().await;
    for url in [
        "http://127.0.0.1:80@169.254.169.254/latest/meta-data/",
        "http://user:secret@127.0.0.1:9/pay",
        "ftp://127.0.0.1:9/pay",
        "file:///etc/passwd",
    ] {
        let body = app
            .open_refused(
                &json!({"name": "x", "isOnline": 1, "payUrl": url}),
                &merchant("m1"),
                400,
                4000,
            )
            .await;
        assert!(message(&body).starts_with("payUrl"), "{body}");
    }
    assert_eq!(app.mode_count().await, 0);
}

#[tokio::test]
async fn by_default_only_this_projects_own_connectors_are_allowed() {
    let app = spawn_app_with(|s, _| {
        s.connectors.remove("allowed_url_prefixes");
    })
    .await;
    let token = merchant("m1");
    let wechat = "http://127.0.0.1:6203/connector/pay";
    let (status, body) = app
        .open(&json!({"name": "own wechat", "isOnline": 1, "payUrl": wechat}), &token)
        .await;
    assert_eq!(status, 201, "{body}");
    app.open_refused(
        &json!({"name": "elsewhere", "isOnline": 1, "payUrl": "http://127.0.0.1:9/pay"}),
        &token,
        400,
        4000,
    )
    .await;
}

#[tokio::test]
async fn a_check_env_url_that_is_no_registered_connector_gets_no_credential() {
    let app = spawn_app().await;
    app.open_checked_template("TEST-ANON").await;
    assert_eq!(*app.check_env_auth.lock().unwrap(), [None]);
}

#[tokio::test]
async fn a_registered_connectors_check_env_url_gets_only_that_connectors_call_token() {
    let app = spawn_app_with(|s, check_env| {
        s.auth
            .partner_connectors
            .insert("scripted".into(), check_env.to_string());
    })
    .await;
    app.open_checked_template("TEST-PARTNER").await;
    let auth = app.check_env_auth.lock().unwrap().clone();
    let [Some(header)] = auth.as_slice() else {
        panic!("one call with a credential expected: {auth:?}")
    };
    let caller = JwtVerifier::from_settings(&testing::settings())
        .unwrap()
        .verify_header(Some(header))
        .unwrap();
    assert_eq!(
        caller.scope,
        Scope::ConnectorCall("scripted".into()),
        "never the internal token"
    );
}
