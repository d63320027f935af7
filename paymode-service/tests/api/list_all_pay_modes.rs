use payserver_shared::testing;
use serde_json::{Value, json};

use crate::helpers::{BUILTINS, CASH, UNIONPAY, admin, merchant, spawn_app, test_template};

#[tokio::test]
async fn list_all_shows_the_opened_modes_then_the_enabled_templates_not_yet_opened() {
    let app = spawn_app().await;
    let token = merchant("m1");
    app.register_template(&test_template("TEST-EXTRA", None)).await;
    let mut off = test_template("TEST-OFF", None);
    off["status"] = json!("disabled");
    app.register_template(&off).await;
    let cash = app.opened(&json!({"payTemplateId": CASH, "uiOrder": 1}), &token).await;
    let unionpay = app
        .opened(
            &json!({"payTemplateId": UNIONPAY, "uiOrder": 7, "isFastPay": 1}),
            &token,
        )
        .await;
    app.open_template("TEST-EXTRA", &merchant("m2")).await;

    let (status, all) = app.get("listAllPayModes?orderBy=uiOrder%20desc", &token).await;
    assert_eq!(status, 200, "{all}");
    let items = all["items"].as_array().unwrap();
    let expected = 2 + (BUILTINS - 2) + 1;
    assert_eq!((all["size"].as_u64(), items.len()), (Some(expected as u64), expected));
    assert!(
        all.get("offset").is_none() && all.get("limit").is_none(),
        "not paged: {all}"
    );

    assert_eq!(items[0]["uuid"], unionpay["uuid"], "uiOrder desc");
    assert_eq!(items[1]["uuid"], cash["uuid"]);
    for created in &items[..2] {
        assert_eq!(created["hasCreated"], 1);
        assert_eq!(created["merchantUUID"], "m1");
        assert!(created["href"].as_str().unwrap().contains("/payModes/"));
    }
    assert_eq!(items[0]["isFastPay"], 1);

    let mut ids = Vec::new();
    for unopened in &items[2..] {
        let obj = unopened.as_object().unwrap();
        assert!(!obj.contains_key("uuid"), "no uuid key: {unopened}");
        assert_eq!(unopened["hasCreated"], 0);
        assert_eq!(
            testing::ints(unopened, ["isOpened", "isFastPay", "uiOrder"]),
            [Some(0), Some(0), Some(0)]
        );
        assert_eq!(unopened["merchantUUID"], "m1");
        assert!(
            unopened["payModeTemplate"]["href"]
                .as_str()
                .unwrap()
                .contains("/payModeTemplates/")
        );
        for field in [
            "name",
            "description",
            "payUrl",
            "checkEnvUrl",
            "orderValidTime",
            "isOnline",
            "payChannel",
            "payWay",
        ] {
            assert!(obj.contains_key(field), "{field} missing: {unopened}");
        }
        ids.push(unopened["payTemplateId"].as_str().unwrap().to_string());
    }
    assert!(
        !ids.iter().any(|id| id == CASH || id == UNIONPAY),
        "opened templates are not repeated"
    );
    assert!(
        ids.iter().any(|id| id == "TEST-EXTRA"),
        "opened by another merchant only"
    );
    assert!(
        !ids.iter().any(|id| id == "TEST-OFF"),
        "disabled templates are left out"
    );
    assert_eq!(
        ids.last().map(String::as_str),
        Some("382CF8DF-017F-4009-928F-D5B008095962"),
        "templates by id, desc: {ids:?}"
    );
    assert_eq!(ids.first().map(String::as_str), Some("TEST-EXTRA"));
}

#[tokio::test]
async fn list_all_takes_the_merchant_from_the_token_or_merchant_uuid() {
    let app = spawn_app().await;
    app.open_template(CASH, &merchant("m1")).await;
    let created = |v: &Value| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["hasCreated"] == 1)
            .count()
    };

    let (_, own) = app.get("listAllPayModes", &merchant("m1")).await;
    assert_eq!((own["size"].as_u64(), created(&own)), (Some(BUILTINS as u64), 1));
    let (_, other) = app.get("listAllPayModes", &merchant("m2")).await;
    assert_eq!(created(&other), 0);
    let (_, by_admin) = app.get("listAllPayModes?merchantUUID=m1", &admin()).await;
    assert_eq!(created(&by_admin), 1);

    app.get_refused("listAllPayModes?merchantUUID=m1", &merchant("m2"), 403, 4030)
        .await;
    app.get_refused("listAllPayModes?orderBy=secret", &merchant("m1"), 400, 4000)
        .await;
}
