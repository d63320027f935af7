//! `POST /refund`: write the intent under its unique `(merchantUUID, clientRefundNo)`, then
//! drive the saga as far as it goes now; the resolver finishes the rest.

use payserver_shared::ApiError;
use payserver_shared::auth::Caller;
use payserver_shared::db::DbError;
use payserver_shared::http::RequestId;
use payserver_shared::ids;
use payserver_shared::time::now_ms;

use super::{Driver, Progress, advance};
use crate::db::models::{NewRefund, RefundRow};
use crate::db::{checks, refunds};
use crate::domain::{RefundStatus, ValidRefund};
use crate::startup::AppState;

fn replay(existing: RefundRow, req: &ValidRefund) -> Result<RefundRow, ApiError> {
    let same = existing.pay_traction_no == req.pay_traction_no
        && (existing.is_cancel == 1) == req.is_cancel
        && existing.requested_amount == req.refund_amount;
    if same {
        Ok(existing)
    } else {
        Err(ApiError::conflict(format!(
            "clientRefundNo {} was already used with another refund",
            existing.client_refund_no
        )))
    }
}

pub async fn refund(
    state: &AppState,
    caller: &Caller,
    req: ValidRefund,
    rid: &RequestId,
) -> Result<RefundRow, ApiError> {
    let merchant = caller.acting_merchant(req.merchant_uuid.as_deref())?;
    let lookup = |m: String, no: String| move |c: &mut _| refunds::by_client_no(c, &m, &no).map_err(DbError::from);
    if let Some(existing) = state
        .db
        .run(lookup(merchant.clone(), req.client_refund_no.clone()))
        .await
        .map_err(ApiError::from)?
    {
        return replay(existing, &req);
    }
    let now = now_ms();
    // Held while this request drives the saga: the reserve, the connector call and the
    // confirm/release each end within the timeouts.
    let lease = now + 2 * state.settings.connector_timeout_ms as i64 + 1_000;
    let row = 'insert: {
        for _ in 0..3 {
            let new = NewRefund {
                uuid: ids::new_uuid(),
                merchant_uuid: merchant.clone(),
                client_refund_no: req.client_refund_no.clone(),
                traction_no: ids::traction_no('2'),
                pay_traction_no: req.pay_traction_no.clone(),
                requested_amount: req.refund_amount,
                is_cancel: i32::from(req.is_cancel),
                status: RefundStatus::UnRefund.as_str().to_string(),
                client_extra_params: serde_json::Value::Object(req.client_extra_params.clone()).to_string(),
                refund_start_at: now,
                created_at: now,
                modified_at: now,
            };
            match state.db.run(move |c| refunds::insert(c, &new, lease)).await {
                Ok(row) => break 'insert row,
                Err(e) if e.is_unique_violation() => {
                    if let Some(existing) = state
                        .db
                        .run(lookup(merchant.clone(), req.client_refund_no.clone()))
                        .await
                        .map_err(ApiError::from)?
                    {
                        return replay(existing, &req);
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
        return Err(ApiError::internal("could not allocate a unique tractionNo"));
    };
    match advance(state, row, rid, Driver::Handler).await? {
        Progress::Settled(row) => Ok(row),
        Progress::Refused(e) => Err(e),
        Progress::Pending(row, why) => {
            tracing::info!(traction_no = %row.traction_no, why, "refund not finished yet; the resolver takes over");
            let (id, next) = (row.id, now_ms() + state.settings.resolver_backoff_ms as i64);
            state
                .db
                .run(move |c| checks::reschedule(c, id, next, 0).map_err(DbError::from))
                .await
                .map_err(ApiError::from)?;
            Ok(row)
        }
    }
}
