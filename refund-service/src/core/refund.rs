//! `POST /refund`: write the intent under its unique `(merchantUUID, clientRefundNo)`, then
//! drive the saga as far as it goes now; the resolver finishes the rest.
//!
//! A replay (the same clientRefundNo again, also while the first request is still running)
//! is answered with the stored refund, and only with one that can no longer vanish: the
//! request that wrote a refund forgets it if the pay order refuses the reserve, so a refund
//! still `unRefund` is answered only once it has moved on, or once the replay has taken it
//! from a writer whose lease ran out (then it is never forgotten). A writer still at work is
//! waited for briefly, else the replay gets 409.

use std::time::Duration;

use payserver_shared::ApiError;
use payserver_shared::auth::Caller;
use payserver_shared::http::RequestId;
use payserver_shared::ids;
use payserver_shared::query;
use payserver_shared::time::now_ms;

use super::{Driver, Progress, advance};
use crate::db::models::{NewRefund, RefundRow};
use crate::db::{checks, refunds};
use crate::domain::{RefundStatus, ValidRefund};
use crate::startup::AppState;

/// How long a replay waits for the first request to get past the reserve.
const REPLAY_WAIT_MS: i64 = 3_000;
const REPLAY_POLL: Duration = Duration::from_millis(20);

fn in_flight() -> ApiError {
    ApiError::conflict("a refund with this clientRefundNo is in flight; repeat the request shortly")
}

/// The stored refund to answer a replay with; `None` when the first request's refund was
/// refused and forgotten meanwhile (this one is then judged afresh).
async fn replay(state: &AppState, existing: RefundRow, req: &ValidRefund) -> Result<Option<RefundRow>, ApiError> {
    let same = existing.pay_traction_no == req.pay_traction_no
        && (existing.is_cancel == 1) == req.is_cancel
        && existing.requested_amount == req.refund_amount;
    if !same {
        return Err(ApiError::conflict(format!(
            "clientRefundNo {} was already used with another refund",
            existing.client_refund_no
        )));
    }
    let deadline = now_ms() + REPLAY_WAIT_MS;
    let id = existing.id;
    let mut row = existing;
    loop {
        if row.status != RefundStatus::UnRefund {
            return Ok(Some(row));
        }
        let lease = query::run(&state.db, move |c| checks::lease_of(c, id)).await?;
        let pinned = match lease {
            // No lease row: the refund was forgotten, or finished (re-read below).
            None => true,
            Some(lease) if lease < now_ms() => query::run(&state.db, move |c| checks::pin(c, id, lease)).await?,
            Some(_) => false,
        };
        let now = query::run(&state.db, move |c| refunds::by_id(c, id)).await?;
        match now {
            None => return Ok(None),
            Some(r) if pinned || r.status != RefundStatus::UnRefund => return Ok(Some(r)),
            Some(r) => row = r,
        }
        if now_ms() >= deadline {
            return Err(in_flight());
        }
        tokio::time::sleep(REPLAY_POLL).await;
    }
}

pub async fn refund(
    state: &AppState,
    caller: &Caller,
    req: ValidRefund,
    rid: &RequestId,
) -> Result<RefundRow, ApiError> {
    let merchant = caller.acting_merchant(req.merchant_uuid.as_deref())?;
    for _ in 0..3 {
        let (m, no) = (merchant.clone(), req.client_refund_no.clone());
        let existing = query::run(&state.db, move |c| refunds::by_client_no(c, &m, &no)).await?;
        if let Some(existing) = existing {
            match replay(state, existing, &req).await? {
                Some(row) => return Ok(row),
                None => continue,
            }
        }
        let now = now_ms();
        // Held while this request drives the saga: the reserve, the connector call and the
        // confirm/release each end within the timeouts.
        let lease = now + 2 * state.settings.connector_timeout_ms as i64 + 1_000;
        let new = NewRefund {
            uuid: ids::new_uuid(),
            merchant_uuid: merchant.clone(),
            client_refund_no: req.client_refund_no.clone(),
            traction_no: ids::traction_no('2'),
            pay_traction_no: req.pay_traction_no.clone(),
            // Filled in as the saga learns them (nullable columns without a default).
            pay_order_uuid: None,
            pay_mode_uuid: None,
            pay_template_id: None,
            requested_amount: req.refund_amount,
            refund_amount: None,
            is_cancel: i32::from(req.is_cancel),
            status: RefundStatus::UnRefund,
            business_ret: None,
            connector_ret: None,
            third_refund_no: None,
            result_code: None,
            third_error_reason: None,
            client_extra_params: serde_json::Value::Object(req.client_extra_params.clone()).to_string(),
            connector: None,
            refund_start_at: now,
            refund_finish_at: None,
            created_at: now,
            modified_at: now,
        };
        match state.db.run(move |c| refunds::insert(c, &new, lease)).await {
            Ok(row) => return drive(state, row, lease, rid).await,
            // The same clientRefundNo written concurrently (looked up again), or a tractionNo
            // taken (a new one is drawn).
            Err(e) if e.is_unique_violation() => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(in_flight())
}

async fn drive(state: &AppState, row: RefundRow, lease: i64, rid: &RequestId) -> Result<RefundRow, ApiError> {
    match advance(state, row, rid, Driver::Handler, Some(lease)).await? {
        Progress::Settled(row) => Ok(row),
        Progress::Refused(e) => Err(e),
        Progress::Pending(row, why) => {
            tracing::info!(traction_no = %row.traction_no, why, "refund not finished yet; the resolver takes over");
            let (id, next) = (row.id, now_ms() + state.settings.resolver_backoff_ms as i64);
            query::run(&state.db, move |c| checks::reschedule(c, id, lease, next, 0)).await?;
            Ok(row)
        }
    }
}
