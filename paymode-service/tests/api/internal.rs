//! The internal read payorder-service makes on every pay: `/internal/v1/payModes/{uuid}`.

use serde_json::{Value, json};

use crate::helpers::{CASH, admin, assert_envelope, merchant, read, service, spawn_app, test_template};

#[tokio::test]
async fn the_internal_read_takes_only_the_internal_service_token() {
    let app = spawn_app().await;
    let (mode, path) = app.open_template_at(CASH, &merchant("m1")).await;

    for token in [merchant("m1"), admin()] {
        app.internal.get_refused(&path, &token, 403, 4030).await;
    }
    let url = format!("{}/internal/v1/{path}", app.address);
    let (status, body) = read(app.http.get(&url).send().await.unwrap()).await;
    assert_envelope(status, &body, 401, 4010);

    let (status, mut body) = app.internal.get(&path, &service()).await;
    assert_eq!(status, 200, "{body}");
    let obj = body.as_object_mut().unwrap();
    assert_eq!(
        (obj.remove("templateStatus"), obj.remove("usable")),
        (Some(json!("enabled")), Some(json!(true)))
    );
    assert_eq!(body, mode, "otherwise the same JSON as the public read");

    app.internal
        .get_refused("payModes/AAAAAAAAAAAAAAAAAAAAAA", &service(), 404, 4040)
        .await;
    app.internal.get_refused("payModes/a%2Fb", &service(), 404, 4040).await;
}

#[tokio::test]
async fn the_service_token_is_refused_on_every_public_route() {
    let app = spawn_app().await;
    let (mode, one, template) = app.open_cash_mode().await;
    for path in [
        "payModes".to_string(),
        "listAllPayModes?merchantUUID=m1".to_string(),
        one.clone(),
        format!("payModeTemplates/{template}/payModes"),
    ] {
        app.get_refused(&path, &service(), 403, 4030).await;
    }
    app.put_and_delete_refused(&one, &service(), &json!({"isOpened": 0}), 403, 4030)
        .await;
    app.open_refused(&json!({"name": "x", "merchantUUID": "m1"}), &service(), 403, 4030)
        .await;
    app.assert_unchanged(&one, &mode).await;
    assert_eq!(app.mode_count().await, 1);
}

/// `(isOpened, templateStatus, usable)` of the internal answer.
async fn usability(app: &crate::helpers::TestApp, uuid: &str) -> (i64, Value, bool) {
    let (status, body) = app.internal.get(&format!("payModes/{uuid}"), &service()).await;
    assert_eq!(status, 200, "{body}");
    (
        body["isOpened"].as_i64().unwrap(),
        body["templateStatus"].clone(),
        body["usable"].as_bool().unwrap(),
    )
}

#[tokio::test]
async fn closing_a_mode_makes_the_next_internal_read_unusable() {
    let app = spawn_app().await;
    let token = merchant("m1");
    let mode = app.open_template(CASH, &token).await;
    let uuid = mode["uuid"].as_str().unwrap();
    assert_eq!(usability(&app, uuid).await, (1, json!("enabled"), true));

    let (status, _) = app
        .put(&format!("payModes/{uuid}"), &token, &json!({"isOpened": 0}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(usability(&app, uuid).await, (0, json!("enabled"), false));

    app.put(&format!("payModes/{uuid}"), &token, &json!({"isOpened": 1}))
        .await;
    assert_eq!(usability(&app, uuid).await, (1, json!("enabled"), true));
}

#[tokio::test]
async fn disabling_a_template_makes_the_next_internal_read_of_its_modes_unusable() {
    let app = spawn_app().await;
    app.register_template(&test_template("TEST-LIVE", None)).await;
    let mode = app.open_template("TEST-LIVE", &merchant("m1")).await;
    let uuid = mode["uuid"].as_str().unwrap();
    // A display read fills paymode-service's template cache; the internal read must not use it.
    let (status, _) = app
        .get(&format!("payModes/{uuid}?expand=payModeTemplate"), &merchant("m1"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(usability(&app, uuid).await, (1, json!("enabled"), true));

    app.register_template(&json!({"payTemplateId": "TEST-LIVE", "status": "disabled"}))
        .await;
    assert_eq!(usability(&app, uuid).await, (1, json!("disabled"), false));

    app.register_template(&json!({"payTemplateId": "TEST-LIVE", "status": "enabled"}))
        .await;
    assert_eq!(usability(&app, uuid).await, (1, json!("enabled"), true));
}

#[tokio::test]
async fn a_custom_mode_has_no_template_status_and_is_usable_while_opened() {
    let app = spawn_app().await;
    let mode = app.opened(&json!({"name": "代金券"}), &merchant("m1")).await;
    let uuid = mode["uuid"].as_str().unwrap();
    assert_eq!(usability(&app, uuid).await, (1, Value::Null, true));
}

#[tokio::test]
async fn a_disabled_template_refuses_opening_at_once_although_it_was_cached() {
    let app = spawn_app().await;
    app.register_template(&test_template("TEST-FLIP", None)).await;
    app.open_template("TEST-FLIP", &merchant("m1")).await;
    // m1's expand read caches the template as enabled.
    let (status, _) = app.get("payModes?expand=payModeTemplate", &merchant("m1")).await;
    assert_eq!(status, 200);
    app.register_template(&json!({"payTemplateId": "TEST-FLIP", "status": "disabled"}))
        .await;
    app.open_refused(&json!({"payTemplateId": "TEST-FLIP"}), &merchant("m2"), 500, 9003)
        .await;
}
