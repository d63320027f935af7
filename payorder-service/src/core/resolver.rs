//! The resolver of `paying` orders (API.md A.4: no order stays `paying` forever, and none is
//! marked failed while the channel may still hold the money).
//!
//! Every `resolver_interval_ms` each replica takes due rows of `pay_order_checks` whose lease
//! it can claim, and for each:
//! 1. asks the connector: `queryUrl` when the mode has one, else the pay is re-sent (the
//!    contract makes pay idempotent by tractionNo, so this returns the recorded outcome);
//!    a query answered 404 (never seen) re-sends the pay while the order is still valid;
//! 2. settles on a definite answer (`success` → `payed` + trade record, `failed` → `payFailed`);
//! 3. otherwise, before expiry, tries again later with doubling backoff; after expiry, asks
//!    the connector to cancel (refundUrl with `isCancel: 1`) and marks the order failed only
//!    when the connector confirms it holds nothing: the cancel succeeded, or a query says the
//!    pay failed or never happened. Until then the order stays `paying` and is retried.

use std::sync::Arc;
use std::time::Duration;

use connector_contract::client::Outcome;
use connector_contract::types::{QueryKind, QueryRequest, RefundRequest, Ret, TradeAnswer};
use payserver_shared::ApiError;
use payserver_shared::db::DbError;
use payserver_shared::http::RequestId;
use payserver_shared::time::now_ms;

use super::{failure, pay_request, settle, settlement_of};
use crate::db::checks;
use crate::db::models::{CheckRow, OrderRow};
use crate::domain::{backoff_ms, result_code};
use crate::startup::AppState;

/// Rows one tick takes at most.
const BATCH: i64 = 20;

/// Runs the resolver until the process ends.
pub fn spawn(state: Arc<AppState>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_millis(state.settings.resolver_interval_ms.max(50)));
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            if let Err(e) = tick(&state).await {
                tracing::warn!(error = %e, "resolver tick failed");
            }
        }
    })
}

/// One pass over the due rows; returns how many orders it worked on.
pub async fn tick(state: &AppState) -> Result<usize, ApiError> {
    let now = now_ms();
    let (size, oldest) = state
        .db
        .run(|c| checks::backlog(c).map_err(DbError::from))
        .await
        .map_err(ApiError::from)?;
    let age = Duration::from_millis(oldest.map_or(0, |t| (now - t).max(0)) as u64);
    payserver_shared::metrics::metrics().set_backlog("payorder", size, age);
    let due = state
        .db
        .run(move |c| checks::due(c, now, BATCH).map_err(DbError::from))
        .await
        .map_err(ApiError::from)?;
    let mut worked = 0;
    for (check, order) in due {
        // Long enough for a query and a cancel to time out; a crashed replica's lease lapses.
        let lease = now + 3 * state.settings.connector_timeout_ms as i64 + 5_000;
        let id = order.id;
        let claimed = state
            .db
            .run(move |c| checks::claim(c, id, now, lease).map_err(DbError::from))
            .await
            .map_err(ApiError::from)?;
        if !claimed {
            continue;
        }
        worked += 1;
        let rid = RequestId(format!("resolver-{}", order.traction_no));
        if let Err(e) = resolve(state, &check, &order, &rid).await {
            tracing::warn!(traction_no = %order.traction_no, error = %e, "resolving failed; retrying later");
            retry_later(state, &check).await;
        }
    }
    Ok(worked)
}

enum Asked {
    Answer(TradeAnswer),
    /// The connector has no record of the pay.
    NeverSeen,
    Unclear(String),
}

async fn ask(state: &AppState, order: &OrderRow, expired: bool, rid: &RequestId) -> Asked {
    let route = order.route();
    if let Some(query_url) = route.query_url.as_deref().filter(|u| !u.is_empty()) {
        let q = QueryRequest {
            traction_no: order.traction_no.clone(),
            kind: QueryKind::Pay,
        };
        match state.connectors.query(query_url, &q, Some(rid)).await {
            Outcome::Answer(a) => return Asked::Answer(a),
            Outcome::NotFound(_) if expired => return Asked::NeverSeen,
            Outcome::NotFound(_) => {}
            Outcome::Unknown(why) | Outcome::Rejected(why) => return Asked::Unclear(why),
        }
    }
    if expired {
        return Asked::Unclear("expired without a definite answer".into());
    }
    let pay_url = route.pay_url.unwrap_or_default();
    match state
        .connectors
        .pay(&pay_url, &pay_request(state, order), Some(rid))
        .await
    {
        Outcome::Answer(a) => Asked::Answer(a),
        // A refused re-send proves nothing about the first send.
        Outcome::Unknown(why) | Outcome::Rejected(why) | Outcome::NotFound(why) => Asked::Unclear(why),
    }
}

async fn resolve(state: &AppState, check: &CheckRow, order: &OrderRow, rid: &RequestId) -> Result<(), ApiError> {
    let expired = now_ms() > order.order_expired_at;
    match ask(state, order, expired, rid).await {
        Asked::Answer(a) if a.ret != Ret::Running => {
            let s = settlement_of(state, &a).expect("a definite answer settles");
            settle(state, order.id, s).await?;
        }
        Asked::NeverSeen => {
            settle(
                state,
                order.id,
                failure(
                    result_code::EXPIRED,
                    "the order expired and the channel has no record of the payment",
                ),
            )
            .await?;
        }
        Asked::Unclear(why) if !expired => {
            tracing::debug!(traction_no = %order.traction_no, why, "outcome still unclear");
            retry_later(state, check).await;
        }
        Asked::Answer(_) | Asked::Unclear(_) if expired => {
            if cancel(state, order, rid).await {
                settle(
                    state,
                    order.id,
                    failure(
                        result_code::EXPIRED,
                        "the order expired unpaid and the channel reversed it",
                    ),
                )
                .await?;
            } else {
                tracing::warn!(traction_no = %order.traction_no, "expired order still unclear; the channel could not confirm it holds nothing");
                retry_later(state, check).await;
            }
        }
        Asked::Answer(_) | Asked::Unclear(_) => retry_later(state, check).await,
    }
    Ok(())
}

/// Asks the connector to reverse the whole pay; `true` when it confirmed.
async fn cancel(state: &AppState, order: &OrderRow, rid: &RequestId) -> bool {
    let Some(refund_url) = order.route().refund_url.filter(|u| !u.is_empty()) else {
        return false;
    };
    // A fixed serial per order, so that repeated cancels are one operation at the connector.
    let traction_no = format!("2{}", &order.traction_no[1..]);
    let req = RefundRequest {
        client_refund_no: format!("expire-{}", order.traction_no),
        traction_no,
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
    matches!(state.connectors.refund(&refund_url, &req, Some(rid)).await, Outcome::Answer(a) if a.ret == Ret::Success)
}

async fn retry_later(state: &AppState, check: &CheckRow) {
    let attempts = check.attempts.saturating_add(1);
    let next = now_ms()
        + backoff_ms(
            attempts,
            state.settings.resolver_backoff_ms,
            state.settings.resolver_backoff_max_ms,
        );
    let id = check.pay_order_id;
    if let Err(e) = state
        .db
        .run(move |c| checks::reschedule(c, id, next, attempts).map_err(DbError::from))
        .await
    {
        tracing::warn!(error = %e, "could not reschedule a check; its lease will lapse");
    }
}
