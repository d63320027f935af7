//! The refund resolver: every `resolver_interval_ms`, each replica leases due rows of
//! `refund_checks` and drives their saga again ([`super::advance`] as the resolver). Safe
//! with several replicas: a row is worked on only under its lease, counted from the moment
//! it is claimed and checked again before a connector's answer is acted on.

use std::sync::Arc;
use std::time::Duration;

use payserver_shared::ApiError;
use payserver_shared::db::DbError;
use payserver_shared::http::RequestId;
use payserver_shared::time::now_ms;

use super::{Driver, Progress, advance, window_end};
use crate::db::checks;
use crate::db::models::RefundRow;
use crate::startup::AppState;

const BATCH: i64 = 20;

pub fn spawn(state: Arc<AppState>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_millis(state.settings.resolver_interval_ms.max(50)));
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            if let Err(e) = tick(&state).await {
                tracing::warn!(error = %e, "refund resolver tick failed");
            }
        }
    })
}

pub async fn tick(state: &AppState) -> Result<usize, ApiError> {
    let now = now_ms();
    let (size, oldest) = state
        .db
        .run(|c| checks::backlog(c).map_err(DbError::from))
        .await
        .map_err(ApiError::from)?;
    let age = Duration::from_millis(oldest.map_or(0, |t| (now - t).max(0)) as u64);
    payserver_shared::metrics::metrics().set_backlog("refund", size, age);
    let due = state
        .db
        .run(move |c| checks::due(c, now, BATCH).map_err(DbError::from))
        .await
        .map_err(ApiError::from)?;
    let mut worked = 0;
    for (check, row) in due {
        // The lease is counted from the claim, not from the tick's start: a row worked late in
        // a slow tick still gets a whole lease, so no other replica takes it meanwhile.
        let claimed_at = now_ms();
        let lease = claimed_at + 3 * state.settings.connector_timeout_ms as i64 + 1_000;
        let id = row.id;
        if !state
            .db
            .run(move |c| checks::claim(c, id, claimed_at, lease).map_err(DbError::from))
            .await
            .map_err(ApiError::from)?
        {
            continue;
        }
        worked += 1;
        let rid = RequestId(format!("refund-resolver-{}", row.traction_no));
        let pending = match advance(state, row.clone(), &rid, Driver::Resolver, Some(lease)).await {
            Ok(Progress::Settled(row)) => {
                tracing::info!(traction_no = %row.traction_no, status = %row.status, "refund settled by the resolver");
                None
            }
            Ok(Progress::Pending(row, why)) => {
                tracing::debug!(traction_no = %row.traction_no, why, "refund still pending");
                Some(row)
            }
            Ok(Progress::Refused(_)) => None,
            Err(e) => {
                tracing::warn!(error = %e, "driving a refund failed; retrying later");
                Some(row)
            }
        };
        if let Some(row) = pending {
            let attempts = check.attempts.saturating_add(1);
            let next = next_check(state, &row, attempts, now_ms());
            // Only while the lease is ours: a replica that took the row over has its own plan.
            let _ = state
                .db
                .run(move |c| checks::reschedule(c, id, lease, next, attempts).map_err(DbError::from))
                .await;
        }
    }
    Ok(worked)
}

/// When to look at a pending refund again: doubling backoff up to `resolver_backoff_max_ms`,
/// but never later than the end of its window, so that a refund the channel never received
/// is failed (and its hold freed) within one backoff of its window's end.
fn next_check(state: &AppState, row: &RefundRow, attempts: i32, now: i64) -> i64 {
    let factor = 1u64 << attempts.clamp(0, 20);
    let delay = state
        .settings
        .resolver_backoff_ms
        .saturating_mul(factor)
        .min(state.settings.resolver_backoff_max_ms) as i64;
    let next = now.saturating_add(delay);
    let end = window_end(state, row);
    if now < end { next.min(end) } else { next }
}
