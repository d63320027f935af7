//! The background worker: finishes every trade that was answered `running`.
//!
//! State lives in `wechat_trades`, never only in memory: the worker started by
//! `Application::build` (the shared job loop, `shared::jobs`) takes due pending rows (after a
//! restart too), claims each with a lease (a conditional update, so replicas sharing a
//! database never work on one trade together) and performs one step:
//!
//! | step          | call                   | then                                                        |
//! |---------------|------------------------|-------------------------------------------------------------|
//! | `query`       | `/pay/orderquery`      | SUCCESS → success; CLOSED/REVOKED → failed; PAYERROR → reverse; otherwise again every `query_interval_ms` until `query_budget_ms` from the start, then reverse |
//! | `reverse`     | `/secapi/pay/reverse`  | done (`recall=N`) → failed, "reversed"; no answer, SYSTEMERROR or `recall=Y` → again (backoff); refused → settle |
//! | `settle`      | `/pay/orderquery`      | paid → success; closed or failed → failed; unpaid once the payment code has expired → failed; otherwise again |
//! | `refund`      | `/secapi/pay/refund`   | accepted → refundquery; refused → failed; unclear → refundquery |
//! | `refundquery` | `/pay/refundquery`     | SUCCESS/CHANGE → success; REFUNDCLOSE → failed; REFUNDNOTEXIST → refund (same out_refund_no); otherwise again (backoff) |

use std::sync::Arc;
use std::time::Duration;

use connector_contract::shared::jobs::{Jobs, Runner};
use connector_contract::shared::time::now_ms;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tracing::Instrument;

use crate::connector::WechatConnector;
use crate::db::models::{TradeChange, TradeRow};
use crate::db::repo;
use crate::domain::outcome::{self, QueryState, RefundDecision, RefundState, ReverseResult};
use crate::domain::trade::{Kind, Status, Step, backoff_ms};
use crate::error::Error;

/// Trades one pass takes at most.
const BATCH: i64 = 32;
/// Steps running at once.
const CONCURRENCY: usize = 16;
/// How long a payment code stays usable after the pay started: an unpaid trade whose reverse
/// WeChat Pay refused cannot be paid any more after this.
const AUTH_CODE_TTL_MS: i64 = 120_000;

/// Runs the worker until `stop` turns true or its sender is dropped: passes at half the
/// shortest wait of the settings (20 ms to 1 s), and at once when a trade becomes pending.
pub fn spawn(c: Arc<WechatConnector>, stop: watch::Receiver<bool>) -> JoinHandle<()> {
    let s = c.wx.settings();
    let shortest = s.query_interval_ms.min(s.system_error_wait_ms).min(s.reverse_retry_ms);
    let tick = Duration::from_millis((shortest / 2).clamp(20, 1_000));
    Runner::new("wechat-worker", tick)
        .batch(BATCH)
        .concurrency(CONCURRENCY)
        .kick(c.kick.clone())
        .spawn(Arc::new(Trades(c)), stop)
}

/// `wechat_trades` as the job runner's table: each claimed trade gets its next step.
struct Trades(Arc<WechatConnector>);

impl Jobs for Trades {
    type Row = TradeRow;
    type Error = Error;

    async fn due(&self, now: i64, limit: i64) -> Result<Vec<TradeRow>, Error> {
        self.0.db().run(move |conn| repo::due(conn, now, limit)).await
    }

    async fn claim(&self, row: &TradeRow, now: i64, lease: i64) -> Result<bool, Error> {
        let id = row.id;
        self.0.db().run(move |conn| repo::claim(conn, id, now, lease)).await
    }

    fn lease_ms(&self) -> i64 {
        self.0.lease_ms()
    }

    async fn work(self: Arc<Self>, row: TradeRow, lease: i64) {
        let span = tracing::info_span!("wechat step", traction_no = %row.traction_no, step = %row.step);
        step(&self.0, row, lease).instrument(span).await;
    }
}

async fn step(c: &WechatConnector, row: TradeRow, lease: i64) {
    let now = now_ms();
    let Some(m) = row.sub_merchant() else {
        tracing::error!("a pending trade without a sub-merchant; parked");
        let change = TradeChange::later(row.step, now + 300_000).reason("no sub-merchant recorded");
        write(c, &row, lease, change).await;
        return;
    };
    let tn = row.traction_no.as_str();
    let s = c.wx.settings();
    let again = |step: Step, base: u64| {
        TradeChange::later(step, now + backoff_ms(base, row.attempts)).attempts(row.attempts + 1)
    };
    let change = match (row.kind, row.step) {
        (Kind::Pay, Step::Micropay | Step::Query) => {
            match outcome::orderquery(&c.wx.orderquery(&m, tn).await, tn, row.asked()) {
                QueryState::Paid {
                    transaction_id,
                    time_end,
                } => paid(transaction_id, time_end, now),
                QueryState::Closed(why) => TradeChange::finished(Status::Failed, now)
                    .reason(why.clone())
                    .wx_state(state_of(&why)),
                QueryState::PayError(why) => TradeChange::later(Step::Reverse, now)
                    .attempts(0)
                    .reason(why)
                    .wx_state("PAYERROR"),
                QueryState::NotPaid(why) | QueryState::Unclear(why) if now >= row.deadline_at => {
                    let secs = s.query_budget_ms / 1000;
                    TradeChange::later(Step::Reverse, now)
                        .attempts(0)
                        .reason(format!("not paid within {secs} s ({why})"))
                        .wx_state(state_of(&why))
                }
                QueryState::NotPaid(why) | QueryState::Unclear(why) => {
                    let next = (now + s.query_interval_ms as i64).min(row.deadline_at);
                    TradeChange::later(Step::Query, next)
                        .attempts(row.attempts + 1)
                        .reason(why.clone())
                        .wx_state(state_of(&why))
                }
            }
        }
        (Kind::Pay, Step::Reverse) => match outcome::reverse(&c.wx.reverse(&m, tn).await) {
            ReverseResult::Done => {
                let why = row.reason.clone().unwrap_or_else(|| "not paid in time".into());
                TradeChange::finished(Status::Failed, now)
                    .reason(format!("reversed (撤销): {why}"))
                    .wx_state("REVOKED")
            }
            ReverseResult::Again(why) => {
                tracing::warn!(why, "reverse must be repeated");
                again(Step::Reverse, s.reverse_retry_ms)
            }
            ReverseResult::Refused(why) => {
                tracing::error!(why, "WeChat Pay refused to reverse; the trade's own state decides");
                let before = row.reason.clone().unwrap_or_default();
                TradeChange::later(Step::Settle, now)
                    .attempts(0)
                    .reason(format!("{before}; {why}"))
            }
        },
        (Kind::Pay, Step::Settle) => match outcome::orderquery(&c.wx.orderquery(&m, tn).await, tn, row.asked()) {
            QueryState::Paid {
                transaction_id,
                time_end,
            } => paid(transaction_id, time_end, now),
            QueryState::Closed(why) | QueryState::PayError(why) => TradeChange::finished(Status::Failed, now)
                .reason(why.clone())
                .wx_state(state_of(&why)),
            QueryState::NotPaid(why) if now >= row.deadline_at + AUTH_CODE_TTL_MS => {
                TradeChange::finished(Status::Failed, now)
                    .reason(format!("not paid, and the payment code has expired ({why})"))
                    .wx_state(state_of(&why))
            }
            QueryState::NotPaid(_) | QueryState::Unclear(_) => again(Step::Settle, s.reverse_retry_ms),
        },
        (Kind::Refund, Step::Refund) => {
            let pay_tn = row.pay_traction_no.clone().unwrap_or_default();
            match outcome::refund(
                &c.wx.refund(&m, &pay_tn, tn, row.total_fee, row.amount).await,
                tn,
                row.asked(),
            ) {
                RefundDecision::Accepted { refund_id } => TradeChange::later(Step::RefundQuery, now)
                    .attempts(0)
                    .third_no(refund_id),
                RefundDecision::Failed(why) => TradeChange::finished(Status::Failed, now).reason(why),
                RefundDecision::Unclear(why) => again(Step::RefundQuery, s.system_error_wait_ms).reason(why),
            }
        }
        (Kind::Refund, Step::RefundQuery) => {
            match outcome::refundquery(&c.wx.refundquery(&m, tn).await, tn, row.asked()) {
                RefundState::Success { refund_id, at, note } => {
                    let mut change = TradeChange::finished(Status::Success, at.unwrap_or(now))
                        .third_no(refund_id)
                        .wx_state(if note.is_some() { "CHANGE" } else { "SUCCESS" });
                    change.reason = note;
                    change
                }
                RefundState::Closed(why) => TradeChange::finished(Status::Failed, now)
                    .reason(why)
                    .wx_state("REFUNDCLOSE"),
                // WeChat Pay never got it: send the same refund again (deduplicated by
                // out_refund_no, so this can never refund twice).
                RefundState::NotFound => TradeChange::later(Step::Refund, now).attempts(0),
                RefundState::Processing => again(Step::RefundQuery, s.query_interval_ms).wx_state("PROCESSING"),
                RefundState::Unclear(why) => again(Step::RefundQuery, s.query_interval_ms).reason(why),
            }
        }
        (kind, step) => {
            tracing::error!(
                ?kind,
                ?step,
                "a pending trade in a step the worker does not know; parked"
            );
            TradeChange::later(row.step, now + 300_000)
        }
    };
    tracing::info!(?change, "step done");
    write(c, &row, lease, change).await;
}

/// WeChat Pay says the pay went through (at `time_end`, else now): the trade succeeded.
fn paid(transaction_id: String, time_end: Option<i64>, now: i64) -> TradeChange {
    TradeChange::finished(Status::Success, time_end.unwrap_or(now))
        .third_no(Some(transaction_id))
        .wx_state("SUCCESS")
}

/// The state word of a reason such as `"CLOSED: 已关闭"`.
fn state_of(why: &str) -> String {
    why.split(':').next().unwrap_or(why).trim().to_string()
}

/// Writes the step's outcome under the lease; a trade that this settled is notified.
async fn write(c: &WechatConnector, row: &TradeRow, lease: i64, change: TradeChange) {
    let finished = change.status.is_some();
    let (id, tn) = (row.id, row.traction_no.clone());
    let result = c
        .db()
        .run(move |conn| {
            let ok = repo::advance(conn, id, lease, &change, now_ms())?;
            Ok::<_, Error>(if ok { repo::trade(conn, &tn)? } else { None })
        })
        .await;
    match result {
        Ok(Some(updated)) if finished => {
            tracing::info!(traction_no = %updated.traction_no, status = %updated.status, reason = ?updated.reason, "trade settled");
            if let Some(url) = updated.notify_url.as_deref() {
                c.notifier.send(url, &c.answer_of(&updated)).await;
            }
        }
        Ok(Some(_)) => {}
        Ok(None) => tracing::warn!(traction_no = %row.traction_no, "the trade changed under the worker's lease"),
        Err(e) => {
            tracing::error!(traction_no = %row.traction_no, error = %e, "recording a step failed; it is retried when the lease lapses")
        }
    }
}
