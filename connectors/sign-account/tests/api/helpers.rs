use connector_contract::shared::auth::{Claims, Role, claims_for, mint_hs256};
use connector_contract::shared::ids;
use connector_contract::shared::testing::{self, TestSystem};
pub use connector_contract::shared::testing::{assert_envelope, read};
use serde_json::{Value, json};

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    /// The running service (kept so it lives as long as the test).
    _system: TestSystem,
}

/// sign-account with a fresh database (SQLite, or PostgreSQL when `TEST_DATABASE_URL` is set).
pub async fn spawn_app() -> TestApp {
    let mut system = TestSystem::new(&["sign_account"]);
    let address = system.start(sign_account::Application::build).await;
    TestApp {
        address,
        client: reqwest::Client::new(),
        _system: system,
    }
}

pub fn admin() -> String {
    testing::token(None, &[Role::Admin])
}

pub fn merchant(uuid: &str) -> String {
    testing::token(Some(uuid), &[Role::Merchant])
}

/// The platform's call token for this connector: the only one `/connector/...` accepts.
pub fn platform() -> String {
    testing::connector_call_token("sign_account")
}

/// A public token of `merchant` with these role names, known or not (`payer` is none of ours).
pub fn token_with_roles(merchant: Option<&str>, roles: &[&str]) -> String {
    let settings = testing::settings();
    let claims = Claims {
        roles: roles.iter().map(|r| r.to_string()).collect(),
        ..claims_for("test-user", merchant, &[], 3600, &settings)
    };
    mint_hs256(&testing::TEST_SECRET.into(), &claims).expect("sign test token")
}

/// A new pay (`'1'`) or refund (`'2'`) serial number.
pub fn serial(prefix: char) -> String {
    ids::traction_no(prefix)
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1.0.0/{}", self.address, path.trim_start_matches('/'))
    }

    pub async fn get(&self, path: &str, token: &str) -> (u16, Value) {
        read(self.client.get(self.url(path)).bearer_auth(token).send().await.unwrap()).await
    }

    pub async fn post(&self, path: &str, body: &Value, token: &str) -> (u16, Value) {
        read(
            self.client
                .post(self.url(path))
                .bearer_auth(token)
                .json(body)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub async fn put(&self, path: &str, body: &Value, token: &str) -> (u16, Value) {
        read(
            self.client
                .put(self.url(path))
                .bearer_auth(token)
                .json(body)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// Sends a raw body with a JSON content type.
    pub async fn send_raw(&self, method: reqwest::Method, path: &str, body: &str, token: &str) -> (u16, Value) {
        read(
            self.client
                .request(method, self.url(path))
                .bearer_auth(token)
                .header("content-type", "application/json")
                .body(body.to_string())
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// Creates an accounter for the token's merchant; returns it.
    pub async fn create_accounter(&self, token: &str, name: &str, credit_limit: i64) -> Value {
        let (status, body) = self
            .post(
                "signAccounters",
                &json!({"name": name, "creditLimit": credit_limit}),
                token,
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
                &json!({"name": name, "mobile": "13800138000"}),
                token,
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

    pub async fn accounter(&self, token: &str, uuid: &str) -> Value {
        let (status, body) = self.get(&format!("signAccounters/{uuid}"), token).await;
        assert_eq!(status, 200, "{body}");
        body
    }

    pub async fn statement(&self, token: &str, uuid: &str) -> Value {
        let (status, body) = self
            .get(&format!("signAccounters/{uuid}/statement?limit=100"), token)
            .await;
        assert_eq!(status, 200, "{body}");
        body
    }

    pub async fn connector(&self, path: &str, body: &Value) -> (u16, Value) {
        read(
            self.client
                .post(format!("{}/connector/{path}", self.address))
                .bearer_auth(platform())
                .json(body)
                .send()
                .await
                .unwrap(),
        )
        .await
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
