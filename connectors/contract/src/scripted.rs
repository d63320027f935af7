//! A scripted connector for services' tests (payorder-service, refund-service, the full
//! chain): its behaviour is chosen by the request. Not used in production.
//!
//! Pays, by `payParams.script`:
//! - `ok`: success at once; `decline`: failed;
//! - `running`: running, and query answers success;
//! - `slow`: answers after the caller's timeout (the pay happens), query answers success;
//! - `stuck`: running forever; cancel (refund with isCancel) succeeds;
//! - `lost`: the pay never reaches the books (it answers 503); query answers 404.
//!
//! Refunds, by `clientExtraParams.refundScript`: `ok` (default) success at once; `decline`
//! failed; `running` running, query answers success; `slow` succeeds after 1 s and is unknown
//! to query until then (a call dropped midway never happened). Cancels (`isCancel: 1`) are
//! recorded in `cancels`; like a real channel, a cancel of a pay the books never took answers
//! 404 (the platform then knows nothing was charged).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use crate::shared::auth::JwtVerifier;
use crate::shared::{http, testing};
use crate::*;
use actix_web::{App, HttpServer, web};

#[derive(Default)]
pub struct Scripted {
    /// tractionNo → (script, times the pay was executed).
    pays: Mutex<HashMap<String, (String, u32)>>,
    pub cancels: Mutex<Vec<String>>,
    /// refund tractionNo → (script, times executed).
    refunds: Mutex<HashMap<String, (String, u32)>>,
}

impl Scripted {
    pub fn executions(&self, traction_no: &str) -> u32 {
        self.pays.lock().unwrap().get(traction_no).map_or(0, |p| p.1)
    }

    pub fn total_executions(&self) -> u32 {
        self.pays.lock().unwrap().values().map(|p| p.1).sum()
    }

    /// Times the refund with this tractionNo was executed (0 or 1).
    pub fn refund_executions(&self, traction_no: &str) -> u32 {
        self.refunds.lock().unwrap().get(traction_no).map_or(0, |r| r.1)
    }
}

fn script(req: &PayRequest) -> String {
    req.pay_params
        .get("script")
        .and_then(|v| v.as_str())
        .unwrap_or("ok")
        .to_string()
}

impl Connector for Scripted {
    const NAME: &'static str = "scripted";

    async fn pay(&self, req: PayRequest) -> Result<TradeAnswer, ConnectorError> {
        let s = script(&req);
        let first = {
            let mut pays = self.pays.lock().unwrap();
            let entry = pays.entry(req.traction_no.clone()).or_insert((s.clone(), 0));
            // Idempotent: executed once however often it is sent.
            let first = entry.1 == 0;
            if first && s != "lost" {
                entry.1 = 1;
            }
            first
        };
        let t = &req.traction_no;
        match s.as_str() {
            "decline" => Ok(TradeAnswer::failed(t, "insufficient funds")),
            "running" | "stuck" => Ok(TradeAnswer::running(t)),
            "slow" => {
                // Slow the first time; a repeat is answered from the books.
                if first {
                    tokio::time::sleep(Duration::from_millis(1500)).await;
                }
                Ok(TradeAnswer::success(t, format!("T{t}"), "2026-11-22 10:00:00".into()))
            }
            "lost" => Err(ConnectorError::Unavailable("books offline".into())),
            _ => Ok(TradeAnswer::success(t, format!("T{t}"), "2026-11-22 10:00:00".into())),
        }
    }

    async fn refund(&self, req: RefundRequest) -> Result<TradeAnswer, ConnectorError> {
        if req.is_cancel == 1 {
            let taken = self
                .pays
                .lock()
                .unwrap()
                .get(&req.pay_traction_no)
                .is_some_and(|p| p.1 > 0);
            if !taken {
                return Err(ConnectorError::UnknownTraction(req.pay_traction_no.clone()));
            }
            self.cancels.lock().unwrap().push(req.pay_traction_no.clone());
        }
        let s = req
            .client_extra_params
            .get("refundScript")
            .and_then(|v| v.as_str())
            .unwrap_or("ok")
            .to_string();
        let t = req.traction_no.clone();
        let done = |this: &Self, executed: u32| {
            this.refunds.lock().unwrap().insert(t.clone(), (s.clone(), executed));
        };
        let already = self.refunds.lock().unwrap().get(&t).cloned();
        if let Some((_, 1)) = already {
            return Ok(TradeAnswer::success(&t, format!("R{t}"), "2026-11-22 10:00:00".into()));
        }
        match s.as_str() {
            "decline" => {
                done(self, 0);
                Ok(TradeAnswer::failed(&t, "refund declined by the channel"))
            }
            "running" => {
                done(self, 0);
                Ok(TradeAnswer::running(&t))
            }
            "slow" => {
                // Unknown to the books until it completes: a call dropped midway never happened.
                tokio::time::sleep(Duration::from_millis(1000)).await;
                done(self, 1);
                Ok(TradeAnswer::success(&t, format!("R{t}"), "2026-11-22 10:00:00".into()))
            }
            _ => {
                done(self, 1);
                Ok(TradeAnswer::success(&t, format!("R{t}"), "2026-11-22 10:00:00".into()))
            }
        }
    }

    async fn query(&self, req: QueryRequest) -> Result<TradeAnswer, ConnectorError> {
        let t = &req.traction_no;
        if req.kind == QueryKind::Refund {
            let refunds = self.refunds.lock().unwrap();
            return match refunds.get(t) {
                Some((s, _)) if s == "decline" => Ok(TradeAnswer::failed(t, "refund declined by the channel")),
                Some((_, 1)) => Ok(TradeAnswer::success(t, format!("R{t}"), "2026-11-22 10:00:00".into())),
                Some((s, _)) if s == "running" => {
                    Ok(TradeAnswer::success(t, format!("R{t}"), "2026-11-22 10:00:00".into()))
                }
                Some(_) => Ok(TradeAnswer::running(t)),
                None => Err(ConnectorError::UnknownTraction(t.clone())),
            };
        }
        let pays = self.pays.lock().unwrap();
        match pays.get(t).map(|p| p.0.as_str()) {
            None | Some("lost") => Err(ConnectorError::UnknownTraction(t.clone())),
            Some("stuck") => Ok(TradeAnswer::running(t)),
            Some("decline") => Ok(TradeAnswer::failed(t, "insufficient funds")),
            Some(_) => Ok(TradeAnswer::success(t, format!("T{t}"), "2026-11-22 10:00:00".into())),
        }
    }
}

/// Serves a scripted connector on a free loopback port; its base URL.
pub fn spawn(connector: web::Data<Scripted>) -> String {
    let settings = testing::settings();
    let verifier = web::Data::new(JwtVerifier::from_settings(&settings).expect("test settings verify tokens"));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let port = listener.local_addr().expect("bound").port();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(verifier.clone())
            .app_data(connector.clone())
            .configure(|cfg| http::extractor_configs(cfg, 1 << 20))
            .configure(server::configure::<Scripted>)
    })
    .listen(listener)
    .expect("listen")
    .workers(2)
    .run();
    tokio::spawn(server);
    format!("http://127.0.0.1:{port}")
}
