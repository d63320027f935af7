use connector_contract::conformance::{Fixture, check};
use connector_contract::pay_params::params;
use serde_json::json;

use crate::helpers::{merchant, platform, spawn_app, spawn_with_accounter};

#[tokio::test]
async fn sign_account_passes_the_conformance_kit() {
    let (app, token, acc, person) = spawn_with_accounter(100_000).await;
    check(&Fixture {
        base_url: app.address.clone(),
        service_token: platform(),
        merchant_uuid: "m1".into(),
        pay_params_ok: params(json!({"signAccounterUUID": acc, "signPersonUUID": person})),
        pay_params_failing: params(json!({"signAccounterUUID": "AAAAAAAAAAAAAAAAAAAAAA", "signPersonUUID": person})),
        amount: 2_500,
        supports_query: true,
    })
    .await;
    // The kit paid and refunded once: nothing is left used.
    let after = app.accounter(&token, &acc).await;
    assert_eq!(after["usedCredit"], 0, "{after}");
    let statement = app.statement(&token, &acc).await;
    let kinds: Vec<&str> = statement["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["credit", "charge"], "newest first: {statement}");
}

#[tokio::test]
async fn the_conformance_kit_passes_with_a_person_of_another_accounter_as_the_failing_case() {
    let app = spawn_app().await;
    let token = merchant("m1");
    let (acc, _) = app.accounter_with_person(&token, 100_000).await;
    let (_, stranger) = app.accounter_with_person(&token, 100_000).await;
    let person = app.create_person(&token, &acc, "李四").await;
    check(&Fixture {
        base_url: app.address.clone(),
        service_token: platform(),
        merchant_uuid: "m1".into(),
        pay_params_ok: params(json!({"signAccounterUUID": acc, "signPersonUUID": person["uuid"]})),
        pay_params_failing: params(json!({"signAccounterUUID": acc, "signPersonUUID": stranger})),
        amount: 1,
        supports_query: true,
    })
    .await;
}
