//! The refund saga (ARCHITECTURE.md "Refund"). [`advance`] moves a refund order as far as it
//! can go from its stored state; the request handler, notifications and the resolver all
//! drive it, so a crash anywhere is repaired by calling it again:
//!
//! - `unRefund` → reserve the amount on the pay order → `refunding`;
//! - `refunding` with no connector answer → call refundUrl (the handler), or ask queryUrl /
//!   re-send the refund, idempotent by tractionNo (the resolver); offline pays need no call.
//!   A refund the channel never received is sent again within its window
//!   ([`crate::domain::resend_window_ms`]) and failed after it; one the channel may have made
//!   stays open, however long that takes;
//! - a definite answer is recorded first (`connector_ret`, once: the first definite word
//!   stands, and a later different one is a contradiction, logged and counted), then the pay
//!   order is told: success → confirm → `refunded`; failure → release → `refundFailed`.
//!
//! Whoever calls the connector holds the refund's lease (`refund_checks.lease_until`) and acts
//! on the answer only if the lease is still its own: a worker that was too slow may have been
//! overtaken by another, which could be re-sending the refund at that very moment.

pub mod notify;
pub mod refund;
pub mod resolver;

use connector_contract::client::Outcome;
use connector_contract::types::{QueryKind, QueryRequest, RefundRequest, Ret, TradeAnswer};
use payserver_shared::ApiError;
use payserver_shared::db::DbError;
use payserver_shared::http::RequestId;
use payserver_shared::time::now_ms;
use refund_saga::{Held, Reservation, Reserve};

use crate::db::checks;
use crate::db::models::RefundRow;
use crate::db::refunds::{self, Reserved};
use crate::domain::{ConnectorInfo, ConnectorRet, RefundBusinessRet, RefundStatus, resend_window_ms, result_code};
use crate::startup::AppState;
use crate::upstream::Step;

/// Who drives the saga: the first call may trust a refused connector call (it was the only
/// one); the resolver may not, and asks instead of calling; a notification only carries a
/// recorded answer through to the pay order and calls nobody.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Driver {
    Handler,
    Resolver,
    Notify,
}

impl Driver {
    /// Where a contradiction this driver runs into is counted.
    fn source(self) -> &'static str {
        match self {
            Driver::Handler => "answer",
            Driver::Resolver => "resolver",
            Driver::Notify => "notify",
        }
    }
}

pub enum Progress {
    /// `refunded` or `refundFailed`.
    Settled(RefundRow),
    /// Waiting on someone; the resolver will drive it again.
    Pending(RefundRow, String),
    /// The pay order refused the refund before anything was held (handler only).
    Refused(ApiError),
}

async fn db<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&mut payserver_shared::db::DbConnection) -> Result<T, DbError> + Send + 'static,
) -> Result<T, ApiError> {
    state.db.run(f).await.map_err(ApiError::from)
}

fn refund_request(state: &AppState, row: &RefundRow) -> RefundRequest {
    let info = row.connector_info();
    RefundRequest {
        client_refund_no: row.client_refund_no.clone(),
        traction_no: row.traction_no.clone(),
        pay_traction_no: row.pay_traction_no.clone(),
        third_pay_no: info.third_pay_no,
        payee: info.payee,
        pay_amount: info.pay_amount,
        refund_amount: row.refund_amount.unwrap_or_default(),
        is_cancel: row.is_cancel,
        notify_url: Some(state.notify_url.clone()),
        client_extra_params: serde_json::from_str(&row.client_extra_params).unwrap_or_default(),
        merchant_uuid: row.merchant_uuid.clone(),
    }
}

/// When the refund's window ends (epoch ms): until then a refund the channel never received
/// is sent again.
pub fn window_end(state: &AppState, row: &RefundRow) -> i64 {
    let window = resend_window_ms(
        state.settings.resolver_backoff_max_ms,
        state.settings.connector_timeout_ms,
    );
    row.refund_start_at.saturating_add(window)
}

/// What the connector's word means for a refund in flight that has no recorded answer.
enum Heard {
    /// An answer to the contract: success, failed or running.
    Answer(TradeAnswer),
    /// Certainly nothing was refunded: the first call was refused, or the channel has no
    /// record of the refund and its window has passed.
    Nothing { code: &'static str, reason: String },
    /// The channel may or may not have the refund; ask again later.
    Unclear(String),
}

/// The first call of refundUrl (handler). A refusal is definite: this was the only call.
async fn call(state: &AppState, row: &RefundRow, url: &str, rid: &RequestId) -> Heard {
    match state
        .connectors
        .refund(url, &refund_request(state, row), Some(rid))
        .await
    {
        Outcome::Answer(a) => Heard::Answer(a),
        Outcome::Unknown(why) => Heard::Unclear(why),
        Outcome::Rejected(why) | Outcome::NotFound(why) | Outcome::Unreachable(why) => Heard::Nothing {
            code: result_code::CONNECTOR_REJECTED,
            reason: why,
        },
    }
}

/// Asks the connector again (resolver): queryUrl when there is one. A refund the query has
/// never seen did not arrive: within its window it is re-sent (idempotent by tractionNo),
/// after it nothing was refunded. Without a queryUrl the re-send is the only question, and
/// an idempotent connector answers it with what it did; its 404 then means it has no record.
async fn ask(state: &AppState, row: &RefundRow, url: &str, rid: &RequestId) -> Heard {
    let within = now_ms() < window_end(state, row);
    let never_arrived = || Heard::Nothing {
        code: result_code::EXPIRED,
        reason: "the channel has no record of the refund and its window has passed; nothing was refunded".into(),
    };
    let query_url = row.connector_info().query_url.filter(|u| !u.is_empty());
    if let Some(query_url) = &query_url {
        let q = QueryRequest {
            traction_no: row.traction_no.clone(),
            kind: QueryKind::Refund,
        };
        match state.connectors.query(query_url, &q, Some(rid)).await {
            Outcome::Answer(a) => return Heard::Answer(a),
            Outcome::NotFound(_) if !within => return never_arrived(),
            Outcome::NotFound(_) => {}
            Outcome::Rejected(why) | Outcome::Unknown(why) | Outcome::Unreachable(why) => return Heard::Unclear(why),
        }
    }
    match state
        .connectors
        .refund(url, &refund_request(state, row), Some(rid))
        .await
    {
        Outcome::Answer(a) => Heard::Answer(a),
        Outcome::NotFound(_) if !within && query_url.is_none() => never_arrived(),
        // A refused re-send proves nothing about the first send.
        Outcome::Rejected(why) | Outcome::NotFound(why) | Outcome::Unknown(why) | Outcome::Unreachable(why) => {
            Heard::Unclear(why)
        }
    }
}

/// A definite word about a refund, to be recorded once.
pub struct Word {
    pub ret: ConnectorRet,
    pub third_no: Option<String>,
    pub code: Option<&'static str>,
    pub reason: Option<String>,
    pub at: i64,
}

impl Word {
    /// The word of a connector's success or failed answer; `None` for running.
    pub fn of(state: &AppState, a: &TradeAnswer) -> Option<Word> {
        match a.ret {
            Ret::Running => None,
            Ret::Success => Some(Word {
                ret: ConnectorRet::Success,
                third_no: a.third_order_no.clone().filter(|s| !s.is_empty()),
                code: None,
                reason: None,
                at: a
                    .trade_finished_at
                    .as_deref()
                    .and_then(|t| state.clock.parse_filter(t))
                    .unwrap_or_else(now_ms),
            }),
            Ret::Failed => Some(Word {
                ret: ConnectorRet::Failed,
                third_no: a.third_order_no.clone().filter(|s| !s.is_empty()),
                code: Some(result_code::CONNECTOR_FAILED),
                reason: Some(
                    a.third_error_reason
                        .clone()
                        .filter(|s| !s.is_empty())
                        .unwrap_or_else(|| "the channel declined the refund".into()),
                ),
                at: now_ms(),
            }),
        }
    }

    fn failed(code: &'static str, reason: String) -> Word {
        Word {
            ret: ConnectorRet::Failed,
            third_no: None,
            code: Some(code),
            reason: Some(reason),
            at: now_ms(),
        }
    }
}

/// What is already known of a refund's outcome: its recorded answer, or what its final
/// status says.
pub fn known_outcome(row: &RefundRow) -> Option<ConnectorRet> {
    match row.status {
        RefundStatus::Refunded => Some(ConnectorRet::Success),
        RefundStatus::RefundFailed => Some(row.connector_ret.unwrap_or(ConnectorRet::Failed)),
        _ => row.connector_ret,
    }
}

/// A connector said the opposite of what is recorded: the record stands (money may have moved
/// on the channel's side against the books), so an operator must look.
pub fn contradiction(row: &RefundRow, said: ConnectorRet, source: &str) {
    tracing::error!(
        traction_no = %row.traction_no,
        status = %row.status,
        recorded = known_outcome(row).map_or("", ConnectorRet::as_str),
        said = said.as_str(),
        source,
        "a connector contradicts a refund's recorded outcome; the record stands"
    );
    payserver_shared::metrics::metrics().contradiction("refund", source);
}

/// Records `word` unless an answer is already recorded; the row as it is afterwards.
pub async fn record(state: &AppState, row: &RefundRow, word: Word, driver: Driver) -> Result<RefundRow, ApiError> {
    let (id, ret) = (row.id, word.ret);
    let stored = db(state, move |c| {
        refunds::record_connector(c, id, word.ret, word.third_no, word.code, word.reason, word.at)
    })
    .await?;
    if known_outcome(&stored).is_some_and(|known| known != ret) {
        contradiction(&stored, ret, driver.source());
    }
    Ok(stored)
}

/// Whether `lease` is still ours (always, for a driver without one).
async fn holds(state: &AppState, id: i64, lease: Option<i64>) -> Result<bool, ApiError> {
    match lease {
        None => Ok(true),
        Some(lease) => {
            db(state, move |c| {
                checks::holds(c, id, lease, now_ms()).map_err(DbError::from)
            })
            .await
        }
    }
}

fn reserved(held: Held) -> Reserved {
    let o = held.pay_order;
    Reserved {
        amount: held.amount,
        pay_order_uuid: o.uuid,
        pay_mode_uuid: o.pay_mode_uuid,
        pay_template_id: o.pay_template_id,
        business_ret: crate::domain::business_ret(&o.business_ret),
        connector: ConnectorInfo {
            refund_url: o.refund_url,
            query_url: o.query_url,
            pay_amount: o.pay_amount,
            third_pay_no: o.third_pay_no,
            payee: o.payee,
        },
    }
}

/// Moves the refund as far as it goes now. `lease` is the driver's lease on the refund's
/// resolver row (handler and resolver); a notification has none and calls no connector.
pub async fn advance(
    state: &AppState,
    mut row: RefundRow,
    rid: &RequestId,
    driver: Driver,
    lease: Option<i64>,
) -> Result<Progress, ApiError> {
    loop {
        let id = row.id;
        match (row.status, row.connector_ret) {
            (RefundStatus::Refunded | RefundStatus::RefundFailed, _) => return Ok(Progress::Settled(row)),
            (RefundStatus::UnRefund, _) if driver == Driver::Notify => {
                return Ok(Progress::Pending(row, "not reserved yet".into()));
            }
            (RefundStatus::UnRefund, _) => {
                let body = Reserve {
                    pay_traction_no: row.pay_traction_no.clone(),
                    refund_traction_no: row.traction_no.clone(),
                    refund_order_uuid: row.uuid.clone(),
                    amount: row.requested_amount,
                    is_cancel: row.is_cancel,
                    merchant_uuid: Some(row.merchant_uuid.clone()),
                };
                match state.upstreams.reserve(&body, rid).await {
                    Step::Done(held) => {
                        let reserved = reserved(held);
                        row = db(state, move |c| refunds::record_reservation(c, id, &reserved, now_ms())).await?;
                        if row.status == RefundStatus::RefundFailed {
                            // Another worker failed the refund while this reserve ran (the pay
                            // order changed in between): the hold must not outlive it.
                            free_orphan_hold(state, &row, rid).await;
                        }
                    }
                    Step::Refused(e) => {
                        if driver == Driver::Handler
                            && let Some(lease) = lease
                            && db(state, move |c| refunds::forget_unreserved(c, id, lease, now_ms())).await?
                        {
                            return Ok(Progress::Refused(e));
                        }
                        // Kept (the resolver's, or acknowledged by a replay meanwhile): it
                        // fails visibly, like any refund the pay order refuses.
                        let reason = Some(e.message.clone());
                        row = db(state, move |c| {
                            refunds::finish(
                                c,
                                id,
                                RefundStatus::UnRefund,
                                RefundStatus::RefundFailed,
                                Some(result_code::NOT_REFUNDABLE),
                                reason,
                                now_ms(),
                            )
                        })
                        .await?;
                        if row.status != RefundStatus::RefundFailed {
                            return Ok(Progress::Pending(row, "another worker has moved the refund on".into()));
                        }
                    }
                    Step::Unknown(why) => return Ok(Progress::Pending(row, why)),
                }
            }
            (RefundStatus::Refunding, None) => {
                if row.business_ret == Some(RefundBusinessRet::OfflineRefund) {
                    // Offline pays (cash, card terminal) are refunded at the till.
                    let word = Word {
                        ret: ConnectorRet::Success,
                        third_no: None,
                        code: None,
                        reason: None,
                        at: now_ms(),
                    };
                    row = record(state, &row, word, driver).await?;
                    continue;
                }
                let Some(url) = row.connector_info().refund_url.filter(|u| !u.is_empty()) else {
                    let word = Word::failed(result_code::CONNECTOR_REJECTED, "the pay mode has no refundUrl".into());
                    row = record(state, &row, word, driver).await?;
                    continue;
                };
                let heard = match driver {
                    Driver::Handler => call(state, &row, &url, rid).await,
                    Driver::Resolver => ask(state, &row, &url, rid).await,
                    Driver::Notify => return Ok(Progress::Pending(row, "waiting for the connector".into())),
                };
                let word = match heard {
                    Heard::Answer(a) => match Word::of(state, &a) {
                        Some(word) => word,
                        None => return Ok(Progress::Pending(row, "running".into())),
                    },
                    Heard::Nothing { code, reason } => Word::failed(code, reason),
                    Heard::Unclear(why) => return Ok(Progress::Pending(row, why)),
                };
                if !holds(state, id, lease).await? {
                    tracing::warn!(traction_no = %row.traction_no, "lease lost while asking the connector; its answer is left to the lease's holder");
                    return Ok(Progress::Pending(row, "lease lost".into()));
                }
                row = record(state, &row, word, driver).await?;
            }
            (RefundStatus::Refunding, Some(ret)) => {
                let want = if ret == ConnectorRet::Success {
                    Reservation::Confirmed
                } else {
                    Reservation::Released
                };
                let now_is = match tell(state, &row, want, rid).await {
                    Ok(now_is) => now_is,
                    Err(why) => return Ok(Progress::Pending(row, why)),
                };
                let status = match now_is {
                    Reservation::Confirmed => RefundStatus::Refunded,
                    Reservation::Released => RefundStatus::RefundFailed,
                    Reservation::Reserved => {
                        return Ok(Progress::Pending(row, "the pay order still holds the refund".into()));
                    }
                };
                if now_is != want {
                    // Only this saga confirms or releases this tractionNo, and only by its
                    // recorded answer: the books now disagree with the channel's word. The
                    // refund shows what the books say.
                    contradiction(
                        &row,
                        if now_is == Reservation::Confirmed {
                            ConnectorRet::Success
                        } else {
                            ConnectorRet::Failed
                        },
                        "answer",
                    );
                }
                row = db(state, move |c| {
                    refunds::finish(c, id, RefundStatus::Refunding, status, None, None, now_ms())
                })
                .await?;
            }
        }
    }
}

/// Releases a reservation made for a refund that had already failed.
async fn free_orphan_hold(state: &AppState, row: &RefundRow, rid: &RequestId) {
    match state.upstreams.release(&row.traction_no, rid).await {
        Step::Done(_) => {
            tracing::warn!(traction_no = %row.traction_no, "released a hold taken for a refund that had already failed");
        }
        Step::Refused(e) => {
            tracing::error!(traction_no = %row.traction_no, error = %e, "could not release a hold taken for a failed refund");
        }
        Step::Unknown(why) => {
            tracing::error!(traction_no = %row.traction_no, why, "could not release a hold taken for a failed refund");
        }
    }
}

/// Tells the pay order the recorded answer: confirm (`want` confirmed) or release (`want`
/// released). What the reservation is afterwards — which call took the step does not matter,
/// what holds does — or why that is not known yet.
async fn tell(state: &AppState, row: &RefundRow, want: Reservation, rid: &RequestId) -> Result<Reservation, String> {
    let step = match want {
        Reservation::Confirmed => {
            state
                .upstreams
                .confirm(
                    &row.traction_no,
                    row.third_refund_no.as_deref(),
                    row.refund_finish_at,
                    rid,
                )
                .await
        }
        _ => state.upstreams.release(&row.traction_no, rid).await,
    };
    match step {
        Step::Done(held) => {
            if !held.applied {
                tracing::debug!(traction_no = %row.traction_no, step = ?want, state = ?held.state, "the step had been taken by another call");
            }
            Ok(held.state)
        }
        Step::Refused(e) => {
            // The opposite step holds (409): the books disagree with the recorded answer.
            // Nothing is reported as done; an operator must look, and it is asked again.
            tracing::error!(traction_no = %row.traction_no, error = %e, step = ?want, "the pay order refused the step the refund's recorded answer needs");
            payserver_shared::metrics::metrics().contradiction("refund", "answer");
            Err(e.message)
        }
        Step::Unknown(why) => Err(why),
    }
}
