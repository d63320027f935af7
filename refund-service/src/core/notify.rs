//! `POST /refundNotify`: an asynchronous connector reports a refund's outcome (API.md A.1
//! "Trust boundary"). Only the refund's own connector may speak: the one owning the refundUrl
//! the refund was sent to; a refund sent to an unregistered URL has none and takes no
//! notification. When that connector has a queryUrl, its books are asked before anything
//! moves, so a forged or mistaken notification settles nothing. Idempotent: the answer is
//! recorded once; a refund whose outcome is known never moves, and a notification saying
//! otherwise is a contradiction (logged at error level, counted).

use connector_contract::client::Outcome;
use connector_contract::types::{QueryKind, QueryRequest, Ret, TradeAnswer};
use payserver_shared::ApiError;
use payserver_shared::http::RequestId;
use payserver_shared::metrics::metrics;
use payserver_shared::query;

use super::{Driver, Progress, Word, advance, contradiction, known_outcome, record};
use crate::db::models::RefundRow;
use crate::db::refunds;
use crate::startup::AppState;

fn ret_str(ret: Ret) -> &'static str {
    match ret {
        Ret::Success => "success",
        Ret::Failed => "failed",
        Ret::Running => "running",
    }
}

fn refused(reason: &str, message: String) -> ApiError {
    metrics().notification_refused("refund", reason);
    ApiError::conflict(message)
}

/// `connector` is the caller's connector credential's name.
pub async fn refund_notify(
    state: &AppState,
    connector: &str,
    a: TradeAnswer,
    rid: &RequestId,
) -> Result<RefundRow, ApiError> {
    let traction = a.traction_no.clone();
    let row = query::run(&state.db, move |c| refunds::by_traction_no(c, &traction))
        .await?
        .ok_or_else(|| ApiError::not_found("no refund order with this tractionNo"))?;
    let info = row.connector_info();
    let owner = info
        .refund_url
        .as_deref()
        .and_then(|url| state.connectors.connector_of(url));
    if owner != Some(connector) {
        tracing::warn!(traction_no = %row.traction_no, connector, owner, "refund notification from a connector that does not own the refund");
        metrics().notification_refused("refund", "foreign_connector");
        return Err(ApiError::forbidden("this refund was not sent to this connector"));
    }
    let Some(word) = Word::of(state, &a) else {
        return Ok(row);
    };
    if let Some(known) = known_outcome(&row) {
        if known != word.ret {
            contradiction(&row, word.ret, "notify");
            return Err(ApiError::conflict(format!("the refund is already {known}")));
        }
        // A repeat: carry it through to the pay order if a crash stopped it there.
        return drive(state, row, rid).await;
    }
    let word = match info.query_url.filter(|u| !u.is_empty()) {
        None => word,
        Some(query_url) => {
            let q = QueryRequest {
                traction_no: row.traction_no.clone(),
                kind: QueryKind::Refund,
            };
            match state.connectors.query(&query_url, &q, Some(rid)).await {
                // The books agree: their details are the ones to keep.
                Outcome::Answer(books) if books.ret == a.ret => Word::of(state, &books).unwrap_or(word),
                Outcome::Answer(books) if books.ret != Ret::Running => {
                    // The books say the opposite: they decide, the notification is refused.
                    if let Some(books_word) = Word::of(state, &books) {
                        let row = record(state, &row, books_word, Driver::Notify).await?;
                        drive(state, row, rid).await?;
                    }
                    return Err(refused(
                        "unconfirmed",
                        format!("the connector's queryUrl says the refund {}", ret_str(books.ret)),
                    ));
                }
                Outcome::Unknown(why) | Outcome::Rejected(why) | Outcome::Unreachable(why) => {
                    tracing::warn!(traction_no = %row.traction_no, why, "could not confirm a refund notification");
                    metrics().notification_refused("refund", "unconfirmed");
                    return Err(ApiError::unavailable(
                        "the connector's queryUrl could not confirm the notification; send it again later",
                    ));
                }
                Outcome::Answer(_) | Outcome::NotFound(_) => {
                    return Err(refused(
                        "unconfirmed",
                        "the connector's queryUrl does not confirm the notification".into(),
                    ));
                }
            }
        }
    };
    let ret = word.ret;
    let row = record(state, &row, word, Driver::Notify).await?;
    if known_outcome(&row).is_some_and(|known| known != ret) {
        return Err(ApiError::conflict(format!(
            "the refund is already {}",
            known_outcome(&row).map_or("", |k| k.as_str())
        )));
    }
    drive(state, row, rid).await
}

/// Carries a recorded answer through to the pay order (confirm or release).
async fn drive(state: &AppState, row: RefundRow, rid: &RequestId) -> Result<RefundRow, ApiError> {
    Ok(match advance(state, row, rid, Driver::Notify, None).await? {
        Progress::Settled(r) | Progress::Pending(r, _) => r,
        Progress::Refused(e) => return Err(e),
    })
}
