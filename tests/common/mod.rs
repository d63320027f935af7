//! What the root crate's integration tests share: the whole system started in this process
//! and its gateway, and the WeChat simulator's connector settings. Each test file (its own
//! crate) uses only part of it, so what one leaves unused is not dead code.
#![allow(dead_code)]

use payserver_shared::config::Settings;
use payserver_shared::testing;
use serde_json::json;

/// The gateway of the system a test started: its root (`http://127.0.0.1:port`) and its API
/// under `/payServer/api/v1.0.0`, which it derefs to.
pub struct Gateway {
    pub api: testing::Api,
    pub base: String,
}

impl std::ops::Deref for Gateway {
    type Target = testing::Api;

    fn deref(&self) -> &testing::Api {
        &self.api
    }
}

/// The whole system in this process, started with `settings` (stop it at the end of the
/// test), and its gateway.
pub async fn start(settings: Settings) -> (payserver::System, Gateway) {
    let system = payserver::System::start(settings).await.expect("system starts");
    let base = format!("http://127.0.0.1:{}", system.gateway_port);
    let api = testing::Api::new(format!("{base}/payServer/api/v1.0.0"));
    (system, Gateway { api, base })
}

/// Points the WeChat connector at the local simulator with the simulator's development
/// credentials, polling an unfinished pay every `query_interval_ms` for at most
/// `query_budget_ms`.
pub fn use_wechat_simulator(settings: &mut Settings, query_interval_ms: u64, query_budget_ms: u64) {
    settings
        .set_connector(
            "wechat",
            json!({"base_url": "http://127.0.0.1:6301", "appid": "wx0123456789abcdef", "mch_id": "1900000109",
               "api_key": "devonly0wechat0simulator0key0000", "query_interval_ms": query_interval_ms,
               "query_budget_ms": query_budget_ms, "system_error_wait_ms": 200, "reverse_retry_ms": 200,
               "request_timeout_ms": 3000}),
        )
        .expect("valid connector settings");
}
