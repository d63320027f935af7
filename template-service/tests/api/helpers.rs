use payserver_shared::testing::{self, Api, TestSystem};
pub use payserver_shared::testing::{admin_token as admin, assert_envelope, merchant_token as merchant};
use serde_json::Value;

/// template-service, called through its public routes (`Api` under `/api/v1.0.0`, which the
/// app derefs to) and its internal ones (`app.internal`).
pub struct TestApp {
    pub address: String,
    public: Api,
    pub internal: Api,
    /// The running service (kept so it lives as long as the test).
    _system: TestSystem,
}

pub async fn spawn_app() -> TestApp {
    let (system, address) = TestSystem::start_one("template", template_service::Application::build).await;
    TestApp {
        public: Api::public(&address),
        internal: Api::internal(&address),
        address,
        _system: system,
    }
}

/// The internal service token other services present on `/internal/v1`.
pub fn service() -> String {
    testing::service_token()
}

payserver_shared::test_app_api!(TestApp, public);

impl TestApp {
    pub async fn register(&self, body: &Value, token: &str) -> (u16, Value) {
        self.post("registerPayModeTemplate", token, body).await
    }
}
