use payserver_shared::auth::Role;
use payserver_shared::testing::{self, TestSystem};
pub use payserver_shared::testing::{assert_envelope, read};
use serde_json::Value;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    /// The running service (kept so it lives as long as the test).
    _system: TestSystem,
}

pub async fn spawn_app() -> TestApp {
    let mut system = TestSystem::new(&["template"]);
    let address = system.start(template_service::Application::build).await;
    TestApp {
        address,
        client: reqwest::Client::new(),
        _system: system,
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
