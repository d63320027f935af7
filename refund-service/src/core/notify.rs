//! `POST /refundNotify`: an asynchronous connector reports a refund's outcome. Idempotent: it
//! records the answer once and drives the saga; it never moves a finished refund.

use connector_contract::types::{Ret, TradeAnswer};
use payserver_shared::ApiError;
use payserver_shared::db::DbError;
use payserver_shared::http::RequestId;
use payserver_shared::time::now_ms;

use super::{Driver, Progress, advance};
use crate::db::models::RefundRow;
use crate::db::refunds;
use crate::domain::{RefundStatus, result_code};
use crate::startup::AppState;

pub async fn refund_notify(state: &AppState, a: TradeAnswer, rid: &RequestId) -> Result<RefundRow, ApiError> {
    let traction = a.traction_no.clone();
    let row = state
        .db
        .run(move |c| refunds::by_traction_no(c, &traction).map_err(DbError::from))
        .await
        .map_err(ApiError::from)?
        .ok_or_else(|| ApiError::not_found("no refund order with this tractionNo"))?;
    let (ret, code, reason) = match a.ret {
        Ret::Running => return Ok(row),
        Ret::Success => ("success", None, None),
        Ret::Failed => (
            "failed",
            Some(result_code::CONNECTOR_FAILED),
            Some(
                a.third_error_reason
                    .clone()
                    .unwrap_or_else(|| "the channel declined the refund".into()),
            ),
        ),
    };
    let row = if row.status == RefundStatus::Refunding.as_str() && row.connector_ret.is_none() {
        let (id, third) = (row.id, a.third_order_no.clone());
        let at = a
            .trade_finished_at
            .as_deref()
            .and_then(|t| state.clock.parse_filter(t))
            .unwrap_or_else(now_ms);
        state
            .db
            .run(move |c| refunds::record_connector(c, id, ret, third, code, reason, at))
            .await
            .map_err(ApiError::from)?
    } else {
        row
    };
    if row.connector_ret.as_deref().is_some_and(|r| r != ret) {
        return Err(ApiError::conflict(format!(
            "the refund is already {}",
            row.connector_ret.unwrap_or_default()
        )));
    }
    Ok(match advance(state, row, rid, Driver::Resolver).await? {
        Progress::Settled(r) | Progress::Pending(r, _) => r,
        Progress::Refused(e) => return Err(e),
    })
}
