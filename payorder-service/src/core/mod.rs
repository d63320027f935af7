//! The pay flow, settlement from connector answers, notifications and the resolver (a batch is
//! its items' own pays: `routes/pay.rs`).
//! Handlers call these; they call the database and the connectors.

pub mod notify;
pub mod pay;
pub mod resolver;

use connector_contract::types::{PayRequest, Ret, TradeAnswer};
use payserver_shared::ApiError;
use payserver_shared::time::now_ms;

use crate::db::models::OrderRow;
use crate::db::orders::{self, Settled, Settlement};
use crate::domain::{PayStatus, result_code};
use crate::startup::AppState;

/// The settlement a definite connector answer calls for; `None` for `running`.
pub fn settlement_of(state: &AppState, a: &TradeAnswer) -> Option<Settlement> {
    let finished_at = a
        .trade_finished_at
        .as_deref()
        .and_then(|t| state.clock.parse_filter(t))
        .unwrap_or_else(now_ms);
    let non_empty = |s: &Option<String>| s.clone().filter(|v| !v.is_empty());
    match a.ret {
        Ret::Success => Some(Settlement {
            status: PayStatus::Payed,
            third_pay_no: non_empty(&a.third_order_no),
            result_code: None,
            third_error_reason: None,
            finished_at,
        }),
        Ret::Failed => Some(Settlement {
            status: PayStatus::PayFailed,
            third_pay_no: non_empty(&a.third_order_no),
            result_code: Some(result_code::CONNECTOR_FAILED.into()),
            third_error_reason: Some(
                non_empty(&a.third_error_reason).unwrap_or_else(|| "the channel declined the payment".into()),
            ),
            finished_at: now_ms(),
        }),
        Ret::Running => None,
    }
}

/// A failure the platform decided (rejected request, expiry).
pub fn failure(code: &str, reason: impl Into<String>) -> Settlement {
    Settlement {
        status: PayStatus::PayFailed,
        third_pay_no: None,
        result_code: Some(code.to_string()),
        third_error_reason: Some(reason.into()),
        finished_at: now_ms(),
    }
}

/// Where a connector's word about a pay was seen: the `source` of the contradiction metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `/payNotify`.
    Notify,
    /// The connector's answer to the pay call.
    Answer,
    /// The resolver's query, re-send or cancel.
    Resolver,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Notify => "notify",
            Source::Answer => "answer",
            Source::Resolver => "resolver",
        }
    }
}

/// Whether an order's final state contradicts an outcome (`payed` or `payFailed`) the channel
/// or the platform arrived at: success for a failed order, failure for a paid one.
pub fn contradicts(order_status: PayStatus, outcome: PayStatus) -> bool {
    matches!(
        (order_status, outcome),
        (PayStatus::PayFailed, PayStatus::Payed)
            | (
                PayStatus::Payed | PayStatus::PartRefunded | PayStatus::Refunded,
                PayStatus::PayFailed
            )
    )
}

/// Logs (error level: the books and the channel may disagree; an operator looks) and counts a
/// contradiction. The order is never moved out of its final state for it.
pub fn report_contradiction(row: &OrderRow, outcome: PayStatus, source: Source) {
    tracing::error!(
        traction_no = %row.traction_no,
        status = %row.status,
        outcome = outcome.as_str(),
        source = source.as_str(),
        "a pay outcome contradicts the order's final state"
    );
    payserver_shared::metrics::metrics().contradiction("payorder", source.as_str());
}

/// Settles an order (idempotent: only a `paying` order moves) and says what happened. When the
/// order was already final with the opposite outcome, the contradiction is reported here,
/// wherever it was seen. `lease`: the resolver's (see `orders::settle`).
pub async fn settle(
    state: &AppState,
    order_id: i64,
    s: Settlement,
    lease: Option<i64>,
    source: Source,
) -> Result<Settled, ApiError> {
    let outcome = s.status;
    let settled = state
        .db
        .run(move |conn| orders::settle(conn, order_id, &s, lease))
        .await
        .map_err(ApiError::from)?;
    match &settled {
        Settled::Moved(row) => {
            tracing::info!(traction_no = %row.traction_no, status = %row.status, source = source.as_str(), "pay order settled");
            count_outcome(row);
        }
        Settled::Unchanged(row) if contradicts(row.status, outcome) => report_contradiction(row, outcome, source),
        Settled::Unchanged(_) | Settled::LeaseLost => {}
    }
    Ok(settled)
}

/// Counts a settled pay by channel: the template's `payChannel`, else its `payTemplateId`,
/// else `custom` (never the merchant's own mode name: labels must stay few).
pub fn count_outcome(row: &OrderRow) {
    let channel = row
        .pay_channel
        .clone()
        .or_else(|| row.pay_template_id.clone())
        .unwrap_or_else(|| "custom".into());
    let metrics = payserver_shared::metrics::metrics();
    payserver_shared::metrics::count_outcome(&metrics.pay_outcomes, channel, row.status);
}

/// The contract body of an order's pay call (also re-sent, idempotently, by the resolver).
pub fn pay_request(state: &AppState, o: &OrderRow) -> PayRequest {
    let clock = &state.clock;
    PayRequest {
        payer: o.payer.clone(),
        payee: o.payee.clone(),
        pay_amount: o.pay_amount,
        traction_no: o.traction_no.clone(),
        client_pay_no: o.client_pay_no.clone(),
        order_start_at: clock.render(o.order_start_at),
        order_expired_at: clock.render(o.order_expired_at),
        pay_params: serde_json::from_str(&o.pay_params).unwrap_or_default(),
        client_extra_params: serde_json::from_str(&o.client_extra_params).unwrap_or_default(),
        pay_start_at: clock.render(o.pay_start_at.unwrap_or(o.created_at)),
        notify_url: Some(state.notify_url.clone()),
        merchant_uuid: o.merchant_uuid.clone(),
        pay_template_id: o.pay_template_id.clone(),
    }
}
