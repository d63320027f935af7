use connector_contract::shared::ids;
use connector_contract::shared::testing::{self, Api, TestSystem};
pub use connector_contract::shared::testing::{
    admin_token as admin, assert_envelope, merchant_token as merchant, read,
};
use reqwest::Method;
use serde_json::{Value, json};

/// sign-account, called through its public routes (`Api` under `/api/v1.0.0`, which the app
/// derefs to) and its contract routes ([`TestApp::connector`]).
pub struct TestApp {
    pub address: String,
    public: Api,
    /// The contract routes (`/connector/...`), for calls with any token.
    pub contract: Api,
    /// The running service (kept so it lives as long as the test).
    _system: TestSystem,
}

/// sign-account with a fresh database (SQLite, or PostgreSQL when `TEST_DATABASE_URL` is set).
pub async fn spawn_app() -> TestApp {
    let (system, address) = TestSystem::start_one("sign_account", sign_account::Application::build).await;
    TestApp {
        public: Api::public(&address),
        contract: Api::connector(&address),
        address,
        _system: system,
    }
}

/// The set-up of most pay tests: the app, merchant m1's token and an accounter of m1 with
/// `credit_limit` fen and one person.
pub async fn spawn_with_accounter(credit_limit: i64) -> (TestApp, String, String, String) {
    let app = spawn_app().await;
    let token = merchant("m1");
    let (acc, person) = app.accounter_with_person(&token, credit_limit).await;
    (app, token, acc, person)
}

/// The set-up of the refund tests: the app, m1's token and [`TestApp::paid_by_new_accounter`]'s
/// accounter, person and pay tractionNo.
pub async fn spawn_paid(credit_limit: i64, amount: i64) -> (TestApp, String, String, String, String) {
    let app = spawn_app().await;
    let token = merchant("m1");
    let (acc, person, pay_tn) = app.paid_by_new_accounter(&token, credit_limit, amount).await;
    (app, token, acc, person, pay_tn)
}

/// The platform's call token for this connector: the only one `/connector/...` accepts.
pub fn platform() -> String {
    testing::connector_call_token("sign_account")
}

/// A new pay (`'1'`) or refund (`'2'`) serial number.
pub fn serial(prefix: char) -> String {
    ids::traction_no(prefix)
}

connector_contract::shared::test_app_api!(TestApp, public);

impl TestApp {
    /// Creates an accounter for the token's merchant; returns it.
    pub async fn create_accounter(&self, token: &str, name: &str, credit_limit: i64) -> Value {
        let (status, body) = self
            .post(
                "signAccounters",
                token,
                &json!({"name": name, "creditLimit": credit_limit}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        body
    }

    /// Creates a person of the accounter; returns it.
    pub async fn create_person(&self, token: &str, accounter: &str, name: &str) -> Value {
        let (status, body) = self
            .post(
                &format!("signAccounters/{accounter}/signPersons"),
                token,
                &json!({"name": name, "mobile": "13800138000"}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        body
    }

    /// An accounter with one person, for the token's merchant: (accounter uuid, person uuid).
    pub async fn accounter_with_person(&self, token: &str, credit_limit: i64) -> (String, String) {
        let acc = self.create_accounter(token, "甲公司", credit_limit).await;
        let acc = acc["uuid"].as_str().unwrap().to_string();
        let person = self.create_person(token, &acc, "张三").await;
        (acc, person["uuid"].as_str().unwrap().to_string())
    }

    /// A successful pay of `amount` by a new accounter of `m1` (the token's merchant) with
    /// `credit_limit`: (accounter uuid, person uuid, the pay's tractionNo).
    pub async fn paid_by_new_accounter(&self, token: &str, credit_limit: i64, amount: i64) -> (String, String, String) {
        let (acc, person) = self.accounter_with_person(token, credit_limit).await;
        let pay_tn = serial('1');
        let (_, paid) = self.pay("m1", &pay_tn, amount, &acc, &person).await;
        assert_eq!(paid["ret"], "success");
        (acc, person, pay_tn)
    }

    pub async fn accounter(&self, token: &str, uuid: &str) -> Value {
        let (status, body) = self.get(&format!("signAccounters/{uuid}"), token).await;
        assert_eq!(status, 200, "{body}");
        body
    }

    /// The accounter's `(usedCredit, availableCredit)`.
    pub async fn credit(&self, token: &str, uuid: &str) -> (Option<i64>, Option<i64>) {
        let a = self.accounter(token, uuid).await;
        (a["usedCredit"].as_i64(), a["availableCredit"].as_i64())
    }

    pub async fn statement(&self, token: &str, uuid: &str) -> Value {
        let (status, body) = self
            .get(&format!("signAccounters/{uuid}/statement?limit=100"), token)
            .await;
        assert_eq!(status, 200, "{body}");
        body
    }

    /// `POST /connector/{path}` with the platform's token.
    pub async fn connector(&self, path: &str, body: &Value) -> (u16, Value) {
        self.contract.post(path, &platform(), body).await
    }

    /// [`TestApp::connector`] with each body, all at once; the answers in order.
    pub async fn race_connector(&self, path: &str, bodies: Vec<Value>) -> Vec<(u16, Value)> {
        testing::race(&self.contract, Method::POST, path, &platform(), bodies).await
    }

    pub async fn pay(
        &self,
        merchant: &str,
        traction_no: &str,
        amount: i64,
        accounter: &str,
        person: &str,
    ) -> (u16, Value) {
        self.connector("pay", &pay_body(merchant, traction_no, amount, accounter, person))
            .await
    }

    pub async fn refund(
        &self,
        merchant: &str,
        traction_no: &str,
        pay: (&str, i64),
        refund_amount: i64,
    ) -> (u16, Value) {
        self.connector("refund", &refund_body(merchant, traction_no, pay, refund_amount))
            .await
    }
}

pub fn pay_body(merchant: &str, traction_no: &str, amount: i64, accounter: &str, person: &str) -> Value {
    json!({
        "payer": "张三", "payee": format!("http://shops.example/{merchant}"), "payAmount": amount,
        "tractionNo": traction_no, "clientPayNo": format!("c{traction_no}"),
        "orderStartAt": "2026-01-01 00:00:00", "orderExpiredAt": "2026-01-02 00:00:00",
        "payParams": {"signAccounterUUID": accounter, "signPersonUUID": person},
        "clientExtraParams": {}, "payStartAt": "2026-01-01 00:00:00", "notifyUrl": null,
        "merchantUUID": merchant, "payTemplateId": "382CF8DF-017F-4009-928F-D5B008095962"
    })
}

/// A refund of `refund_amount` of the pay `(tractionNo, payAmount)`.
pub fn refund_body(
    merchant: &str,
    traction_no: &str,
    (pay_traction_no, pay_amount): (&str, i64),
    refund_amount: i64,
) -> Value {
    json!({
        "clientRefundNo": format!("r{traction_no}"), "tractionNo": traction_no, "payTractionNo": pay_traction_no,
        "thirdPayNo": null, "payee": null, "payAmount": pay_amount, "refundAmount": refund_amount,
        "isCancel": 0, "notifyUrl": null, "clientExtraParams": {}, "merchantUUID": merchant
    })
}
