use payserver_shared::testing;
use reqwest::Method;
use serde_json::json;

use crate::helpers::{CASH, admin, assert_envelope, closed_port_url, merchant, spawn_app, test_template};

#[tokio::test]
async fn check_env_is_called_with_the_merchant_and_template_before_opening() {
    let app = spawn_app().await;
    app.register_checked_template("TEST-OK").await;
    let mode = app
        .opened(&json!({"payTemplateId": "TEST-OK", "uiOrder": 4}), &merchant("m1"))
        .await;
    assert_eq!(
        (mode["payTemplateId"].as_str(), mode["uiOrder"].as_i64()),
        (Some("TEST-OK"), Some(4))
    );
    assert_eq!(
        (
            mode["isAsyncNotify"].as_i64(),
            mode["orderValidTime"].as_i64(),
            mode["payWay"].as_str()
        ),
        (Some(1), Some(2), Some("扫码枪"))
    );
    assert_eq!(mode["checkEnvUrl"], format!("{}/ok", app.check_env));
    let calls = app.check_env_calls.lock().unwrap().clone();
    assert_eq!(calls, [json!({"merchantUUID": "m1", "payTemplateId": "TEST-OK"})]);
}

#[tokio::test]
async fn a_refusing_slow_broken_or_unreachable_check_env_answers_9001_and_creates_nothing() {
    let app = spawn_app().await;
    let cases = [
        ("TEST-REFUSE", format!("{}/refuse", app.check_env), r#""ret":false"#),
        ("TEST-SLOW", format!("{}/slow", app.check_env), "timed out"),
        ("TEST-BROKEN", format!("{}/broken", app.check_env), "HTTP 500"),
        ("TEST-DEAD", format!("{}/checkEnv", closed_port_url()), "unreachable"),
    ];
    for (id, url, why) in &cases {
        app.register_template(&test_template(id, Some(url.clone()))).await;
        let body = app
            .open_refused(&json!({"payTemplateId": id}), &merchant("m1"), 500, 9001)
            .await;
        let message = body["message"].as_str().unwrap();
        assert!(
            message.contains(&format!("check env failed payTemplateId:{id}")),
            "{message}"
        );
        assert!(message.contains(why), "{message}");
        assert!(!message.contains("127.0.0.1"), "no internal hostnames: {message}");
    }
    assert_eq!(app.mode_count().await, 0);
}

#[tokio::test]
async fn opening_the_same_template_twice_for_one_merchant_is_409() {
    let app = spawn_app().await;
    app.open_template(CASH, &merchant("m1")).await;
    app.open_refused(
        &json!({"payTemplateId": CASH, "name": "again"}),
        &merchant("m1"),
        409,
        4090,
    )
    .await;
    app.open_template(CASH, &merchant("m2")).await;
    assert_eq!(app.mode_count().await, 2);
}

#[tokio::test]
async fn a_repeated_opening_does_not_call_check_env_again() {
    let app = spawn_app().await;
    app.open_checked_template("TEST-ONCE").await;
    app.open_refused(&json!({"payTemplateId": "TEST-ONCE"}), &merchant("m1"), 409, 4090)
        .await;
    assert_eq!(app.check_env_calls.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn concurrent_openings_of_one_template_create_exactly_one_mode() {
    let app = spawn_app().await;
    let token = merchant("m1");
    let bodies = (0..8).map(|i| json!({"payTemplateId": CASH, "uiOrder": i})).collect();
    let answers = testing::race(&app, Method::POST, "payModes", &token, bodies).await;
    let statuses: Vec<u16> = answers.iter().map(|(status, _)| *status).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 7, "{statuses:?}");
    assert_eq!(app.mode_count().await, 1);
}

#[tokio::test]
async fn a_disabled_template_cannot_be_opened() {
    let app = spawn_app().await;
    let mut template = test_template("TEST-OFF", Some(format!("{}/ok", app.check_env)));
    template["status"] = json!("disabled");
    app.register_template(&template).await;
    app.open_refused(&json!({"payTemplateId": "TEST-OFF"}), &merchant("m1"), 500, 9003)
        .await;
    assert!(
        app.check_env_calls.lock().unwrap().is_empty(),
        "no check for an unusable template"
    );
    assert_eq!(app.mode_count().await, 0);
}

#[tokio::test]
async fn an_online_template_without_pay_url_cannot_be_opened() {
    let app = spawn_app().await;
    let mut template = test_template("TEST-NOPAY", None);
    template["payUrl"] = json!("");
    app.register_template(&template).await;
    let (status, body) = app.open(&json!({"payTemplateId": "TEST-NOPAY"}), &admin()).await;
    // An admin naming no merchant is refused before the template is even looked up.
    assert_envelope(status, &body, 403, 4030);
    app.open_refused(&json!({"payTemplateId": "TEST-NOPAY"}), &merchant("m1"), 500, 9003)
        .await;
}

#[tokio::test]
async fn an_unknown_template_is_404() {
    let app = spawn_app().await;
    app.open_refused(
        &json!({"payTemplateId": "NO-SUCH-TEMPLATE"}),
        &merchant("m1"),
        404,
        4040,
    )
    .await;
    assert_eq!(app.mode_count().await, 0);
}
