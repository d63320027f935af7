use payserver_shared::auth::Role;
use payserver_shared::config::Settings;
use payserver_shared::testing;
use serde_json::Value;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
}

pub async fn spawn_app() -> TestApp {
    let mut settings: Settings = testing::settings();
    let url = testing::database_url(&settings, "template");
    let svc = settings.services.entry("template".into()).or_default();
    svc.port = 0;
    svc.database_url = Some(url.into());
    let app = template_service::Application::build(&settings)
        .await
        .expect("build template-service");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: reqwest::Client::new(),
    }
}

pub fn admin() -> String {
    testing::token(None, &[Role::Admin])
}

/// The internal service token other services present on `/internal/v1`.
pub fn service() -> String {
    testing::service_token()
}

pub fn merchant(uuid: &str) -> String {
    testing::token(Some(uuid), &[Role::Merchant])
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1.0.0/{}", self.address, path.trim_start_matches('/'))
    }

    /// A URL of the internal routes other services call (`/internal/v1/...`).
    pub fn internal_url(&self, path: &str) -> String {
        format!("{}/internal/v1/{}", self.address, path.trim_start_matches('/'))
    }

    pub async fn internal_get(&self, path: &str, token: &str) -> (u16, Value) {
        let resp = self
            .client
            .get(self.internal_url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        read(resp).await
    }

    pub async fn get(&self, path: &str, token: &str) -> (u16, Value) {
        let resp = self.client.get(self.url(path)).bearer_auth(token).send().await.unwrap();
        read(resp).await
    }

    pub async fn register(&self, body: &Value, token: &str) -> (u16, Value) {
        let resp = self
            .client
            .post(self.url("registerPayModeTemplate"))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap();
        read(resp).await
    }
}

pub async fn read(resp: reqwest::Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    let value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
    (status, value)
}

/// Asserts an API.md envelope with this status and code.
pub fn assert_envelope(status: u16, body: &Value, want_status: u16, want_code: u64) {
    assert_eq!(status, want_status, "{body}");
    assert_eq!(body["statusCode"], want_status, "{body}");
    assert_eq!(body["code"], want_code, "{body}");
    assert!(
        body["name"].is_string() && body["message"].is_string() && body["description"].is_string(),
        "{body}"
    );
}
