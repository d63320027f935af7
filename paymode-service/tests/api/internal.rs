use serde_json::json;

use crate::helpers::{CASH, admin, assert_envelope, merchant, read, service, spawn_app};

#[tokio::test]
async fn the_internal_read_needs_the_service_role() {
    let app = spawn_app().await;
    let mode = app.opened(&json!({"payTemplateId": CASH}), &merchant("m1")).await;
    let url = format!(
        "{}/internal/v1/payModes/{}",
        app.address,
        mode["uuid"].as_str().unwrap()
    );

    for token in [merchant("m1"), admin()] {
        let (status, body) = read(app.client.get(&url).bearer_auth(token).send().await.unwrap()).await;
        assert_envelope(status, &body, 403, 4030);
    }
    let (status, body) = read(app.client.get(&url).send().await.unwrap()).await;
    assert_envelope(status, &body, 401, 4010);

    let (status, body) = read(app.client.get(&url).bearer_auth(service()).send().await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, mode, "the same JSON as the public read");
    assert_eq!(
        (body["merchantUUID"].as_str(), body["isOpened"].as_i64()),
        (Some("m1"), Some(1))
    );

    let missing = format!("{}/internal/v1/payModes/AAAAAAAAAAAAAAAAAAAAAA", app.address);
    let (status, body) = read(app.client.get(&missing).bearer_auth(service()).send().await.unwrap()).await;
    assert_envelope(status, &body, 404, 4040);
}
