//! `POST /payNotify`: an asynchronous connector reports the outcome (API.md A.1 "Trust
//! boundary", A.4). The rules, in order:
//!
//! 1. Only the order's own connector may speak for it: the caller's connector credential must
//!    name the connector that owns the order's `payUrl` in the registry. A custom mode's URL
//!    outside the registry has no connector, so nobody's notification moves its orders (they
//!    settle through the pay answer and the resolver). Anyone else: 403, nothing changes.
//! 2. A notification never moves an order out of a final state. The same outcome again is a
//!    repeat (200); the opposite one is a contradiction: logged at error level, counted, 409.
//! 3. A `success` is confirmed through the order's `queryUrl` when it has one, and the order
//!    settles by what the query says. If the query does not confirm (running, no answer,
//!    never seen), the order stays `paying` and the answer is 202 (accepted, not applied): the
//!    connector's credential alone must not be able to mark money as taken, and the resolver
//!    keeps asking the channel (made due at once). Without a `queryUrl` the own connector's
//!    word is all there is, and it settles the order.
//! 4. `failed` from the own connector settles a `paying` order `payFailed` (it moves no money
//!    and the channel is the authority on its own refusal); `running` changes nothing.

use connector_contract::client::Outcome;
use connector_contract::types::{QueryKind, QueryRequest, Ret, TradeAnswer};
use payserver_shared::ApiError;
use payserver_shared::http::RequestId;
use payserver_shared::metrics::metrics;
use payserver_shared::query;
use payserver_shared::time::now_ms;

use super::{Source, contradicts, report_contradiction, settle, settlement_of};
use crate::db::checks;
use crate::db::models::OrderRow;
use crate::db::orders::{self, Settled};
use crate::domain::PayStatus;
use crate::startup::AppState;

/// What a notification did.
#[derive(Debug)]
pub enum Notified {
    /// The order has the notified outcome (settled now or before), or the notification said
    /// `running`.
    Settled(OrderRow),
    /// A `success` the channel did not confirm: the order is still `paying`.
    Unconfirmed(OrderRow),
}

fn refused(reason: &str, why: &str) -> ApiError {
    metrics().notification_refused("payorder", reason);
    ApiError::forbidden(why.to_string())
}

pub async fn pay_notify(
    state: &AppState,
    connector: &str,
    a: TradeAnswer,
    rid: &RequestId,
) -> Result<Notified, ApiError> {
    let traction = a.traction_no.clone();
    let order = query::run(&state.db, move |c| orders::by_traction_no(c, &traction))
        .await?
        .ok_or_else(|| ApiError::not_found("no pay order with this tractionNo"))?;

    let pay_url = order.route().pay_url.unwrap_or_default();
    if state.connectors.connector_of(&pay_url) != Some(connector) {
        tracing::warn!(traction_no = %order.traction_no, connector, "notification from a connector that does not own the order refused");
        return Err(refused("wrong_connector", "this connector does not own the pay order"));
    }

    let outcome = match a.ret {
        Ret::Running => return Ok(Notified::Settled(order)),
        Ret::Success => PayStatus::Payed,
        Ret::Failed => PayStatus::PayFailed,
    };
    if order.status != PayStatus::Paying {
        return final_state(order, outcome);
    }

    // The word that settles the order: the channel's query for a success, else the notification.
    let word = match outcome {
        PayStatus::Payed => match confirm_success(state, &order, a, rid).await {
            Confirmation::Confirmed(answer) => answer,
            Confirmation::Denied(answer) => {
                // The channel says it did not take the money: settle by that, and refuse.
                report_contradiction(&order, PayStatus::Payed, Source::Notify);
                metrics().notification_refused("payorder", "denied_by_query");
                if let Some(s) = settlement_of(state, &answer) {
                    settle(state, order.id, s, None, Source::Notify).await?;
                }
                return Err(ApiError::conflict("the channel's query does not confirm this success"));
            }
            Confirmation::Unconfirmed(why) => {
                tracing::warn!(traction_no = %order.traction_no, why, "success notification not confirmed by the channel; the order stays paying");
                metrics().notification_refused("payorder", "unconfirmed");
                let id = order.id;
                query::run(&state.db, move |c| checks::due_now(c, id, now_ms())).await?;
                return Ok(Notified::Unconfirmed(order));
            }
        },
        _ => a,
    };
    let s = settlement_of(state, &word).expect("a definite answer settles");
    match settle(state, order.id, s, None, Source::Notify).await? {
        Settled::Moved(row) => Ok(Notified::Settled(row)),
        // Settled by another path meanwhile: judged like any final order.
        Settled::Unchanged(row) => final_state_quiet(row, outcome),
        Settled::LeaseLost => Err(ApiError::internal("a settlement without a lease reported a lost lease")),
    }
}

enum Confirmation {
    /// The channel confirms the success (its answer settles the order).
    Confirmed(TradeAnswer),
    /// The channel says the pay failed.
    Denied(TradeAnswer),
    /// No confirmation: running, never seen, no answer.
    Unconfirmed(String),
}

/// Asks the order's `queryUrl` about a notified success; without one the notification itself
/// is the (own connector's) word.
async fn confirm_success(state: &AppState, order: &OrderRow, notified: TradeAnswer, rid: &RequestId) -> Confirmation {
    let Some(query_url) = order.route().query_url.filter(|u| !u.is_empty()) else {
        return Confirmation::Confirmed(notified);
    };
    let q = QueryRequest {
        traction_no: order.traction_no.clone(),
        kind: QueryKind::Pay,
    };
    match state.connectors.query(&query_url, &q, Some(rid)).await {
        Outcome::Answer(a) if a.ret == Ret::Success => Confirmation::Confirmed(a),
        Outcome::Answer(a) if a.ret == Ret::Failed => Confirmation::Denied(a),
        Outcome::Answer(_) => Confirmation::Unconfirmed("the channel says the pay is still running".into()),
        Outcome::NotFound(why) | Outcome::Unknown(why) | Outcome::Rejected(why) | Outcome::Unreachable(why) => {
            Confirmation::Unconfirmed(why)
        }
    }
}

/// A notification for an order that is already final.
fn final_state(order: OrderRow, outcome: PayStatus) -> Result<Notified, ApiError> {
    if contradicts(order.status, outcome) {
        report_contradiction(&order, outcome, Source::Notify);
    }
    final_state_quiet(order, outcome)
}

/// As [`final_state`], the contradiction already reported.
fn final_state_quiet(order: OrderRow, outcome: PayStatus) -> Result<Notified, ApiError> {
    if contradicts(order.status, outcome) {
        metrics().notification_refused("payorder", "final_state");
        return Err(ApiError::conflict(format!("the order is already {}", order.status)));
    }
    Ok(Notified::Settled(order))
}
