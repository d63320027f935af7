//! The server and the conformance kit against an in-memory reference connector, and the
//! client's rule that only definite answers are outcomes.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use actix_web::{App, HttpResponse, HttpServer, web};
use connector_contract::client::{ConnectorClient, Outcome};
use connector_contract::conformance::{Fixture, check};
use connector_contract::shared::auth::{Role, Scope, ServiceToken};
use connector_contract::shared::client::{ConnectorRegistry, ServiceClient};
use connector_contract::shared::{auth::JwtVerifier, http, testing};
use connector_contract::*;
use serde_json::{Map, json};

/// Charges a wallet per merchant; idempotent by tractionNo.
#[derive(Default)]
struct Wallet {
    balance: Mutex<i64>,
    done: Mutex<HashMap<String, TradeAnswer>>,
}

impl Wallet {
    /// The answer already given to `traction_no`, else `decide`'s (given the balance), kept
    /// for the next time: what makes both calls idempotent.
    fn once(
        &self,
        traction_no: &str,
        decide: impl FnOnce(&mut i64) -> TradeAnswer,
    ) -> Result<TradeAnswer, ConnectorError> {
        let mut done = self.done.lock().unwrap();
        if let Some(a) = done.get(traction_no) {
            return Ok(a.clone());
        }
        let answer = decide(&mut self.balance.lock().unwrap());
        done.insert(traction_no.to_string(), answer.clone());
        Ok(answer)
    }
}

impl Connector for Wallet {
    const NAME: &'static str = "wallet";

    async fn pay(&self, req: PayRequest) -> Result<TradeAnswer, ConnectorError> {
        self.once(&req.traction_no, |balance| {
            if req.pay_params.get("wallet").and_then(|v| v.as_str()) != Some("ok") {
                TradeAnswer::failed(&req.traction_no, "unknown wallet")
            } else if *balance < req.pay_amount {
                TradeAnswer::failed(&req.traction_no, "insufficient balance")
            } else {
                *balance -= req.pay_amount;
                TradeAnswer::success(
                    &req.traction_no,
                    format!("W{}", req.traction_no),
                    "2026-01-01 00:00:00".into(),
                )
            }
        })
    }

    async fn refund(&self, req: RefundRequest) -> Result<TradeAnswer, ConnectorError> {
        self.once(&req.traction_no, |balance| {
            *balance += req.refund_amount;
            TradeAnswer::success(
                &req.traction_no,
                format!("R{}", req.traction_no),
                "2026-01-01 00:00:00".into(),
            )
        })
    }

    async fn query(&self, req: QueryRequest) -> Result<TradeAnswer, ConnectorError> {
        self.done
            .lock()
            .unwrap()
            .get(&req.traction_no)
            .cloned()
            .ok_or(ConnectorError::UnknownTraction(req.traction_no))
    }
}

fn spawn_wallet(balance: i64) -> String {
    let settings = testing::settings();
    let verifier = web::Data::new(JwtVerifier::from_settings(&settings).unwrap());
    let wallet = web::Data::new(Wallet {
        balance: Mutex::new(balance),
        ..Default::default()
    });
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = HttpServer::new(move || {
        App::new()
            .wrap(actix_web::middleware::from_fn(http::request_context))
            .app_data(verifier.clone())
            .app_data(wallet.clone())
            .configure(|cfg| http::extractor_configs(cfg, 1 << 20))
            .configure(server::configure::<Wallet>)
    })
    .listen(listener)
    .unwrap()
    .workers(1)
    .run();
    tokio::spawn(server);
    format!("http://127.0.0.1:{port}")
}

#[tokio::test]
async fn a_correct_connector_passes_the_conformance_kit() {
    let base_url = spawn_wallet(10_000);
    let mut ok = Map::new();
    ok.insert("wallet".into(), json!("ok"));
    let mut failing = Map::new();
    failing.insert("wallet".into(), json!("nope"));
    check(&Fixture {
        base_url,
        service_token: testing::connector_call_token("wallet"),
        merchant_uuid: "m1".into(),
        pay_params_ok: ok,
        pay_params_failing: failing,
        amount: 100,
        supports_query: true,
    })
    .await;
}

#[tokio::test]
async fn only_services_may_call_the_contract_urls() {
    let base = spawn_wallet(100);
    let resp = reqwest::Client::new()
        .post(format!("{base}/connector/checkEnv"))
        .bearer_auth(testing::token(Some("m1"), &[Role::Merchant]))
        .json(&json!({"merchantUUID": "m1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 403);
}

#[tokio::test]
async fn the_contract_urls_take_only_the_platforms_token_for_this_connector() {
    let base = spawn_wallet(100);
    let call = |token: String| {
        let base = base.clone();
        async move {
            reqwest::Client::new()
                .post(format!("{base}/connector/checkEnv"))
                .bearer_auth(token)
                .json(&json!({"merchantUUID": "m1"}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(call(testing::connector_call_token("wallet")).await, 200);
    // What the platform gave another (say, a partner's) connector does not work here, nor
    // does the internal service token, a public service token or a connector's own one.
    assert_eq!(call(testing::connector_call_token("acme")).await, 403);
    assert_eq!(call(testing::service_token()).await, 403);
    assert_eq!(call(testing::token(None, &[Role::Service])).await, 403);
    assert_eq!(call(testing::connector_token("wallet")).await, 403);
}

#[tokio::test]
async fn each_registered_connector_gets_its_own_token_and_other_urls_none() {
    use std::sync::{Arc, Mutex};
    /// (path, Authorization header) of every request received.
    type Seen = Arc<Mutex<Vec<(String, Option<String>)>>>;
    let seen: Seen = Arc::default();
    let recorder = {
        let seen = seen.clone();
        move |req: actix_web::HttpRequest| {
            let seen = seen.clone();
            async move {
                let auth = req
                    .headers()
                    .get("authorization")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                seen.lock().unwrap().push((req.path().to_string(), auth));
                HttpResponse::Ok().json(json!({"tractionNo": "1", "ret": "running"}))
            }
        }
    };
    let base = testing::serve_stand_in(1, move |cfg| {
        cfg.default_service(web::to(recorder.clone()));
    });
    let mut settings = testing::settings();
    let registered = format!("{base}/acme");
    settings
        .auth
        .partner_connectors
        .insert("acme".into(), registered.clone());
    let token = std::sync::Arc::new(ServiceToken::from_settings(&settings).unwrap());
    let client = ConnectorClient::new(
        ServiceClient::new(Duration::from_millis(2000), token),
        ConnectorRegistry::from_settings(&settings),
    );
    let req = QueryRequest {
        traction_no: "1".into(),
        kind: QueryKind::Pay,
    };
    client.query(&format!("{registered}/connector/query"), &req, None).await;
    client.query(&format!("{base}/merchant/query"), &req, None).await;
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    let bearer = seen[0].1.as_deref().expect("the registered connector gets a token");
    let verifier = JwtVerifier::from_settings(&settings).unwrap();
    let caller = verifier.verify_header(Some(bearer)).unwrap();
    assert_eq!(caller.scope, Scope::ConnectorCall("acme".into()));
    assert_eq!(seen[1].1, None, "an unregistered URL gets no credential");
}

/// A misbehaving connector: slow, failing, or answering garbage, by path.
fn spawn_misbehaving() -> String {
    async fn handler(req: actix_web::HttpRequest) -> HttpResponse {
        match req.path() {
            "/slow" => {
                tokio::time::sleep(Duration::from_secs(3)).await;
                HttpResponse::Ok().json(json!({"tractionNo": "1", "ret": "success"}))
            }
            "/boom" => HttpResponse::InternalServerError().finish(),
            "/garbage" => HttpResponse::Ok().body("<html>hello</html>"),
            "/other" => HttpResponse::Ok().json(json!({"tractionNo": "999", "ret": "success"})),
            "/missing" => HttpResponse::NotFound().json(json!({"name": "NotFound", "statusCode": 404, "code": 4040, "message": "unknown tractionNo 1", "description": ""})),
            "/refuse" => HttpResponse::BadRequest().json(json!({"name": "BadRequest", "statusCode": 400, "code": 4000, "message": "no such accounter", "description": ""})),
            _ => HttpResponse::Ok().json(json!({"tractionNo": "1", "ret": "failed", "thirdErrorReason": "declined"})),
        }
    }
    testing::serve_stand_in(1, |cfg| {
        cfg.default_service(web::to(handler));
    })
}

#[tokio::test]
async fn timeouts_5xx_and_garbage_are_unknown_and_only_answers_or_refusals_are_definite() {
    let base = spawn_misbehaving();
    let settings = testing::settings();
    let token = std::sync::Arc::new(ServiceToken::from_settings(&settings).unwrap());
    let client = ConnectorClient::new(
        ServiceClient::new(Duration::from_millis(500), token),
        Default::default(),
    );
    let req = QueryRequest {
        traction_no: "1".into(),
        kind: QueryKind::Pay,
    };
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://127.0.0.1:{}", l.local_addr().unwrap().port())
    };
    assert!(matches!(
        client.query(&format!("{base}/slow"), &req, None).await,
        Outcome::Unknown(_)
    ));
    assert!(matches!(
        client.query(&format!("{base}/boom"), &req, None).await,
        Outcome::Unknown(_)
    ));
    assert!(matches!(
        client.query(&format!("{base}/garbage"), &req, None).await,
        Outcome::Unknown(_)
    ));
    assert!(matches!(
        client.query(&format!("{base}/other"), &req, None).await,
        Outcome::Unknown(_)
    ));
    assert!(
        matches!(client.query(&format!("{base}/refuse"), &req, None).await, Outcome::Rejected(ref m) if m.contains("no such accounter"))
    );
    assert!(
        matches!(client.query(&format!("{base}/missing"), &req, None).await, Outcome::NotFound(ref m) if m.contains("unknown tractionNo"))
    );
    match client.query(&format!("{closed}/x"), &req, None).await {
        Outcome::Unreachable(why) => assert!(!why.contains("127.0.0.1"), "no internal address in {why:?}"),
        other => panic!("{other:?}"),
    }
    match client.query(&format!("{base}/ok"), &req, None).await {
        Outcome::Answer(a) => assert_eq!(
            (a.ret, a.third_error_reason.as_deref()),
            (Ret::Failed, Some("declined"))
        ),
        other => panic!("{other:?}"),
    }
}
