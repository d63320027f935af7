//! The whole system in one process, called only through the gateway, as a client would:
//! the README walkthroughs, as tests.

mod common;

use payserver_shared::auth::Role;
use payserver_shared::testing;
use serde_json::{Value, json};

const CASH: &str = "C924182F-581B-4990-944A-ABCAB8E552B3";
const SIGN_ACCOUNT: &str = "382CF8DF-017F-4009-928F-D5B008095962";

async fn start() -> (payserver::System, common::Gateway) {
    common::start(payserver::test_settings()).await
}

/// A POST as `token` that creates a resource (201): the resource.
async fn created(c: &common::Gateway, token: &str, path: &str, body: Value) -> Value {
    let (status, resource) = c.post(path, token, &body).await;
    assert_eq!(status, 201, "{resource}");
    resource
}

/// An accounter with `credit_limit` and a person of it: the accounter's uuid and the
/// `payParams` of a sign-account pay the person signs.
async fn accounter_and_person(c: &common::Gateway, m: &str, credit_limit: i64) -> (String, Value) {
    let accounter = created(
        c,
        m,
        "signAccounters",
        json!({"name": "宏达公司", "creditLimit": credit_limit}),
    )
    .await;
    let acc = accounter["uuid"].as_str().unwrap();
    let person = created(
        c,
        m,
        &format!("signAccounters/{acc}/signPersons"),
        json!({"name": "张三"}),
    )
    .await;
    let params = json!({"signAccounterUUID": acc, "signPersonUUID": person["uuid"]});
    (acc.to_string(), params)
}

/// A pay as `m` that is paid at once, with the `businessRet` of its channel: its answer.
async fn paid_at_once(c: &common::Gateway, m: &str, body: Value, business_ret: &str) -> Value {
    let (status, paid) = c.post("pay", m, &body).await;
    assert_eq!(
        (status, paid["businessRet"].as_str(), paid["data"]["status"].as_str()),
        (200, Some(business_ret), Some("payed")),
        "{paid}"
    );
    paid
}

/// A refund as `m` that completes at once (the offline and stored-value channels): its answer.
async fn refunded(c: &common::Gateway, m: &str, body: Value) -> Value {
    let (status, r) = c.post("refund", m, &body).await;
    assert_eq!((status, r["data"]["status"].as_str()), (200, Some("refunded")), "{r}");
    r
}

#[tokio::test]
async fn a_client_lists_and_an_admin_registers_templates_through_the_gateway() {
    let (mut system, c) = start().await;
    let merchant = testing::token(Some("mI2NDMoQRdnKCq01hAsLwQ"), &[Role::Merchant]);
    let admin = testing::token(None, &[Role::Admin]);

    let (status, list) = c.get("payModeTemplates", &merchant).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["size"], 7);
    assert!(
        list["items"][0]["href"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{}/payServer/api/v1.0.0/payModeTemplates/", c.base))
    );

    let body =
        json!({"payTemplateId": "FULL-CHAIN-1", "name": "储值卡", "isOnline": 1, "payUrl": "http://127.0.0.1:9/pay"});
    let (status, created) = c.post("registerPayModeTemplate", &admin, &body).await;
    assert_eq!(status, 201, "{created}");
    let (status, _) = c.post("registerPayModeTemplate", &merchant, &body).await;
    assert_eq!(status, 403);
    let (status, one) = c.get("payModeTemplates?payTemplateId=FULL-CHAIN-1", &merchant).await;
    assert_eq!((status, one["size"].as_i64()), (200, Some(1)));
    assert_eq!(one["items"][0]["href"], created["href"]);

    let resp = c.http.get(format!("{}/readyz", c.base)).send().await.unwrap();
    assert_eq!(
        resp.status().as_u16(),
        200,
        "every upstream is ready: {}",
        resp.text().await.unwrap()
    );

    // Every binary serves Prometheus text without a token; requests are counted by route pattern.
    let metrics = testing::answer_text(c.http.get(format!("{}/metrics", c.base))).await;
    let counted = "payserver_http_requests_total{service=\"template\",route=\"/api/v1.0.0/payModeTemplates\",method=\"GET\",status=\"200\"}";
    assert!(metrics.contains(counted), "{metrics}");
    assert!(
        metrics.contains("payserver_http_requests_total{service=\"gateway\",route=\"/payServer/{tail:.*}\""),
        "{metrics}"
    );
    // Every service of the process (the channel simulators stand in for outside servers).
    for (name, port) in system
        .ports
        .iter()
        .filter(|(name, _)| !payserver::simulators().any(|s| s == name.as_str()))
    {
        let resp = c
            .http
            .get(format!("http://127.0.0.1:{port}/metrics"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 200, "{name}");
    }

    // The API description and its page, without a token.
    let spec: Value = c
        .http
        .get(format!("{}/payServer/openapi.json", c.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    assert!(spec["paths"]["/api/v1.0.0/pay"]["post"].is_object());
    let docs = c.http.get(format!("{}/payServer/docs", c.base)).send().await.unwrap();
    assert_eq!(docs.status().as_u16(), 200);
    system.stop().await;
}

#[tokio::test]
async fn a_merchant_opens_modes_pays_with_cash_and_sign_account_and_reads_the_journal() {
    let (mut system, c) = start().await;
    let m = testing::token(Some("eLzwsgnlWpZN8xtvz0qgvw"), &[Role::Merchant]);

    // Open cash and sign account; see them ordered by uiOrder desc.
    let cash = created(
        &c,
        &m,
        "payModes",
        json!({"payTemplateId": CASH, "uiOrder": 1, "isFastPay": 1}),
    )
    .await;
    let sign = created(&c, &m, "payModes", json!({"payTemplateId": SIGN_ACCOUNT, "uiOrder": 3})).await;
    let (_, modes) = c.get("payModes?orderBy=uiOrder%20desc", &m).await;
    let names: Vec<&str> = modes["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["挂账", "现金"]);
    let (_, all) = c.get("listAllPayModes", &m).await;
    assert_eq!(all["size"], 7);
    let created: Vec<&Value> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["hasCreated"] == 1)
        .collect();
    assert_eq!(created.len(), 2);
    assert!(
        all["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["hasCreated"] == 0)
            .all(|i| i.get("uuid").is_none())
    );

    // An accounter and a person, then pay with each mode.
    let (acc, signed) = accounter_and_person(&c, &m, 100_000).await;

    let cash_pay = json!({"payModeUUID": cash["uuid"], "payAmount": 50, "clientPayNo": "fc-1", "payer": "A"});
    paid_at_once(&c, &m, cash_pay, "offlinePay").await;
    let sign_pay = json!({"payModeUUID": sign["uuid"], "payAmount": 2_000, "clientPayNo": "fc-2", "payParams": signed});
    let paid = paid_at_once(&c, &m, sign_pay, "syncOnlinePay").await;

    let (_, found) = c.get("payOrders?clientPayNo=fc-2", &m).await;
    assert_eq!(
        (found["size"].as_i64(), found["items"][0]["payModeName"].as_str()),
        (Some(1), Some("挂账"))
    );
    let (_, accounter) = c.get(&format!("signAccounters/{acc}"), &m).await;
    assert_eq!(accounter["usedCredit"], 2_000);
    let (_, trades) = c.get("tradeRecords?orderBy=id", &m).await;
    let amounts: Vec<i64> = trades["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["amount"].as_i64().unwrap())
        .collect();
    assert_eq!(amounts, [50, 2_000]);

    // Another merchant sees none of it.
    let other = testing::token(Some("87TaIejHrZp4aHaM9hG2DQ"), &[Role::Merchant]);
    let (status, _) = c
        .get(&format!("payOrders/{}", paid["data"]["uuid"].as_str().unwrap()), &other)
        .await;
    assert_eq!(status, 404);
    let (status, _) = c.get(&format!("signAccounters/{acc}"), &other).await;
    assert_eq!(status, 404);
    system.stop().await;
}

#[tokio::test]
async fn a_sign_account_pay_is_refunded_in_two_steps_and_the_journal_nets_to_zero() {
    let (mut system, c) = start().await;
    let m = testing::token(Some("mI2NDMoQRdnKCq01hAsLwQ"), &[Role::Merchant]);
    let (_, sign) = c.post("payModes", &m, &json!({"payTemplateId": SIGN_ACCOUNT})).await;
    let (acc, signed) = accounter_and_person(&c, &m, 10_000).await;
    let (_, paid) = c
        .post(
            "pay",
            &m,
            &json!({"payModeUUID": sign["uuid"], "payAmount": 5_000, "clientPayNo": "rf-1", "payParams": signed}),
        )
        .await;
    assert_eq!(paid["data"]["status"], "payed", "{paid}");
    let traction = paid["data"]["tractionNo"].as_str().unwrap();
    let order_uuid = paid["data"]["uuid"].as_str().unwrap();

    let part = refunded(
        &c,
        &m,
        json!({"payTractionNo": traction, "clientRefundNo": "T-1", "refundAmount": 2_000}),
    )
    .await;
    let (_, acc_now) = c.get(&format!("signAccounters/{acc}"), &m).await;
    assert_eq!(acc_now["usedCredit"], 3_000, "the credit came back to the accounter");
    let (status, rest) = c
        .post(
            "refund",
            &m,
            &json!({"payTractionNo": traction, "clientRefundNo": "T-2", "isCancel": 1}),
        )
        .await;
    assert_eq!(
        (status, rest["data"]["refundAmount"].as_i64()),
        (200, Some(3_000)),
        "{rest}"
    );

    let (_, order) = c.get(&format!("payOrders/{order_uuid}"), &m).await;
    assert_eq!(
        (order["status"].as_str(), order["refundAmount"].as_i64()),
        (Some("refunded"), Some(5_000))
    );
    let (_, refunds) = c.get(&format!("payOrders/{order_uuid}/refundOrders"), &m).await;
    assert_eq!(refunds["size"], 2);
    let (_, trades) = c.get(&format!("payOrders/{order_uuid}/tradeRecords"), &m).await;
    let net: i64 = trades["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            if t["tradeType"] == "refund" {
                -t["amount"].as_i64().unwrap()
            } else {
                t["amount"].as_i64().unwrap()
            }
        })
        .sum();
    assert_eq!((trades["size"].as_i64(), net), (Some(3), 0));
    let refund_uuid = part["data"]["uuid"].as_str().unwrap();
    let (status, of_refund) = c.get(&format!("refundOrders/{refund_uuid}/tradeRecords"), &m).await;
    assert_eq!(
        (
            status,
            of_refund["size"].as_i64(),
            of_refund["items"][0]["amount"].as_i64()
        ),
        (200, Some(1), Some(2_000)),
        "{of_refund}"
    );
    let (_, acc_now) = c.get(&format!("signAccounters/{acc}"), &m).await;
    assert_eq!(acc_now["usedCredit"], 0);

    let other = testing::token(Some("87TaIejHrZp4aHaM9hG2DQ"), &[Role::Merchant]);
    let (status, _) = c
        .post(
            "refund",
            &other,
            &json!({"payTractionNo": traction, "clientRefundNo": "T-3"}),
        )
        .await;
    assert_eq!(status, 404, "another merchant's order cannot be refunded");
    let (status, _) = c.get(&format!("refundOrders/{refund_uuid}/tradeRecords"), &other).await;
    assert_eq!(status, 404);
    system.stop().await;
}

const MEMBER_STORED_VALUE: &str = "A2E7AB90-BB11-11E8-8BAF-4BFA221DACF5";
const MEMBER_COUNT: &str = "B3A36C30-BB11-11E8-8353-CD8987EBDA9C";

#[tokio::test]
async fn a_member_is_recharged_pays_with_stored_value_and_counts_and_is_refunded() {
    let (mut system, c) = start().await;
    let m = testing::token(Some("mI2NDMoQRdnKCq01hAsLwQ"), &[Role::Merchant]);
    let (_, stored) = c
        .post("payModes", &m, &json!({"payTemplateId": MEMBER_STORED_VALUE}))
        .await;
    let (_, counted) = c.post("payModes", &m, &json!({"payTemplateId": MEMBER_COUNT})).await;
    let member = created(&c, &m, "members", json!({"name": "王五", "mobile": "13800000000"})).await;
    let member_uuid = member["uuid"].as_str().unwrap();
    let (_, member) = c
        .post(
            &format!("members/{member_uuid}/recharge"),
            &m,
            &json!({"amount": 10_000, "clientRechargeNo": "R-1"}),
        )
        .await;
    assert_eq!(member["balance"], 10_000);
    let (_, member) = c
        .post(
            &format!("members/{member_uuid}/counts"),
            &m,
            &json!({"merchandiseUUID": "wash", "styleUUID": "basic", "name": "洗车", "count": 5}),
        )
        .await;
    assert_eq!(member["counts"][0]["remaining"], 5, "{member}");

    let (_, by_value) = c
        .post("pay", &m, &json!({"payModeUUID": stored["uuid"], "payAmount": 3_000, "clientPayNo": "mv-1", "payParams": {"memberUUID": member_uuid}}))
        .await;
    assert_eq!(by_value["data"]["status"], "payed", "{by_value}");
    let (_, by_count) = c
        .post(
            "pay",
            &m,
            &json!({"payModeUUID": counted["uuid"], "payAmount": 2_000, "clientPayNo": "mc-1", "payParams": {"memberUUID": member_uuid,
                "merchandiseDetails": [{"name": "洗车", "merchandiseUUID": "wash", "styleUUID": "basic", "count": 2}]}}),
        )
        .await;
    assert_eq!(by_count["data"]["status"], "payed", "{by_count}");
    let (_, member) = c.get(&format!("members/{member_uuid}"), &m).await;
    assert_eq!(
        (member["balance"].as_i64(), member["counts"][0]["remaining"].as_i64()),
        (Some(7_000), Some(3))
    );

    // Too much: refused by the channel, nothing taken.
    let (_, refused) = c
        .post("pay", &m, &json!({"payModeUUID": stored["uuid"], "payAmount": 99_999, "clientPayNo": "mv-2", "payParams": {"memberUUID": member_uuid}}))
        .await;
    assert_eq!(refused["ret"], "failed", "{refused}");

    refunded(
        &c,
        &m,
        json!({"payTractionNo": by_value["data"]["tractionNo"], "clientRefundNo": "MR-1", "isCancel": 1}),
    )
    .await;
    refunded(
        &c,
        &m,
        json!({"payTractionNo": by_count["data"]["tractionNo"], "clientRefundNo": "MR-2"}),
    )
    .await;
    let (_, member) = c.get(&format!("members/{member_uuid}"), &m).await;
    assert_eq!(
        (member["balance"].as_i64(), member["counts"][0]["remaining"].as_i64()),
        (Some(10_000), Some(5)),
        "restored exactly"
    );
    let (_, statement) = c.get(&format!("members/{member_uuid}/statement"), &m).await;
    assert!(statement["size"].as_i64().unwrap() >= 6, "{statement}");
    system.stop().await;
}
