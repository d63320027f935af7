//! A second test connector, `flaky`, for what the scripted one cannot play: refunds that never
//! reach the channel's books, and a channel whose queries are slow enough to watch two
//! resolvers. Pays always succeed. Refunds, by `clientExtraParams.refundScript`:
//!
//! - `lost`: every call answers 503 and is never booked; query answers 404 (never seen);
//! - `lost-once`: the first call answers 503 and is not booked, a later one refunds;
//! - `hold`: booked as running for ever; query answers running after `QUERY_DELAY`;
//! - anything else: refunded at once.
//!
//! It counts refund calls, bookings and queries per tractionNo, and the largest number of
//! queries it ever served for one tractionNo at the same time.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::web;
use connector_contract::shared::auth::JwtVerifier;
use connector_contract::shared::{http, testing};
use connector_contract::{
    Connector, ConnectorError, PayRequest, QueryKind, QueryRequest, RefundRequest, TradeAnswer, server,
};

pub const NAME: &str = "flaky";
pub const QUERY_DELAY: Duration = Duration::from_millis(250);

#[derive(Default)]
struct Books {
    /// refund tractionNo → script, when booked.
    refunds: HashMap<String, String>,
    /// refund tractionNo → when each call of refundUrl arrived.
    calls: HashMap<String, Vec<Instant>>,
    /// refund tractionNo → when each query arrived.
    queries: HashMap<String, Vec<Instant>>,
    in_flight: HashMap<String, u32>,
    max_in_flight: u32,
}

#[derive(Default)]
pub struct Flaky {
    books: Mutex<Books>,
}

impl Flaky {
    /// When the calls of refundUrl for this refund arrived.
    pub fn refund_calls(&self, traction_no: &str) -> Vec<Instant> {
        self.books
            .lock()
            .unwrap()
            .calls
            .get(traction_no)
            .cloned()
            .unwrap_or_default()
    }

    /// Queries served so far, over all refunds.
    pub fn total_queries(&self) -> usize {
        self.books.lock().unwrap().queries.values().map(Vec::len).sum()
    }

    pub fn booked(&self, traction_no: &str) -> bool {
        self.books.lock().unwrap().refunds.contains_key(traction_no)
    }

    /// The most queries ever served at once for one tractionNo.
    pub fn max_concurrent_queries(&self) -> u32 {
        self.books.lock().unwrap().max_in_flight
    }
}

fn success(t: &str) -> TradeAnswer {
    TradeAnswer::success(t, format!("F{t}"), "2026-11-22 10:00:00".into())
}

impl Connector for Flaky {
    const NAME: &'static str = NAME;

    async fn pay(&self, req: PayRequest) -> Result<TradeAnswer, ConnectorError> {
        Ok(TradeAnswer::success(
            &req.traction_no,
            format!("FP{}", req.traction_no),
            "2026-11-22 10:00:00".into(),
        ))
    }

    async fn refund(&self, req: RefundRequest) -> Result<TradeAnswer, ConnectorError> {
        let script = testing::text_param(&req.client_extra_params, "refundScript", "ok");
        let t = req.traction_no;
        let mut books = self.books.lock().unwrap();
        let calls = {
            let seen = books.calls.entry(t.clone()).or_default();
            seen.push(Instant::now());
            seen.len()
        };
        if let Some(booked) = books.refunds.get(&t) {
            // Idempotent: a booked refund answers what it is.
            return Ok(if booked == "hold" {
                TradeAnswer::running(&t)
            } else {
                success(&t)
            });
        }
        match script.as_str() {
            "lost" => Err(ConnectorError::Unavailable("books offline".into())),
            "lost-once" if calls == 1 => Err(ConnectorError::Unavailable("books offline".into())),
            "hold" => {
                books.refunds.insert(t.clone(), script);
                Ok(TradeAnswer::running(&t))
            }
            _ => {
                books.refunds.insert(t.clone(), script);
                Ok(success(&t))
            }
        }
    }

    async fn query(&self, req: QueryRequest) -> Result<TradeAnswer, ConnectorError> {
        let t = req.traction_no;
        if req.kind != QueryKind::Refund {
            return Ok(success(&t));
        }
        let script = {
            let mut books = self.books.lock().unwrap();
            books.queries.entry(t.clone()).or_default().push(Instant::now());
            let script = books.refunds.get(&t).cloned();
            if script.as_deref() == Some("hold") {
                let n = books.in_flight.entry(t.clone()).or_insert(0);
                *n += 1;
                let n = *n;
                books.max_in_flight = books.max_in_flight.max(n);
            }
            script
        };
        match script.as_deref() {
            None => Err(ConnectorError::UnknownTraction(t)),
            Some("hold") => {
                tokio::time::sleep(QUERY_DELAY).await;
                *self.books.lock().unwrap().in_flight.get_mut(&t).unwrap() -= 1;
                Ok(TradeAnswer::running(&t))
            }
            Some(_) => Ok(success(&t)),
        }
    }
}

/// Serves the connector on a free loopback port; its base URL.
pub fn spawn(connector: web::Data<Flaky>) -> String {
    let settings = testing::settings();
    let verifier = web::Data::new(JwtVerifier::from_settings(&settings).unwrap());
    testing::serve_stand_in(2, move |cfg| {
        cfg.app_data(verifier.clone())
            .app_data(connector.clone())
            .configure(|cfg| http::extractor_configs(cfg, 1 << 20))
            .configure(server::configure::<Flaky>);
    })
}

/// A merchant's own endpoint, registered as no connector: it takes calls without any
/// credential; pays succeed, refunds stay running. Its base URL.
pub fn spawn_unregistered() -> String {
    async fn pay(body: web::Json<PayRequest>) -> web::Json<TradeAnswer> {
        let t = &body.traction_no;
        web::Json(TradeAnswer::success(t, format!("U{t}"), "2026-11-22 10:00:00".into()))
    }
    async fn refund(body: web::Json<RefundRequest>) -> web::Json<TradeAnswer> {
        web::Json(TradeAnswer::running(&body.traction_no))
    }
    testing::serve_stand_in(1, |cfg| {
        cfg.route("/connector/pay", web::post().to(pay))
            .route("/connector/refund", web::post().to(refund));
    })
}
