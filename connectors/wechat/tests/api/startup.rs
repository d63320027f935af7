//! What `Application::build` refuses to start with.

use connector_contract::shared::config::Environment;
use connector_contract::shared::testing;
use serde_json::json;

use crate::helpers::wechat_section;

#[tokio::test]
async fn production_refuses_to_start_without_the_api_client_certificate() {
    let mut settings = testing::settings();
    settings.environment = Environment::Production;
    let mut section = wechat_section("https://api.mch.weixin.qq.com");
    section["api_key"] = json!("a-live-key-a-live-key-a-live-key-");
    settings.set_connector("wechat", section).unwrap();
    let Err(e) = wechat::Application::build(&settings).await else {
        panic!("started in production without the certificate reverse and refund need");
    };
    let why = format!("{e:#}");
    assert!(
        why.contains("client_cert_pem_file") && why.contains("client_key_pem_file"),
        "{why}"
    );
}
