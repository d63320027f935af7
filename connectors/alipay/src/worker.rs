//! Background resolution of pending trades. The state lives in the database, so a restart (or
//! another replica) picks up where a driver stopped:
//!
//! - a *driver* works on one trade while holding its lease (`lease_owner`, `lease_until`,
//!   taken with a conditional update, so two processes never work on the same trade), one
//!   step at a time at `next_at`;
//! - the *recovery loop* (started with the application, then every `recovery_interval_ms`)
//!   starts drivers for pending trades that are due and that nobody holds.
//!
//! Pay steps: `alipay.trade.query` every `query_interval_ms` until `query_until` (paid →
//! success, closed → failed), then `alipay.trade.cancel`, retried while `retry_flag=Y` or
//! without an answer, backing off up to `retry_max_ms`; `action` close or refund → failed.
//! Refund steps: `alipay.trade.fastpay.refund.query`, and when Alipay has no such refund, the
//! same `alipay.trade.refund` again (same `out_request_no`, so it is never made twice).

use std::time::Duration;

use connector_contract::shared::ids::new_uuid;
use connector_contract::shared::time::now_ms;
use serde_json::json;

use crate::connector::{AlipayConnector, Final};
use crate::db::models::TradeRow;
use crate::db::repo::{self, Step};
use crate::domain::answer::{
    CancelDecision, QueryDecision, RefundDecision, after_cancel, after_query, after_refund, after_refund_query,
};
use crate::domain::{Kind, Phase, Status};
use crate::gateway::Reply;

/// Removes a trade from the in-process set when its driver ends, however it ends.
struct Active(AlipayConnector, String);

impl Drop for Active {
    fn drop(&mut self) {
        self.0
            .inner()
            .active
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.1);
    }
}

/// What a step decided.
enum Next {
    Done(Final),
    Again {
        phase: Phase,
        attempts: i32,
        next_at: i64,
        trade_no: Option<String>,
        note: String,
    },
}

impl AlipayConnector {
    /// Starts a driver for a trade unless this process already runs one.
    pub(crate) fn spawn_driver(&self, traction_no: String, owner: String) {
        let fresh = self
            .inner()
            .active
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(traction_no.clone());
        if !fresh {
            return;
        }
        let me = self.clone();
        self.inner().runtime.spawn(async move {
            let _active = Active(me.clone(), traction_no.clone());
            me.drive(&traction_no, &owner).await;
        });
    }

    /// Starts the recovery loop.
    pub fn start_recovery(&self) {
        let me = self.clone();
        self.inner().runtime.spawn(async move { me.recover().await });
    }

    /// Sleeps `ms`; `false` when the application is stopping.
    async fn pause(&self, ms: i64) -> bool {
        let mut rx = self.inner().shutdown.clone();
        if *rx.borrow() {
            return false;
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(ms.max(0) as u64)) => true,
            _ = rx.changed() => false,
        }
    }

    async fn recover(&self) {
        loop {
            let now = now_ms();
            match self.inner().db.run(move |conn| repo::orphans(conn, now, 100)).await {
                Ok(list) => {
                    for traction_no in list {
                        tracing::info!(traction_no = %traction_no, "resuming a pending alipay trade");
                        self.spawn_driver(traction_no, new_uuid());
                    }
                }
                Err(e) => tracing::warn!(error = %e, "alipay recovery: cannot read pending trades"),
            }
            if !self
                .pause(self.inner().settings.recovery_interval_ms.max(10) as i64)
                .await
            {
                return;
            }
        }
    }

    async fn drive(&self, traction_no: &str, owner: &str) {
        loop {
            let row = match self.load(traction_no).await {
                Ok(Some(row)) if row.status() == Status::Pending => row,
                Ok(_) => return,
                Err(e) => {
                    tracing::warn!(traction_no, error = %e, "alipay driver: database unavailable");
                    if !self.pause(self.interval_ms()).await {
                        return;
                    }
                    continue;
                }
            };
            if !self.pause(row.next_at - now_ms()).await {
                self.release(traction_no, owner).await;
                return;
            }
            let (t, o, until) = (traction_no.to_string(), owner.to_string(), now_ms() + self.lease_ms());
            let claimed = self
                .inner()
                .db
                .run(move |conn| {
                    let now = now_ms();
                    Ok::<_, crate::error::Error>(if repo::claim(conn, &t, &o, until, now)? {
                        repo::trade(conn, &t)?
                    } else {
                        None
                    })
                })
                .await;
            let row = match claimed {
                Ok(Some(row)) if row.status() == Status::Pending => row,
                Ok(_) => return,
                Err(e) => {
                    tracing::warn!(traction_no, error = %e, "alipay driver: cannot take the lease");
                    if !self.pause(self.interval_ms()).await {
                        return;
                    }
                    continue;
                }
            };
            let next = self.step(&row).await;
            let saved = match next {
                Next::Done(outcome) => self.finish(&row, outcome).await.map(drop),
                Next::Again {
                    phase,
                    attempts,
                    next_at,
                    trade_no,
                    note,
                } => {
                    tracing::debug!(traction_no, phase = phase.as_str(), attempts, note = %note, "alipay trade still pending");
                    let (t, o) = (traction_no.to_string(), owner.to_string());
                    self.inner()
                        .db
                        .run(move |conn| {
                            let step = Step {
                                phase,
                                attempts,
                                next_at,
                                trade_no: trade_no.as_deref(),
                                note: Some(note.as_str()),
                            };
                            repo::reschedule(conn, &t, &o, &step, now_ms())
                        })
                        .await
                        .map(drop)
                }
            };
            if let Err(e) = saved {
                tracing::warn!(traction_no, error = %e, "alipay driver: cannot record a step");
                if !self.pause(self.interval_ms()).await {
                    return;
                }
            }
        }
    }

    async fn release(&self, traction_no: &str, owner: &str) {
        let (t, o) = (traction_no.to_string(), owner.to_string());
        if let Err(e) = self.inner().db.run(move |conn| repo::release(conn, &t, &o)).await {
            tracing::warn!(traction_no, error = %e, "alipay driver: cannot release the lease");
        }
    }

    /// The wait before the next attempt of a cancel or refund: the query interval, doubled
    /// per attempt, at most `retry_max_ms`.
    fn backoff(&self, attempts: i32) -> i64 {
        let max = self.inner().settings.retry_max_ms.max(1) as i64;
        self.interval_ms()
            .saturating_mul(1i64 << attempts.clamp(0, 20))
            .min(max.max(self.interval_ms()))
    }

    async fn step(&self, row: &TradeRow) -> Next {
        let token = match self.token(&row.merchant_uuid).await {
            Ok(Some(t)) => t,
            Ok(None) => {
                // Never decide without the merchant's authorization: calls would look at the
                // wrong account. Wait for the token to come back.
                return Next::Again {
                    phase: row.phase(),
                    attempts: row.attempts,
                    next_at: now_ms() + self.backoff(row.attempts),
                    trade_no: row.trade_no.clone(),
                    note: "the merchant's app_auth_token was removed; cannot ask Alipay".into(),
                };
            }
            Err(e) => {
                return Next::Again {
                    phase: row.phase(),
                    attempts: row.attempts,
                    next_at: now_ms() + self.interval_ms(),
                    trade_no: row.trade_no.clone(),
                    note: format!("database: {e}"),
                };
            }
        };
        match (row.kind(), row.phase()) {
            (Kind::Refund, _) => self.refund_step(row, &token).await,
            (Kind::Pay, Phase::Cancelling) => self.cancel_step(row, &token).await,
            (Kind::Pay, _) => self.query_step(row, &token).await,
        }
    }

    /// Asks `alipay.trade.query`; `Err` carries what to note when undecided.
    async fn query_trade(&self, row: &TradeRow, token: &str) -> Result<Final, (Option<String>, String)> {
        let biz = json!({ "out_trade_no": row.out_trade_no });
        match self.inner().gateway.call("alipay.trade.query", Some(token), &biz).await {
            Reply::Answer(node) => match after_query(&node) {
                QueryDecision::Paid(p) => Ok(Final::Success {
                    trade_no: p.trade_no,
                    at: p.paid_at,
                }),
                QueryDecision::Closed => Ok(Final::Failed(
                    "Alipay closed the trade: the customer did not pay (TRADE_CLOSED)".into(),
                )),
                QueryDecision::Waiting => Err((
                    node.str("trade_no").map(str::to_string),
                    format!(
                        "query: {}",
                        node.str("trade_status").map_or_else(|| node.reason(), str::to_string)
                    ),
                )),
            },
            Reply::Unknown(why) => Err((None, why)),
        }
    }

    async fn query_step(&self, row: &TradeRow, token: &str) -> Next {
        let (trade_no, note) = match self.query_trade(row, token).await {
            Ok(outcome) => return Next::Done(outcome),
            Err(undecided) => undecided,
        };
        let trade_no = trade_no.or_else(|| row.trade_no.clone());
        let now = now_ms();
        if now >= row.query_until {
            Next::Again {
                phase: Phase::Cancelling,
                attempts: 0,
                next_at: now,
                trade_no,
                note: format!("{note}; not paid in time: cancelling"),
            }
        } else {
            Next::Again {
                phase: Phase::Querying,
                attempts: row.attempts + 1,
                next_at: (now + self.interval_ms()).min(row.query_until),
                trade_no,
                note,
            }
        }
    }

    async fn cancel_step(&self, row: &TradeRow, token: &str) -> Next {
        let biz = json!({ "out_trade_no": row.out_trade_no });
        let budget_s = self.inner().settings.query_budget_ms / 1000;
        let note = match self
            .inner()
            .gateway
            .call("alipay.trade.cancel", Some(token), &biz)
            .await
        {
            Reply::Answer(node) => match after_cancel(&node) {
                CancelDecision::Cancelled { action } => {
                    let why = match action.as_deref() {
                        Some("refund") => format!(
                            "the customer did not complete the payment within {budget_s}s: cancelled at Alipay and the money returned (alipay.trade.cancel action=refund)"
                        ),
                        other => format!(
                            "the customer did not pay within {budget_s}s: cancelled at Alipay (alipay.trade.cancel action={})",
                            other.unwrap_or("close")
                        ),
                    };
                    return Next::Done(Final::Failed(why));
                }
                CancelDecision::NoSuchTrade => {
                    return Next::Done(Final::Failed(
                        "the payment never reached Alipay (alipay.trade.cancel: ACQ.TRADE_NOT_EXIST)".into(),
                    ));
                }
                CancelDecision::Retry => format!("cancel: retry ({})", node.reason()),
                CancelDecision::Refused(why) => {
                    // Too late to cancel, or not allowed: whatever the trade became decides.
                    match self.query_trade(row, token).await {
                        Ok(outcome) => return Next::Done(outcome),
                        Err((_, q)) => format!("cancel refused: {why}; {q}"),
                    }
                }
            },
            Reply::Unknown(why) => format!("cancel: {why}"),
        };
        Next::Again {
            phase: Phase::Cancelling,
            attempts: row.attempts + 1,
            next_at: now_ms() + self.backoff(row.attempts),
            trade_no: row.trade_no.clone(),
            note,
        }
    }

    async fn refund_step(&self, row: &TradeRow, token: &str) -> Next {
        let gw = &self.inner().gateway;
        let query = gw
            .call(
                "alipay.trade.fastpay.refund.query",
                Some(token),
                &Self::refund_query_biz(row),
            )
            .await;
        let note = match query {
            Reply::Answer(node) => {
                if let Some(r) = after_refund_query(&node, &row.traction_no) {
                    return Next::Done(Final::Success {
                        trade_no: r.trade_no,
                        at: r.refunded_at,
                    });
                }
                if node.code() == "10000" {
                    // Alipay has no such refund: make it (the same out_request_no and amount,
                    // so a refund that did happen meanwhile is not made twice).
                    match gw
                        .call("alipay.trade.refund", Some(token), &Self::refund_biz(row))
                        .await
                    {
                        Reply::Answer(node) => match after_refund(&node) {
                            RefundDecision::Refunded(r) => {
                                return Next::Done(Final::Success {
                                    trade_no: r.trade_no,
                                    at: r.refunded_at,
                                });
                            }
                            RefundDecision::Failed(why) => return Next::Done(Final::Failed(why)),
                            RefundDecision::AskRefundQuery | RefundDecision::Unknown => {
                                format!("refund: {}", node.reason())
                            }
                        },
                        Reply::Unknown(why) => format!("refund: {why}"),
                    }
                } else {
                    format!("refund query: {}", node.reason())
                }
            }
            Reply::Unknown(why) => format!("refund query: {why}"),
        };
        Next::Again {
            phase: Phase::Refunding,
            attempts: row.attempts + 1,
            next_at: now_ms() + self.backoff(row.attempts),
            trade_no: row.trade_no.clone(),
            note,
        }
    }
}
