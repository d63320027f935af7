//! A second test connector, registered as `standin`, for what the scripted one cannot show: it
//! counts every call per order and can hold a cancel until the test lets it go. Its behaviour
//! is chosen by the pay's `payParams.script`:
//! - `lost-once`: the first pay answers 503 and is not recorded; a re-send succeeds. Query
//!   answers 404 until the pay was recorded, then success.
//! - `hang`: pay, query and cancel answer only after `HANG`, past the platform's timeout.
//! - `gated`: pay answers running; a cancel waits until the test opens the gate, then succeeds.
//! - `jitter`: pay answers running; a cancel succeeds after a few milliseconds.
//!
//! Cancels are idempotent by their serial: a repeat answers success at once.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use actix_web::web;
use connector_contract::server;
use connector_contract::types::{PayRequest, QueryKind, QueryRequest, RefundRequest, TradeAnswer};
use connector_contract::{Connector, ConnectorError};
use payserver_shared::auth::JwtVerifier;
use payserver_shared::{http, testing};
use tokio::sync::Semaphore;

pub const NAME: &str = "standin";

/// How long a `hang` call takes: longer than the test platform's connector timeout.
pub const HANG: Duration = Duration::from_millis(1_500);

struct Pay {
    script: String,
    /// Times the pay was sent.
    sends: u32,
    /// Whether the books took it.
    recorded: bool,
}

#[derive(Default)]
struct Books {
    pays: HashMap<String, Pay>,
    /// (operation, pay tractionNo) of every call, in arrival order.
    calls: Vec<(&'static str, String)>,
    /// pay tractionNo → the serial of the cancel that reversed it.
    cancelled: HashMap<String, String>,
    /// pay tractionNo of every cancel that arrived (before it was answered).
    cancels_arrived: Vec<String>,
    /// Calls being answered right now.
    in_flight: usize,
}

pub struct StandIn {
    books: Mutex<Books>,
    gate: Semaphore,
}

impl Default for StandIn {
    fn default() -> Self {
        Self {
            books: Mutex::new(Books::default()),
            gate: Semaphore::new(0),
        }
    }
}

/// Counts a call as in flight while it is alive (also when the caller gives up and the
/// server drops it).
struct InFlight<'a>(&'a StandIn);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.books.lock().unwrap().in_flight -= 1;
    }
}

impl StandIn {
    fn arrive(&self, op: &'static str, pay_traction_no: &str) -> (InFlight<'_>, String) {
        let mut b = self.books.lock().unwrap();
        b.calls.push((op, pay_traction_no.to_string()));
        b.in_flight += 1;
        let script = b
            .pays
            .get(pay_traction_no)
            .map(|p| p.script.clone())
            .unwrap_or_default();
        (InFlight(self), script)
    }

    /// Calls of `op` (`pay`, `query`, `cancel`) about this pay.
    pub fn calls(&self, op: &str, pay_traction_no: &str) -> usize {
        let b = self.books.lock().unwrap();
        b.calls.iter().filter(|(o, t)| *o == op && t == pay_traction_no).count()
    }

    /// Distinct pays that got at least one call of `op`.
    pub fn distinct(&self, op: &str) -> usize {
        let b = self.books.lock().unwrap();
        let mut seen: Vec<&String> = b.calls.iter().filter(|(o, _)| *o == op).map(|(_, t)| t).collect();
        seen.sort();
        seen.dedup();
        seen.len()
    }

    pub fn in_flight(&self) -> usize {
        self.books.lock().unwrap().in_flight
    }

    pub fn cancel_arrived(&self, pay_traction_no: &str) -> bool {
        self.books
            .lock()
            .unwrap()
            .cancels_arrived
            .iter()
            .any(|t| t == pay_traction_no)
    }

    /// The serial of the cancel that reversed this pay, if one did.
    pub fn cancelled(&self, pay_traction_no: &str) -> Option<String> {
        self.books.lock().unwrap().cancelled.get(pay_traction_no).cloned()
    }

    /// Lets `n` held cancels through.
    pub fn open_gate(&self, n: usize) {
        self.gate.add_permits(n);
    }
}

impl Connector for StandIn {
    const NAME: &'static str = NAME;

    async fn pay(&self, req: PayRequest) -> Result<TradeAnswer, ConnectorError> {
        let t = req.traction_no.clone();
        let script = testing::text_param(&req.pay_params, "script", "gated");
        let lost = {
            let mut b = self.books.lock().unwrap();
            let p = b.pays.entry(t.clone()).or_insert(Pay {
                script: script.clone(),
                sends: 0,
                recorded: false,
            });
            p.sends += 1;
            // `lost-once`: the first call dies before the books; the next is the first they see.
            let lost = script == "lost-once" && p.sends == 1;
            p.recorded |= !lost;
            lost
        };
        let (_guard, _) = self.arrive("pay", &t);
        match script.as_str() {
            _ if lost => Err(ConnectorError::Unavailable("books offline".into())),
            "lost-once" => Ok(TradeAnswer::success(&t, format!("S{t}"), "2026-11-22 10:00:00".into())),
            "hang" => {
                tokio::time::sleep(HANG).await;
                Ok(TradeAnswer::running(&t))
            }
            _ => Ok(TradeAnswer::running(&t)),
        }
    }

    async fn refund(&self, req: RefundRequest) -> Result<TradeAnswer, ConnectorError> {
        let pay = req.pay_traction_no.clone();
        let serial = req.traction_no.clone();
        if req.is_cancel != 1 {
            return Err(ConnectorError::BadRequest("the stand-in only cancels".into()));
        }
        let (_guard, script) = self.arrive("cancel", &pay);
        self.books.lock().unwrap().cancels_arrived.push(pay.clone());
        if self.cancelled(&pay).is_some() {
            return Ok(TradeAnswer::success(
                &serial,
                format!("C{serial}"),
                "2026-11-22 10:00:00".into(),
            ));
        }
        match script.as_str() {
            "" => return Err(ConnectorError::UnknownTraction(pay)),
            "hang" => {
                tokio::time::sleep(HANG).await;
                return Ok(TradeAnswer::running(&serial));
            }
            "gated" => {
                self.gate.acquire().await.expect("the gate stays open").forget();
            }
            "jitter" => {
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.subsec_nanos());
                let ms = u64::from(nanos % 40);
                tokio::time::sleep(Duration::from_millis(ms)).await;
            }
            _ => {}
        }
        self.books.lock().unwrap().cancelled.insert(pay, serial.clone());
        Ok(TradeAnswer::success(
            &serial,
            format!("C{serial}"),
            "2026-11-22 10:00:00".into(),
        ))
    }

    async fn query(&self, req: QueryRequest) -> Result<TradeAnswer, ConnectorError> {
        let t = req.traction_no.clone();
        if req.kind == QueryKind::Refund {
            return Err(ConnectorError::UnknownTraction(t));
        }
        let (_guard, script) = self.arrive("query", &t);
        let recorded = self.books.lock().unwrap().pays.get(&t).is_some_and(|p| p.recorded);
        match script.as_str() {
            "hang" => {
                tokio::time::sleep(HANG).await;
                Ok(TradeAnswer::running(&t))
            }
            _ if !recorded => Err(ConnectorError::UnknownTraction(t)),
            "lost-once" => Ok(TradeAnswer::success(&t, format!("S{t}"), "2026-11-22 10:00:00".into())),
            _ => Ok(TradeAnswer::running(&t)),
        }
    }
}

/// Serves a stand-in on a free loopback port; its base URL.
pub fn spawn(stand_in: web::Data<StandIn>) -> String {
    let settings = testing::settings();
    let verifier = web::Data::new(JwtVerifier::from_settings(&settings).expect("test settings verify tokens"));
    testing::serve_stand_in(4, move |cfg| {
        cfg.app_data(verifier.clone())
            .app_data(stand_in.clone())
            .configure(|cfg| http::extractor_configs(cfg, 1 << 20))
            .configure(server::configure::<StandIn>);
    })
}
