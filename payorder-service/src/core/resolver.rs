//! The resolver of `paying` orders (API.md A.4: no order stays `paying` forever, and none is
//! marked failed while the channel may still hold the money).
//!
//! Every `resolver_interval_ms` each replica reads due rows of `pay_order_checks` and claims
//! them one by one; each claim computes its lease from the moment it is taken (checks.rs), and
//! every action on an answer re-checks in its transaction that the lease is still this one.
//! For each claimed order:
//!
//! **Before expiry** it asks the channel: `queryUrl` when the order has one. A definite answer
//! settles the order (`success` → `payed` + trade record, `failed` → `payFailed`). A query
//! answered 404 means the pay never reached the channel's books (its first call got a 5xx or
//! broke): the pay is re-sent with the same tractionNo (the contract makes pay idempotent, so
//! a pay that did arrive is answered from the books and never charged twice). Without a
//! `queryUrl` the re-send is how the outcome is asked. Anything else: again later, with
//! doubling backoff, but never later than the order's expiry.
//!
//! **After expiry** it asks once more (a definite answer still settles; a query 404 means
//! nothing was charged → `payFailed`), then cancels at the channel (refundUrl, `isCancel: 1`,
//! under the order's own cancel serial). The order fails (`EXPIRED`) when the channel confirms
//! it holds nothing: the cancel succeeded, or it answered 404 (no such pay). A cancel the
//! connector refuses (other 4xx, or unreachable) also ends an order without `queryUrl`: the
//! channel would not act on a pay it holds and nothing else can be asked. Where a query
//! exists and did not answer definitely (it said `running`, or gave no answer), the channel
//! may hold the money, and a refused or unanswered cancel is retried with capped backoff —
//! the order stays `paying` rather than fail while money may be held. So an order is decided
//! at its expiry check, one backoff window after expiry at most, unless the channel keeps
//! giving no definite answer.
//!
//! **A late success** (a notification, or a query by another path) may settle the order
//! `payed` while the expiry cancel is on its way; when the cancel then succeeds, the channel
//! has returned the money. The failure settlement moves nothing (the order is no longer
//! `paying`); the resolver reads the real state, counts the contradiction and journals the
//! reversal (`orders::journal_reversal`): the order becomes `refunded` and the journal gets a
//! `refund` row for the whole amount under the cancel serial, so the books follow the money.
//! The resolver records that the cancel was sent before sending it (`checks.cancel_sent_at`);
//! a late success then keeps the order's row, so that if the cancel's own answer is lost
//! (timeout), the cancel is followed up (sent again, same serial) until the channel says
//! whether it reversed the pay.
//!
//! The cancel serial is `3` + the pay tractionNo's digits after its leading `1`: fixed per
//! order (repeated cancels are one operation at the connector) and in a space of its own —
//! pays are `1…` (`ids::traction_no('1')` here) and refunds `2…` (`ids::traction_no('2')` in
//! refund-service), so a cancel can never share a serial with a refund, at the connector or in
//! the journal.

use std::sync::Arc;

use connector_contract::client::Outcome;
use connector_contract::types::{QueryKind, QueryRequest, RefundRequest, Ret, TradeAnswer};
use payserver_shared::ApiError;
use payserver_shared::db::DbError;
use payserver_shared::http::RequestId;
use payserver_shared::jobs::{Jobs, Runner, backoff_ms};
use payserver_shared::query;
use payserver_shared::time::now_ms;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::{Source, failure, pay_request, settle, settlement_of};
use crate::db::checks::{self, CancelMark};
use crate::db::models::OrderRow;
use crate::db::orders::{self, Reversal, Settled};
use crate::domain::{PayStatus, result_code};
use crate::startup::AppState;

/// Runs the resolver (passes every `resolver_interval_ms`, rows one after the other) until
/// `stop` turns true.
pub fn spawn(state: Arc<AppState>, stop: watch::Receiver<bool>) -> JoinHandle<()> {
    Runner::resolver("payorder-resolver", &state.settings).spawn(Arc::new(Resolver { state }), stop)
}

/// `pay_order_checks` as the job runner's table.
struct Resolver {
    state: Arc<AppState>,
}

/// A due row, as read before its claim.
struct Due {
    order_id: i64,
    attempts: i32,
    traction_no: String,
}

impl Jobs for Resolver {
    type Row = Due;
    type Error = ApiError;

    async fn due(&self, now: i64, limit: i64) -> Result<Vec<Due>, ApiError> {
        let due = query::run(&self.state.db, move |c| checks::due(c, now, limit)).await?;
        Ok(due
            .into_iter()
            .map(|(check, order)| Due {
                order_id: order.id,
                attempts: check.attempts,
                traction_no: order.traction_no,
            })
            .collect())
    }

    async fn claim(&self, row: &Due, now: i64, lease: i64) -> Result<bool, ApiError> {
        let id = row.order_id;
        query::run(&self.state.db, move |c| checks::claim(c, id, now, lease)).await
    }

    /// Long enough for a query and a cancel to time out; a crashed replica's lease lapses.
    fn lease_ms(&self) -> i64 {
        3 * self.state.settings.connector_timeout_ms as i64 + 5_000
    }

    async fn work(self: Arc<Self>, row: Due, lease: i64) {
        let state = &*self.state;
        let job = Job {
            order_id: row.order_id,
            attempts: row.attempts,
            lease,
        };
        let rid = RequestId(format!("resolver-{}", row.traction_no));
        // As it is now that the row is ours (the batch was read before the claim).
        let id = row.order_id;
        let order = match state.db.run(move |c| orders::by_id(c, id).map_err(DbError::from)).await {
            Ok(Some(o)) => o,
            Ok(None) => return,
            Err(e) => {
                tracing::warn!(traction_no = %row.traction_no, error = %e, "could not read a claimed order; its lease will lapse");
                return;
            }
        };
        if let Err(e) = resolve(state, &job, &order, &rid).await {
            tracing::warn!(traction_no = %order.traction_no, error = %e, "resolving failed; retrying later");
            retry_later(state, &job, &order).await;
        }
    }

    /// The backlog gauge.
    async fn before_pass(&self) {
        payserver_shared::backlog::report(&self.state.db, "payorder", checks::backlog).await;
    }
}

/// One claimed row of the backlog.
struct Job {
    order_id: i64,
    attempts: i32,
    /// This claim's lease, also its fencing token.
    lease: i64,
}

/// What the channel said, and what it calls for.
enum Verdict {
    /// A definite answer about the pay: settle by it.
    Answer(TradeAnswer),
    /// The channel confirms nothing was charged: the order fails, for this reason.
    NothingTaken(&'static str),
    /// The expiry cancel succeeded (its answer and serial): the channel holds nothing now.
    Cancelled(TradeAnswer, String),
    /// The order was settled by another path while this one looked: nothing to do.
    SettledElsewhere,
    /// Not known yet: ask again later.
    Later(String),
}

async fn resolve(state: &AppState, job: &Job, order: &OrderRow, rid: &RequestId) -> Result<(), ApiError> {
    if order.status != PayStatus::Paying {
        // Only an order whose expiry cancel was sent before a late success keeps its row.
        return follow_up_cancel(state, job, order, rid).await;
    }
    let verdict = if now_ms() > order.order_expired_at {
        after_expiry(state, job, order, rid).await?
    } else {
        before_expiry(state, order, rid).await
    };
    act(state, job, order, verdict).await
}

async fn query(state: &AppState, order: &OrderRow, rid: &RequestId) -> Option<Outcome<TradeAnswer>> {
    let query_url = order.route().query_url.filter(|u| !u.is_empty())?;
    let q = QueryRequest {
        traction_no: order.traction_no.clone(),
        kind: QueryKind::Pay,
    };
    Some(state.connectors.query(&query_url, &q, Some(rid)).await)
}

async fn before_expiry(state: &AppState, order: &OrderRow, rid: &RequestId) -> Verdict {
    match query(state, order, rid).await {
        Some(Outcome::Answer(a)) if a.ret != Ret::Running => return Verdict::Answer(a),
        Some(Outcome::Answer(_)) => return Verdict::Later("the channel says the pay is running".into()),
        Some(Outcome::Unknown(why) | Outcome::Rejected(why) | Outcome::Unreachable(why)) => return Verdict::Later(why),
        // Never seen by the channel: the pay did not arrive, send it (again).
        Some(Outcome::NotFound(_)) | None => {}
    }
    let pay_url = order.route().pay_url.unwrap_or_default();
    match state
        .connectors
        .pay(&pay_url, &pay_request(state, order), Some(rid))
        .await
    {
        Outcome::Answer(a) if a.ret != Ret::Running => Verdict::Answer(a),
        Outcome::Answer(_) => Verdict::Later("the channel says the pay is running".into()),
        // A refused re-send proves nothing about the first send.
        Outcome::Unknown(why) | Outcome::Rejected(why) | Outcome::NotFound(why) | Outcome::Unreachable(why) => {
            Verdict::Later(why)
        }
    }
}

async fn after_expiry(state: &AppState, job: &Job, order: &OrderRow, rid: &RequestId) -> Result<Verdict, ApiError> {
    // `Some(true)`: the order has a query and it did not answer definitely (the channel may
    // hold the money); `None`: the order has no query.
    let in_doubt = match query(state, order, rid).await {
        Some(Outcome::Answer(a)) if a.ret != Ret::Running => return Ok(Verdict::Answer(a)),
        Some(Outcome::NotFound(_)) => {
            return Ok(Verdict::NothingTaken(
                "the order expired and the channel has no record of the payment",
            ));
        }
        Some(_) => Some(true),
        None => None,
    };
    let Some(refund_url) = order.route().refund_url.filter(|u| !u.is_empty()) else {
        return Ok(Verdict::Later(
            "expired without a definite answer, and the mode has no refundUrl to cancel with".into(),
        ));
    };
    // Never cancel a pay another path settled while we asked; and once the cancel is on its
    // way, a late success no longer ends the resolver's interest in the order.
    let (id, lease) = (order.id, job.lease);
    match state
        .db
        .run(move |c| checks::mark_cancel_sent(c, id, lease, now_ms()))
        .await
        .map_err(ApiError::from)?
    {
        CancelMark::Marked => {}
        CancelMark::NotPaying | CancelMark::LeaseLost => return Ok(Verdict::SettledElsewhere),
    }
    let (req, serial) = cancel_request(order);
    Ok(match state.connectors.refund(&refund_url, &req, Some(rid)).await {
        Outcome::Answer(a) if a.ret == Ret::Success => Verdict::Cancelled(a, serial),
        Outcome::Answer(a) => Verdict::Later(format!("the channel answered the cancel with {:?}", a.ret)),
        Outcome::NotFound(_) => Verdict::NothingTaken("the order expired and the channel had no pay to cancel"),
        Outcome::Rejected(_) if in_doubt.is_none() => {
            Verdict::NothingTaken("the order expired and the channel refused to cancel a pay it does not hold")
        }
        // A cancel that never reached the connector says nothing about the pay.
        Outcome::Rejected(why) | Outcome::Unknown(why) | Outcome::Unreachable(why) => Verdict::Later(why),
    })
}

/// The expiry cancel of an order: the whole amount, under the order's own cancel serial.
fn cancel_request(order: &OrderRow) -> (RefundRequest, String) {
    let serial = cancel_serial(&order.traction_no);
    let req = RefundRequest {
        client_refund_no: format!("expire-{}", order.traction_no),
        traction_no: serial.clone(),
        pay_traction_no: order.traction_no.clone(),
        third_pay_no: order.third_pay_no.clone(),
        payee: order.payee.clone(),
        pay_amount: order.pay_amount,
        refund_amount: order.pay_amount,
        is_cancel: 1,
        notify_url: None,
        client_extra_params: Default::default(),
        merchant_uuid: order.merchant_uuid.clone(),
    };
    (req, serial)
}

/// A late success settled the order `payed` after its expiry cancel was sent, and that
/// cancel's outcome was not learnt. The cancel is sent again under the same serial (one
/// operation at the channel) until the channel says what became of it: reversed → the
/// reversal is journaled; refused or unknown to the channel → the pay stands.
async fn follow_up_cancel(state: &AppState, job: &Job, order: &OrderRow, rid: &RequestId) -> Result<(), ApiError> {
    let refund_url = order.route().refund_url.unwrap_or_default();
    let (req, serial) = cancel_request(order);
    let pay_stands = match state.connectors.refund(&refund_url, &req, Some(rid)).await {
        Outcome::Answer(a) if a.ret == Ret::Success => {
            super::report_contradiction(order, PayStatus::PayFailed, Source::Resolver);
            return journal_reversal(state, order.clone(), &a, &serial).await;
        }
        Outcome::Answer(a) if a.ret == Ret::Failed => "the channel refused the cancel",
        Outcome::NotFound(_) => {
            super::report_contradiction(order, PayStatus::PayFailed, Source::Resolver);
            "the channel has no pay to cancel"
        }
        Outcome::Answer(_) | Outcome::Unknown(_) | Outcome::Rejected(_) | Outcome::Unreachable(_) => {
            retry_later(state, job, order).await;
            return Ok(());
        }
    };
    tracing::info!(traction_no = %order.traction_no, why = pay_stands, "the late success stands; the expiry cancel did not reverse it");
    let (id, lease) = (job.order_id, job.lease);
    query::run(&state.db, move |c| checks::retire(c, id, lease)).await?;
    Ok(())
}

/// The order's own cancel serial (see the module documentation).
fn cancel_serial(pay_traction_no: &str) -> String {
    format!("3{}", pay_traction_no.get(1..).unwrap_or_default())
}

async fn act(state: &AppState, job: &Job, order: &OrderRow, verdict: Verdict) -> Result<(), ApiError> {
    let lease = Some(job.lease);
    let settled = match verdict {
        Verdict::SettledElsewhere => return Ok(()),
        Verdict::Later(why) => {
            tracing::debug!(traction_no = %order.traction_no, why, "outcome still unclear");
            retry_later(state, job, order).await;
            return Ok(());
        }
        Verdict::Answer(a) => {
            let s = settlement_of(state, &a).expect("a definite answer settles");
            settle(state, job.order_id, s, lease, Source::Resolver).await?
        }
        Verdict::NothingTaken(why) => {
            settle(
                state,
                job.order_id,
                failure(result_code::EXPIRED, why),
                lease,
                Source::Resolver,
            )
            .await?
        }
        Verdict::Cancelled(answer, serial) => {
            let reason = "the order expired unpaid and the channel reversed it";
            let s = failure(result_code::EXPIRED, reason);
            match settle(state, job.order_id, s, lease, Source::Resolver).await? {
                // The failure moved nothing because a late success settled the order: the
                // channel has given the money back, the books must say so.
                Settled::Unchanged(row) if row.status != PayStatus::PayFailed => {
                    return journal_reversal(state, row, &answer, &serial).await;
                }
                other => other,
            }
        }
    };
    if let Settled::LeaseLost = settled {
        tracing::info!(traction_no = %order.traction_no, "lease taken over by another replica; its holder decides");
    }
    Ok(())
}

/// Journals the reversal of a pay the expiry cancel returned after a late success.
async fn journal_reversal(state: &AppState, row: OrderRow, answer: &TradeAnswer, serial: &str) -> Result<(), ApiError> {
    let third_no = format!(
        "cancel:{}",
        answer
            .third_order_no
            .as_deref()
            .filter(|s| !s.is_empty())
            .unwrap_or(serial)
    );
    let (id, serial_owned) = (row.id, serial.to_string());
    let reversal = state
        .db
        .run(move |c| orders::journal_reversal(c, id, &serial_owned, &third_no, now_ms()))
        .await
        .map_err(ApiError::from)?;
    match reversal {
        Reversal::Journaled(row) => {
            tracing::error!(traction_no = %row.traction_no, cancel = serial, "a late success was reversed by the expiry cancel; the order is refunded and the journal has the reversal");
            super::count_outcome(&row);
        }
        Reversal::AlreadyJournaled => {}
        Reversal::Blocked(row) => {
            tracing::error!(traction_no = %row.traction_no, status = %row.status, refund_amount = row.refund_amount, refund_reserved = row.refund_reserved, cancel = serial, "the channel reversed this pay, but the order was refunded or is being refunded meanwhile: the books need an operator");
        }
    }
    Ok(())
}

/// Releases the lease with the next check: doubling backoff, but no later than just after the
/// order's expiry, so that every order gets its expiry check in time.
async fn retry_later(state: &AppState, job: &Job, order: &OrderRow) {
    let attempts = job.attempts.saturating_add(1);
    let now = now_ms();
    let mut next = now
        + backoff_ms(
            attempts,
            state.settings.resolver_backoff_ms,
            state.settings.resolver_backoff_max_ms,
        );
    if now <= order.order_expired_at {
        next = next.min(order.order_expired_at + 1);
    }
    let (id, lease) = (job.order_id, job.lease);
    match state
        .db
        .run(move |c| checks::reschedule(c, id, lease, next, attempts).map_err(DbError::from))
        .await
    {
        Ok(true) => {}
        Ok(false) => {
            tracing::info!(traction_no = %order.traction_no, "lease taken over by another replica; not rescheduled")
        }
        Err(e) => tracing::warn!(error = %e, "could not reschedule a check; its lease will lapse"),
    }
}

#[cfg(test)]
mod tests {
    use super::cancel_serial;

    #[test]
    fn cancel_serials_live_apart_from_pay_and_refund_serials() {
        let pay = "11764590000000123456";
        let cancel = cancel_serial(pay);
        assert_eq!(cancel, "31764590000000123456");
        assert_eq!(cancel.len(), pay.len());
        assert!(!cancel.starts_with('1') && !cancel.starts_with('2'));
    }
}
