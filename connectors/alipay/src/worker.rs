//! Background resolution of pending trades. The state lives in the database, so a restart (or
//! another replica) picks up where a process stopped: the worker (the shared job loop,
//! `shared::jobs`, passing every `query_interval_ms / 2`, at most every
//! `recovery_interval_ms`, 10 ms to 1 s) takes the pending trades that are due and that nobody
//! holds, leases each (`lease_owner`, `lease_until`, taken with a conditional update, so two
//! processes never work on the same trade), performs one step and records the next one at
//! `next_at`, giving the lease back.
//!
//! Pay steps: `alipay.trade.query` every `query_interval_ms` until `query_until` (paid →
//! success, closed → failed), then `alipay.trade.cancel`, retried while `retry_flag=Y` or
//! without an answer, backing off up to `retry_max_ms`; `action` close or refund → failed.
//! Refund steps: `alipay.trade.fastpay.refund.query`, and when Alipay has no such refund, the
//! same `alipay.trade.refund` again (same `out_request_no`, so it is never made twice).

use std::sync::Arc;
use std::time::Duration;

use connector_contract::shared::ids::new_uuid;
use connector_contract::shared::jobs::{self, Jobs, Runner};
use connector_contract::shared::time::now_ms;
use serde_json::json;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tracing::Instrument;

use crate::connector::{AlipayConnector, Final};
use crate::db::repo::{self, Step};
use crate::db::schema::TradeRow;
use crate::domain::answer::{
    CancelDecision, QueryDecision, RefundDecision, after_cancel, after_query, after_refund, after_refund_query,
};
use crate::domain::{Kind, Phase, Status};
use crate::error::Error;
use crate::gateway::Reply;

/// Trades one pass takes at most.
const BATCH: i64 = 64;
/// Steps running at once.
const CONCURRENCY: usize = 32;

/// Runs the worker until `stop` turns true or its sender is dropped; the steps in flight
/// then finish (and give their leases back).
pub fn spawn(c: AlipayConnector, stop: watch::Receiver<bool>) -> JoinHandle<()> {
    let s = &c.inner().settings;
    let tick = (s.query_interval_ms / 2).min(s.recovery_interval_ms).clamp(10, 1_000);
    Runner::new("alipay-worker", Duration::from_millis(tick))
        .batch(BATCH)
        .concurrency(CONCURRENCY)
        .spawn(Arc::new(Trades(c)), stop)
}

/// `alipay_trades` as the job runner's table.
struct Trades(AlipayConnector);

/// A due trade, and the owner its claim leases it to.
struct Due {
    traction_no: String,
    owner: String,
}

impl Jobs for Trades {
    type Row = Due;
    type Error = Error;

    async fn due(&self, now: i64, limit: i64) -> Result<Vec<Due>, Error> {
        let due = self.0.inner().db.run(move |conn| repo::due(conn, now, limit)).await?;
        Ok(due
            .into_iter()
            .map(|traction_no| Due {
                traction_no,
                owner: new_uuid(),
            })
            .collect())
    }

    async fn claim(&self, due: &Due, now: i64, lease: i64) -> Result<bool, Error> {
        let (t, o) = (due.traction_no.clone(), due.owner.clone());
        self.0
            .inner()
            .db
            .run(move |conn| repo::claim(conn, &t, &o, lease, now))
            .await
    }

    fn lease_ms(&self) -> i64 {
        self.0.lease_ms()
    }

    async fn work(self: Arc<Self>, due: Due, _lease: i64) {
        let span = tracing::info_span!("alipay step", traction_no = %due.traction_no);
        self.0.work(&due.traction_no, &due.owner).instrument(span).await;
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
    /// One step of a trade just leased to `owner`. When its outcome cannot be recorded, the
    /// lease lapses and the trade is taken again.
    async fn work(&self, traction_no: &str, owner: &str) {
        // As it is now that it is ours (the batch was read before the claim).
        let row = match self.load(traction_no).await {
            Ok(Some(row)) if row.status == Status::Pending => row,
            Ok(_) => return,
            Err(e) => {
                tracing::warn!(error = %e, "alipay worker: cannot read a claimed trade; its lease will lapse");
                return;
            }
        };
        let saved = match self.step(&row).await {
            Next::Done(outcome) => self.finish(&row, outcome).await.map(drop),
            Next::Again {
                phase,
                attempts,
                next_at,
                trade_no,
                note,
            } => {
                tracing::debug!(%phase, attempts, note = %note, "alipay trade still pending");
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
            tracing::warn!(error = %e, "alipay worker: cannot record a step; its lease will lapse");
        }
    }

    /// The wait before the next attempt of a cancel or refund: the query interval, doubled
    /// per attempt, at most `retry_max_ms`.
    fn backoff(&self, attempts: i32) -> i64 {
        let interval = self.interval_ms() as u64;
        jobs::backoff_ms(attempts, interval, self.inner().settings.retry_max_ms.max(interval))
    }

    async fn step(&self, row: &TradeRow) -> Next {
        let token = match self.token(&row.merchant_uuid).await {
            Ok(Some(t)) => t,
            Ok(None) => {
                // Never decide without the merchant's authorization: calls would look at the
                // wrong account. Wait for the token to come back.
                return Next::Again {
                    phase: row.phase,
                    attempts: row.attempts,
                    next_at: now_ms() + self.backoff(row.attempts),
                    trade_no: row.trade_no.clone(),
                    note: "the merchant's app_auth_token was removed; cannot ask Alipay".into(),
                };
            }
            Err(e) => {
                return Next::Again {
                    phase: row.phase,
                    attempts: row.attempts,
                    next_at: now_ms() + self.interval_ms(),
                    trade_no: row.trade_no.clone(),
                    note: format!("database: {e}"),
                };
            }
        };
        match (row.kind, row.phase) {
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
                QueryDecision::Paid(p) => Ok(p.into()),
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
        self.retry(row, Phase::Cancelling, note)
    }

    /// Another try of `phase` after the backoff of one more failed attempt; `note` says why.
    fn retry(&self, row: &TradeRow, phase: Phase, note: String) -> Next {
        Next::Again {
            phase,
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
                    return Next::Done(r.into());
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
                                return Next::Done(r.into());
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
        self.retry(row, Phase::Refunding, note)
    }
}
