//! The refund resolver: every `resolver_interval_ms`, each replica leases due rows of
//! `refund_checks` and drives their saga again ([`super::advance`] as the resolver). Safe
//! with several replicas: a row is worked on only under its lease.

use std::sync::Arc;
use std::time::Duration;

use payserver_shared::ApiError;
use payserver_shared::db::DbError;
use payserver_shared::http::RequestId;
use payserver_shared::time::now_ms;

use super::{Driver, Progress, advance};
use crate::db::checks;
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
        let lease = now + 3 * state.settings.connector_timeout_ms as i64 + 1_000;
        let id = row.id;
        if !state
            .db
            .run(move |c| checks::claim(c, id, now, lease).map_err(DbError::from))
            .await
            .map_err(ApiError::from)?
        {
            continue;
        }
        worked += 1;
        let rid = RequestId(format!("refund-resolver-{}", row.traction_no));
        let pending = match advance(state, row, &rid, Driver::Resolver).await {
            Ok(Progress::Settled(row)) => {
                tracing::info!(traction_no = %row.traction_no, status = %row.status, "refund settled by the resolver");
                false
            }
            Ok(Progress::Pending(row, why)) => {
                tracing::debug!(traction_no = %row.traction_no, why, "refund still pending");
                true
            }
            Ok(Progress::Refused(_)) => false,
            Err(e) => {
                tracing::warn!(error = %e, "driving a refund failed; retrying later");
                true
            }
        };
        if pending {
            let attempts = check.attempts.saturating_add(1);
            let factor = 1u64 << attempts.clamp(0, 20);
            let delay = state
                .settings
                .resolver_backoff_ms
                .saturating_mul(factor)
                .min(state.settings.resolver_backoff_max_ms) as i64;
            let next = now_ms() + delay;
            let _ = state
                .db
                .run(move |c| checks::reschedule(c, id, next, attempts).map_err(DbError::from))
                .await;
        }
    }
    Ok(worked)
}
