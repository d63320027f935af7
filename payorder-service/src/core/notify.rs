//! `POST /payNotify`: an asynchronous connector reports the outcome. Idempotent; it only moves
//! an order out of `paying`.

use connector_contract::types::{Ret, TradeAnswer};
use payserver_shared::ApiError;
use payserver_shared::db::DbError;

use super::{settle, settlement_of};
use crate::db::models::OrderRow;
use crate::db::orders;
use crate::domain::PayStatus;
use crate::startup::AppState;

pub async fn pay_notify(state: &AppState, a: TradeAnswer) -> Result<OrderRow, ApiError> {
    let traction = a.traction_no.clone();
    let order = state
        .db
        .run(move |c| orders::by_traction_no(c, &traction).map_err(DbError::from))
        .await
        .map_err(ApiError::from)?
        .ok_or_else(|| ApiError::not_found("no pay order with this tractionNo"))?;
    let Some(s) = settlement_of(state, &a) else {
        return Ok(order);
    };
    let row = settle(state, order.id, s).await?;
    // Settled before with the opposite outcome: the connector contradicts itself.
    let status = PayStatus::parse(&row.status);
    let contradicts = match a.ret {
        Ret::Success => status == Some(PayStatus::PayFailed),
        Ret::Failed => !matches!(status, Some(PayStatus::PayFailed)),
        Ret::Running => false,
    };
    if contradicts {
        tracing::error!(traction_no = %row.traction_no, status = %row.status, ret = ?a.ret, "notification contradicts the settled order");
        return Err(ApiError::conflict(format!("the order is already {}", row.status)));
    }
    Ok(row)
}
