//! The refund saga (ARCHITECTURE.md "Refund"). [`advance`] moves a refund order as far as it
//! can go from its stored state; the request handler, notifications and the resolver all
//! drive it, so a crash anywhere is repaired by calling it again:
//!
//! - `unRefund` → reserve the amount on the pay order → `refunding`;
//! - `refunding` with no connector answer → call refundUrl (the handler), or ask queryUrl /
//!   re-send the refund, idempotent by tractionNo (the resolver); offline pays need no call;
//! - a definite answer is recorded first (`connector_ret`), then the pay order is told:
//!   success → confirm → `refunded`; failure → release → `refundFailed`.

pub mod batch;
pub mod notify;
pub mod refund;
pub mod resolver;

use connector_contract::client::Outcome;
use connector_contract::types::{QueryKind, QueryRequest, RefundRequest, Ret, TradeAnswer};
use payserver_shared::ApiError;
use payserver_shared::db::DbError;
use payserver_shared::http::RequestId;
use payserver_shared::time::now_ms;
use serde_json::json;

use crate::db::models::RefundRow;
use crate::db::refunds::{self, Reserved};
use crate::domain::{ConnectorInfo, RefundStatus, result_code};
use crate::startup::AppState;
use crate::upstream::Step;

/// Who drives the saga: the first call may trust a refused connector call (it was the only
/// one); the resolver may not, and asks instead of calling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Driver {
    Handler,
    Resolver,
}

pub enum Progress {
    /// `refunded` or `refundFailed`.
    Settled(RefundRow),
    /// Waiting on someone; the resolver will drive it again.
    Pending(RefundRow, String),
    /// The pay order refused the refund before anything was held (handler only).
    Refused(ApiError),
}

async fn db<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&mut payserver_shared::db::DbConnection) -> Result<T, DbError> + Send + 'static,
) -> Result<T, ApiError> {
    state.db.run(f).await.map_err(ApiError::from)
}

fn refund_request(state: &AppState, row: &RefundRow) -> RefundRequest {
    let info = row.connector_info();
    RefundRequest {
        client_refund_no: row.client_refund_no.clone(),
        traction_no: row.traction_no.clone(),
        pay_traction_no: row.pay_traction_no.clone(),
        third_pay_no: info.third_pay_no,
        payee: info.payee,
        pay_amount: info.pay_amount,
        refund_amount: row.refund_amount.unwrap_or_default(),
        is_cancel: row.is_cancel,
        notify_url: Some(state.notify_url.clone()),
        client_extra_params: serde_json::from_str(&row.client_extra_params).unwrap_or_default(),
        merchant_uuid: row.merchant_uuid.clone(),
    }
}

/// Asks the connector again (resolver): queryUrl when there is one, else — or when the
/// connector never saw the refund — the refund is re-sent, idempotent by tractionNo.
async fn ask(state: &AppState, row: &RefundRow, url: &str, rid: &RequestId) -> Outcome<TradeAnswer> {
    if let Some(query_url) = row.connector_info().query_url.filter(|u| !u.is_empty()) {
        let q = QueryRequest {
            traction_no: row.traction_no.clone(),
            kind: QueryKind::Refund,
        };
        match state.connectors.query(&query_url, &q, Some(rid)).await {
            Outcome::NotFound(_) => {}
            Outcome::Rejected(why) => return Outcome::Unknown(why),
            other => return other,
        }
    }
    match state
        .connectors
        .refund(url, &refund_request(state, row), Some(rid))
        .await
    {
        // A refused re-send proves nothing about the first send.
        Outcome::Rejected(why) | Outcome::NotFound(why) => Outcome::Unknown(why),
        other => other,
    }
}

async fn record(
    state: &AppState,
    row: &RefundRow,
    ret: &str,
    third_no: Option<String>,
    code: Option<&'static str>,
    reason: Option<String>,
    at: i64,
) -> Result<RefundRow, ApiError> {
    let id = row.id;
    let ret = ret.to_string();
    db(state, move |c| {
        refunds::record_connector(c, id, &ret, third_no, code, reason, at)
    })
    .await
}

pub async fn advance(
    state: &AppState,
    mut row: RefundRow,
    rid: &RequestId,
    driver: Driver,
) -> Result<Progress, ApiError> {
    loop {
        let id = row.id;
        let status = RefundStatus::parse(&row.status).unwrap_or(RefundStatus::RefundFailed);
        match (status, row.connector_ret.as_deref()) {
            (RefundStatus::Refunded | RefundStatus::RefundFailed, _) => return Ok(Progress::Settled(row)),
            (RefundStatus::UnRefund, _) => {
                let body = json!({
                    "payTractionNo": row.pay_traction_no, "refundTractionNo": row.traction_no,
                    "refundOrderUUID": row.uuid, "amount": row.requested_amount, "isCancel": row.is_cancel,
                    "merchantUUID": row.merchant_uuid,
                });
                match state.upstreams.reserve(&body, rid).await {
                    Step::Done(held) => {
                        let o = held.pay_order;
                        let reserved = Reserved {
                            amount: held.amount,
                            pay_order_uuid: o.uuid,
                            pay_mode_uuid: o.pay_mode_uuid,
                            pay_template_id: o.pay_template_id,
                            business_ret: crate::domain::business_ret(&o.business_ret).to_string(),
                            connector: ConnectorInfo {
                                refund_url: o.refund_url,
                                query_url: o.query_url,
                                pay_amount: o.pay_amount,
                                third_pay_no: o.third_pay_no,
                                payee: o.payee,
                            },
                        };
                        row = db(state, move |c| refunds::record_reservation(c, id, &reserved, now_ms())).await?;
                    }
                    Step::Refused(e) if driver == Driver::Handler => {
                        db(state, move |c| refunds::forget_unreserved(c, id, now_ms())).await?;
                        return Ok(Progress::Refused(e));
                    }
                    Step::Refused(e) => {
                        let reason = Some(e.message.clone());
                        row = db(state, move |c| {
                            refunds::finish(
                                c,
                                id,
                                RefundStatus::RefundFailed,
                                Some(result_code::NOT_REFUNDABLE),
                                reason,
                                now_ms(),
                            )
                        })
                        .await?;
                    }
                    Step::Unknown(why) => return Ok(Progress::Pending(row, why)),
                }
            }
            (RefundStatus::Refunding, None) => {
                if row.business_ret.as_deref() == Some("offlineRefund") {
                    // Offline pays (cash, card terminal) are refunded at the till.
                    row = record(state, &row, "success", None, None, None, now_ms()).await?;
                    continue;
                }
                let Some(url) = row.connector_info().refund_url.filter(|u| !u.is_empty()) else {
                    row = record(
                        state,
                        &row,
                        "failed",
                        None,
                        Some(result_code::CONNECTOR_REJECTED),
                        Some("the pay mode has no refundUrl".into()),
                        now_ms(),
                    )
                    .await?;
                    continue;
                };
                let outcome = match driver {
                    Driver::Handler => {
                        state
                            .connectors
                            .refund(&url, &refund_request(state, &row), Some(rid))
                            .await
                    }
                    Driver::Resolver => ask(state, &row, &url, rid).await,
                };
                row = match outcome {
                    Outcome::Answer(a) if a.ret == Ret::Success => {
                        let at = a
                            .trade_finished_at
                            .as_deref()
                            .and_then(|t| state.clock.parse_filter(t))
                            .unwrap_or_else(now_ms);
                        record(
                            state,
                            &row,
                            "success",
                            a.third_order_no.filter(|s| !s.is_empty()),
                            None,
                            None,
                            at,
                        )
                        .await?
                    }
                    Outcome::Answer(a) if a.ret == Ret::Failed => {
                        let reason = a
                            .third_error_reason
                            .filter(|s| !s.is_empty())
                            .unwrap_or_else(|| "the channel declined the refund".into());
                        record(
                            state,
                            &row,
                            "failed",
                            a.third_order_no,
                            Some(result_code::CONNECTOR_FAILED),
                            Some(reason),
                            now_ms(),
                        )
                        .await?
                    }
                    Outcome::Answer(_) => return Ok(Progress::Pending(row, "running".into())),
                    Outcome::Unknown(why) => return Ok(Progress::Pending(row, why)),
                    Outcome::Rejected(why) | Outcome::NotFound(why) => {
                        record(
                            state,
                            &row,
                            "failed",
                            None,
                            Some(result_code::CONNECTOR_REJECTED),
                            Some(why),
                            now_ms(),
                        )
                        .await?
                    }
                };
            }
            (RefundStatus::Refunding, Some("success")) => match state
                .upstreams
                .confirm(
                    &row.traction_no,
                    row.third_refund_no.as_deref(),
                    row.refund_finish_at,
                    rid,
                )
                .await
            {
                Step::Done(_) => {
                    row = db(state, move |c| {
                        refunds::finish(c, id, RefundStatus::Refunded, None, None, now_ms())
                    })
                    .await?
                }
                Step::Refused(e) => {
                    tracing::error!(traction_no = %row.traction_no, error = %e, "the pay order refused to confirm a refund the channel made");
                    return Ok(Progress::Pending(row, e.message));
                }
                Step::Unknown(why) => return Ok(Progress::Pending(row, why)),
            },
            (RefundStatus::Refunding, Some(_)) => match state.upstreams.release(&row.traction_no, rid).await {
                Step::Done(_) => {
                    row = db(state, move |c| {
                        refunds::finish(c, id, RefundStatus::RefundFailed, None, None, now_ms())
                    })
                    .await?
                }
                Step::Refused(e) => {
                    tracing::error!(traction_no = %row.traction_no, error = %e, "the pay order refused to release a failed refund");
                    return Ok(Progress::Pending(row, e.message));
                }
                Step::Unknown(why) => return Ok(Progress::Pending(row, why)),
            },
        }
    }
}
