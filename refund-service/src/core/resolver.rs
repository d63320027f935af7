//! The refund resolver: every `resolver_interval_ms`, each replica leases due rows of
//! `refund_checks` and drives their saga again ([`super::advance`] as the resolver). Safe
//! with several replicas: a row is worked on only under its lease, counted from the moment
//! it is claimed and checked again before a connector's answer is acted on.

use std::sync::Arc;

use payserver_shared::ApiError;
use payserver_shared::db::DbError;
use payserver_shared::http::RequestId;
use payserver_shared::jobs::{Jobs, Runner, backoff_ms};
use payserver_shared::query;
use payserver_shared::time::now_ms;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::{Driver, Progress, advance, window_end};
use crate::db::checks;
use crate::db::models::RefundRow;
use crate::startup::AppState;

/// Runs the resolver (passes every `resolver_interval_ms`, refunds one after the other) until
/// `stop` turns true.
pub fn spawn(state: Arc<AppState>, stop: watch::Receiver<bool>) -> JoinHandle<()> {
    Runner::resolver("refund-resolver", &state.settings).spawn(Arc::new(Resolver { state }), stop)
}

/// `refund_checks` as the job runner's table.
struct Resolver {
    state: Arc<AppState>,
}

/// A due refund, as read before its claim.
struct Due {
    attempts: i32,
    row: RefundRow,
}

impl Jobs for Resolver {
    type Row = Due;
    type Error = ApiError;

    async fn due(&self, now: i64, limit: i64) -> Result<Vec<Due>, ApiError> {
        let due = query::run(&self.state.db, move |c| checks::due(c, now, limit)).await?;
        Ok(due
            .into_iter()
            .map(|(check, row)| Due {
                attempts: check.attempts,
                row,
            })
            .collect())
    }

    async fn claim(&self, due: &Due, now: i64, lease: i64) -> Result<bool, ApiError> {
        let id = due.row.id;
        query::run(&self.state.db, move |c| checks::claim(c, id, now, lease)).await
    }

    /// Counted from the claim: a row worked late in a slow pass still gets a whole lease, so
    /// no other replica takes it meanwhile.
    fn lease_ms(&self) -> i64 {
        3 * self.state.settings.connector_timeout_ms as i64 + 1_000
    }

    async fn work(self: Arc<Self>, due: Due, lease: i64) {
        let state = &*self.state;
        let Due { attempts, row } = due;
        let id = row.id;
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
            let attempts = attempts.saturating_add(1);
            let next = next_check(state, &row, attempts, now_ms());
            // Only while the lease is ours: a replica that took the row over has its own plan.
            let _ = state
                .db
                .run(move |c| checks::reschedule(c, id, lease, next, attempts).map_err(DbError::from))
                .await;
        }
    }

    /// The backlog gauge.
    async fn before_pass(&self) {
        payserver_shared::backlog::report(&self.state.db, "refund", checks::backlog).await;
    }
}

/// When to look at a pending refund again: doubling backoff up to `resolver_backoff_max_ms`,
/// but never later than the end of its window, so that a refund the channel never received
/// is failed (and its hold freed) within one backoff of its window's end.
fn next_check(state: &AppState, row: &RefundRow, attempts: i32, now: i64) -> i64 {
    let delay = backoff_ms(
        attempts,
        state.settings.resolver_backoff_ms,
        state.settings.resolver_backoff_max_ms,
    );
    let next = now.saturating_add(delay);
    let end = window_end(state, row);
    if now < end { next.min(end) } else { next }
}
