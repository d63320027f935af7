//! The contract's conformance kit against the connector and the simulator.

use connector_contract::conformance::{Fixture, check};
use serde_json::{Map, json};

use crate::helpers::*;

#[tokio::test]
async fn the_connector_passes_the_conformance_kit() {
    let (app, m) = spawn_with_merchant().await;
    let params = |code: &str| {
        let mut p = Map::new();
        p.insert("payBarCode".into(), json!(code));
        p
    };
    check(&Fixture {
        base_url: app.address.clone(),
        service_token: platform(),
        merchant_uuid: m,
        pay_params_ok: params(PAID_AT_ONCE),
        pay_params_failing: params(BALANCE_NOT_ENOUGH),
        amount: 100,
        supports_query: true,
    })
    .await;
}
