use connector_contract::shared::ids::new_uuid;
use connector_contract::shared::testing::{self, Api, TestSystem};
pub use connector_contract::shared::testing::{
    admin_token as admin, assert_envelope, merchant_token as merchant, read,
};
use serde_json::{Value, json};

/// member-card, called through its public routes (`Api` under `/api/v1.0.0`, which the app
/// derefs to) and its contract routes ([`TestApp::connector`]).
pub struct TestApp {
    pub address: String,
    public: Api,
    /// The contract routes (`/connector/...`), for calls with any token.
    pub contract: Api,
    /// The running service (kept so it lives as long as the test; in a mutex since tests share
    /// the app between tasks and a `TestSystem` is not `Sync`).
    _system: std::sync::Mutex<TestSystem>,
}

/// member-card with a fresh database (SQLite file, or a new PostgreSQL database when
/// `TEST_DATABASE_URL` is set).
pub async fn spawn_app() -> TestApp {
    let (system, address) = TestSystem::start_one("member_card", member_card::Application::build).await;
    TestApp {
        public: Api::public(&address),
        contract: Api::connector(&address),
        address,
        _system: std::sync::Mutex::new(system),
    }
}

/// The set-up of most tests: the app, a new merchant and its member with `balance` fen.
pub async fn spawn_with_member(balance: i64) -> (TestApp, String, String) {
    let app = spawn_app().await;
    let m = new_merchant();
    let member = app.member_with_balance(&m, balance).await;
    (app, m, member)
}

/// The platform's call token for this connector: the only one `/connector/...` accepts.
pub fn platform() -> String {
    testing::connector_call_token("member_card")
}

/// A fresh merchant uuid, so tests never share members by accident.
pub fn new_merchant() -> String {
    new_uuid()
}

/// A platform serial number: `prefix` then 19 digits.
pub fn serial(prefix: char) -> String {
    let digits: String = new_uuid().bytes().take(19).map(|b| char::from(b'0' + b % 10)).collect();
    format!("{prefix}{digits}")
}

/// A pay body of the contract.
pub fn pay_body(merchant: &str, traction_no: &str, amount: i64, params: Value) -> Value {
    json!({
        "payer": "A", "payee": format!("http://shops.example/{merchant}"), "payAmount": amount,
        "tractionNo": traction_no, "clientPayNo": format!("c{traction_no}"),
        "orderStartAt": "2026-01-01 00:00:00", "orderExpiredAt": "2026-01-02 00:00:00",
        "payParams": params, "clientExtraParams": {}, "payStartAt": "2026-01-01 00:00:00",
        "notifyUrl": null, "merchantUUID": merchant, "payTemplateId": null
    })
}

/// A pay body of the contract charging `member`'s stored value (no counts).
pub fn balance_pay(merchant: &str, traction_no: &str, amount: i64, member: &str) -> Value {
    pay_body(merchant, traction_no, amount, json!({ "memberUUID": member }))
}

/// A refund body of the contract.
pub fn refund_body(
    merchant: &str,
    traction_no: &str,
    pay_traction_no: &str,
    pay_amount: i64,
    refund_amount: i64,
    is_cancel: i32,
) -> Value {
    json!({
        "clientRefundNo": format!("r{traction_no}"), "tractionNo": traction_no, "payTractionNo": pay_traction_no,
        "thirdPayNo": null, "payee": null, "payAmount": pay_amount, "refundAmount": refund_amount,
        "isCancel": is_cancel, "notifyUrl": null, "clientExtraParams": {}, "merchantUUID": merchant
    })
}

connector_contract::shared::test_app_api!(TestApp, public);

impl TestApp {
    /// Creates a member of `merchant`; its JSON.
    pub async fn member(&self, merchant_uuid: &str, name: &str) -> Value {
        let (status, m) = self
            .post("members", &merchant(merchant_uuid), &json!({"name": name}))
            .await;
        assert_eq!(status, 201, "{m}");
        m
    }

    /// A member of `merchant` with `balance` fen recharged; its uuid.
    pub async fn member_with_balance(&self, merchant_uuid: &str, balance: i64) -> String {
        let m = self.member(merchant_uuid, "会员").await;
        let uuid = m["uuid"].as_str().unwrap().to_string();
        if balance > 0 {
            let (status, after) = self.recharge(merchant_uuid, &uuid, balance, &new_uuid()).await;
            assert_eq!(status, 200, "{after}");
            assert_eq!(after["balance"], balance);
        }
        uuid
    }

    pub async fn recharge(&self, merchant_uuid: &str, member: &str, amount: i64, client_no: &str) -> (u16, Value) {
        self.post(
            &format!("members/{member}/recharge"),
            &merchant(merchant_uuid),
            &json!({"amount": amount, "clientRechargeNo": client_no}),
        )
        .await
    }

    pub async fn add_counts(
        &self,
        merchant_uuid: &str,
        member: &str,
        item: &str,
        style: Option<&str>,
        count: i64,
    ) -> Value {
        let (status, m) = self
            .post(
                &format!("members/{member}/counts"),
                &merchant(merchant_uuid),
                &json!({"merchandiseUUID": item, "styleUUID": style, "name": format!("项目{item}"), "count": count}),
            )
            .await;
        assert_eq!(status, 200, "{m}");
        m
    }

    /// The member as its merchant sees it.
    pub async fn member_state(&self, merchant_uuid: &str, member: &str) -> Value {
        let (status, m) = self.get(&format!("members/{member}"), &merchant(merchant_uuid)).await;
        assert_eq!(status, 200, "{m}");
        m
    }

    pub async fn balance(&self, merchant_uuid: &str, member: &str) -> i64 {
        self.member_state(merchant_uuid, member).await["balance"]
            .as_i64()
            .unwrap()
    }

    /// What the member has left of `item` (no style unless given).
    pub async fn remaining(&self, merchant_uuid: &str, member: &str, item: &str, style: Option<&str>) -> i64 {
        let m = self.member_state(merchant_uuid, member).await;
        m["counts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["merchandiseUUID"] == item && c["styleUUID"].as_str() == style)
            .map(|c| c["remaining"].as_i64().unwrap())
            .unwrap_or_else(|| panic!("no count of {item}: {m}"))
    }

    /// The member's ledger, newest first.
    pub async fn statement(&self, merchant_uuid: &str, member: &str) -> Vec<Value> {
        let (status, page) = self
            .get(
                &format!("members/{member}/statement?limit=100"),
                &merchant(merchant_uuid),
            )
            .await;
        assert_eq!(status, 200, "{page}");
        page["items"].as_array().unwrap().clone()
    }

    /// `POST /connector/{path}` with the platform's token.
    pub async fn connector(&self, path: &str, body: &Value) -> (u16, Value) {
        self.contract.post(path, &platform(), body).await
    }

    /// A pay that must be answered 200; the answer.
    pub async fn pay(&self, body: &Value) -> Value {
        let (status, answer) = self.connector("pay", body).await;
        assert_eq!(status, 200, "{answer}");
        answer
    }

    pub async fn refund(&self, body: &Value) -> Value {
        let (status, answer) = self.connector("refund", body).await;
        assert_eq!(status, 200, "{answer}");
        answer
    }
}
