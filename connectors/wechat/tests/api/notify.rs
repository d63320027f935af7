//! A trade settled in the background is reported to its notifyUrl with a connector token.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::{HttpRequest, HttpResponse, web};
use connector_contract::shared::auth::{JwtVerifier, Role};
use connector_contract::shared::testing;
use connector_contract::{Ret, TradeAnswer};
use serde_json::{Value, json};

use crate::helpers::*;

type Seen = Arc<Mutex<Vec<(Option<String>, Value)>>>;

fn spawn_receiver() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let data = web::Data::new(seen.clone());
    let base = testing::serve_stand_in(1, move |cfg| {
        cfg.app_data(data.clone()).route(
            "/payNotify",
            web::post().to(
                |req: HttpRequest, body: web::Json<Value>, seen: web::Data<Seen>| async move {
                    let auth = req
                        .headers()
                        .get("authorization")
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_string);
                    seen.lock().unwrap().push((auth, body.into_inner()));
                    HttpResponse::Ok().json(json!({}))
                },
            ),
        );
    });
    (format!("{base}/payNotify"), seen)
}

#[tokio::test]
async fn a_pay_settled_in_the_background_is_notified_with_a_connector_token() {
    let (app, m) = spawn_with_merchant().await;
    let (url, seen) = spawn_receiver();
    let t = serial('1');
    let mut body = pay_body(&t, &m, Some(USERPAYING_THEN_PAID), 300);
    body["notifyUrl"] = json!(url);
    let (status, first) = app.contract("pay", &body).await;
    assert_eq!((status, first["ret"].as_str()), (200, Some("running")));
    let done = app.settled(&t, "pay").await;
    assert_eq!(done.ret, Ret::Success);

    let started = Instant::now();
    while seen.lock().unwrap().is_empty() && started.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1, "{seen:?}");
    let (auth, notified) = &seen[0];
    let caller = JwtVerifier::from_settings(&testing::settings())
        .unwrap()
        .verify_header(auth.as_deref())
        .unwrap();
    assert!(caller.has(Role::Connector));
    let notified: TradeAnswer = serde_json::from_value(notified.clone()).unwrap();
    assert_eq!(notified, done);
}
