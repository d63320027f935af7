//! The contract's own conformance kit against this connector.

use connector_contract::conformance::{Fixture, check};
use serde_json::{Map, json};

use crate::helpers::*;

#[tokio::test]
async fn the_connector_passes_the_conformance_kit() {
    let (app, m) = spawn_with_merchant().await;
    let params =
        |code: &str| -> Map<String, serde_json::Value> { json!({ "payBarCode": code }).as_object().unwrap().clone() };
    check(&Fixture {
        base_url: app.address.clone(),
        service_token: platform(),
        merchant_uuid: m,
        pay_params_ok: params(PAID),
        pay_params_failing: params(NOTENOUGH),
        amount: 100,
        supports_query: true,
    })
    .await;
}

#[test]
fn the_production_guard_knows_the_simulators_development_key() {
    assert_eq!(wechat::settings::SIMULATOR_DEV_API_KEY, simulators::wechat::DEV_API_KEY);
}
