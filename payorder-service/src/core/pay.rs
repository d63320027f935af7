//! `POST /pay` (ARCHITECTURE.md "Pay"): validate, look up the mode, insert the order under its
//! unique `(merchantUUID, clientPayNo)`, then settle offline orders at once and call the
//! connector for online ones.

use connector_contract::client::Outcome;
use paymode_lookup::PayModeNow;
use payserver_shared::ApiError;
use payserver_shared::auth::Caller;
use payserver_shared::business::Business;
use payserver_shared::http::RequestId;
use payserver_shared::ids;
use payserver_shared::jobs::backoff_ms;
use payserver_shared::query;
use payserver_shared::time::now_ms;

use super::{Source, failure, pay_request, settle, settlement_of};
use crate::db::checks;
use crate::db::models::{NewOrder, NewTrade, OrderRow};
use crate::db::orders::{self, FirstCheck, Settled};
use crate::domain::{BusinessRet, ConnectorRoute, PayStatus, ValidPay, result_code};
use crate::startup::AppState;

/// A replay must be the same request: same mode and amount (API.md A.4).
fn replay(existing: OrderRow, req: &ValidPay) -> Result<OrderRow, ApiError> {
    if existing.pay_mode_uuid == req.pay_mode_uuid && existing.pay_amount == req.pay_amount {
        Ok(existing)
    } else {
        Err(ApiError::conflict(format!(
            "clientPayNo {} was already used with another payModeUUID or payAmount",
            existing.client_pay_no
        )))
    }
}

fn new_order(merchant: &str, mode: &PayModeNow, req: &ValidPay, now: i64) -> NewOrder {
    let online = mode.is_online == 1;
    let route = ConnectorRoute {
        pay_url: mode.pay_url.clone(),
        query_url: mode.query_url.clone(),
        refund_url: mode.refund_url.clone(),
    };
    let valid_hours = i64::from(mode.order_valid_time.max(1));
    NewOrder {
        uuid: ids::new_uuid(),
        merchant_uuid: merchant.to_string(),
        client_pay_no: req.client_pay_no.clone(),
        traction_no: ids::traction_no('1'),
        pay_mode_uuid: mode.uuid.clone(),
        pay_mode_name: mode.name.clone(),
        pay_template_id: mode.pay_template_id.clone(),
        pay_channel: mode.pay_channel.clone(),
        pay_way: mode.pay_way.clone(),
        payer: req.payer.clone(),
        payee: req.payee.clone(),
        pay_amount: req.pay_amount,
        // Nothing refunded or reserved yet: the columns' defaults (`NOT NULL DEFAULT 0`).
        refund_amount: 0,
        refund_reserved: 0,
        status: if online { PayStatus::Paying } else { PayStatus::Payed },
        business_ret: BusinessRet::for_mode(online, mode.is_async_notify == 1),
        pay_params: serde_json::Value::Object(req.pay_params.clone()).to_string(),
        client_extra_params: serde_json::Value::Object(req.client_extra_params.clone()).to_string(),
        connector: serde_json::to_string(&route).expect("route serializes"),
        third_pay_no: None,
        result_code: None,
        third_error_reason: None,
        order_start_at: now,
        order_expired_at: now + valid_hours * 3_600_000,
        pay_start_at: Some(now),
        pay_finish_at: (!online).then_some(now),
        last_refund_at: None,
        created_at: now,
        modified_at: now,
    }
}

/// Pays, or returns the order an earlier identical request created.
pub async fn pay(state: &AppState, caller: &Caller, req: ValidPay, rid: &RequestId) -> Result<OrderRow, ApiError> {
    let merchant = caller.acting_merchant(req.merchant_uuid.as_deref())?;
    let (m, no) = (merchant.clone(), req.client_pay_no.clone());
    if let Some(existing) = query::run(&state.db, move |c| orders::by_client_no(c, &m, &no)).await? {
        return replay(existing, &req);
    }

    // The mode and its template as they are now (never cached): a mode closed or a template
    // disabled a moment ago refuses this pay. A replay was answered above, whatever the mode.
    let mode = state
        .upstreams
        .pay_mode(&req.pay_mode_uuid, rid)
        .await?
        .filter(|m| m.merchant_uuid == merchant)
        .ok_or_else(|| ApiError::not_found("payMode not found"))?;
    if mode.is_opened != 1 {
        return Err(Business::PayModeNotOpened.error("payMode is not opened"));
    }
    // A mode opened from a template the platform has since disabled is unusable.
    if mode.template_enabled() == Some(false) {
        return Err(Business::PayModeUnusable.error("the payMode's template is disabled"));
    }
    let online = mode.is_online == 1;
    if online && mode.pay_url.as_deref().is_none_or(str::is_empty) {
        return Err(Business::PayModeUnusable.error("payMode is online but has no payUrl"));
    }

    let now = now_ms();
    // The pay call's own lease on the resolver row: the resolver leaves the order alone while
    // this request talks to the connector.
    let lease = now + state.settings.connector_timeout_ms as i64 + 5_000;
    // A collision of the random tractionNo is retried with a new one; a clientPayNo race is
    // a replay of the winner.
    let order = 'insert: {
        for _ in 0..3 {
            let new = new_order(&merchant, &mode, &req, now);
            let check = online.then_some(FirstCheck {
                next_check_at: lease,
                lease_until: lease,
            });
            let inserted = state
                .db
                .run(move |c| {
                    let trade = |row: &OrderRow| NewTrade::pay(row, None, row.created_at);
                    orders::insert(
                        c,
                        &new,
                        check,
                        (!online).then_some(&trade as &dyn Fn(&OrderRow) -> NewTrade),
                    )
                })
                .await;
            match inserted {
                Ok(row) => break 'insert row,
                Err(e) if e.is_unique_violation() => {
                    let (m, no) = (merchant.clone(), req.client_pay_no.clone());
                    let existing = query::run(&state.db, move |c| orders::by_client_no(c, &m, &no)).await?;
                    if let Some(existing) = existing {
                        return replay(existing, &req);
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
        return Err(ApiError::internal("could not allocate a unique tractionNo"));
    };
    if !online {
        tracing::info!(traction_no = %order.traction_no, "offline pay recorded");
        super::count_outcome(&order);
        return Ok(order);
    }
    call_connector(state, order, lease, rid).await
}

/// The first call to the connector. While it runs, this request holds the resolver's lease
/// on the order, so nothing else talks to the connector about it.
async fn call_connector(state: &AppState, order: OrderRow, lease: i64, rid: &RequestId) -> Result<OrderRow, ApiError> {
    let url = order.route().pay_url.unwrap_or_default();
    let body = pay_request(state, &order);
    // A definite answer settles whatever the lease: it is the channel's own word. The reason of
    // a refusal comes from the contract client, which never puts the connector's URL in it
    // (it becomes the merchant-visible `thirdErrorReason`).
    let s = match state.connectors.pay(&url, &body, Some(rid)).await {
        Outcome::Answer(a) => match settlement_of(state, &a) {
            Some(s) => s,
            None => return leave_to_resolver(state, order, lease, "running").await,
        },
        Outcome::Unknown(why) => return leave_to_resolver(state, order, lease, &why).await,
        // The only call so far did not reach the connector or was refused: nothing was done.
        Outcome::Rejected(why) | Outcome::NotFound(why) | Outcome::Unreachable(why) => {
            failure(result_code::CONNECTOR_REJECTED, why)
        }
    };
    match settle(state, order.id, s, None, Source::Answer).await? {
        Settled::Moved(row) | Settled::Unchanged(row) => Ok(row),
        Settled::LeaseLost => Err(ApiError::internal("a settlement without a lease reported a lost lease")),
    }
}

async fn leave_to_resolver(state: &AppState, order: OrderRow, lease: i64, why: &str) -> Result<OrderRow, ApiError> {
    tracing::info!(traction_no = %order.traction_no, why, "pay outcome not known yet; the resolver takes over");
    let next = now_ms()
        + backoff_ms(
            0,
            state.settings.resolver_backoff_ms,
            state.settings.resolver_backoff_max_ms,
        );
    let id = order.id;
    // Only while the row still holds this request's lease: if the resolver took over (the call
    // outlasted the lease), it decides the next check.
    query::run(&state.db, move |c| checks::reschedule(c, id, lease, next, 0)).await?;
    // A notification may have settled it meanwhile.
    query::run(&state.db, move |c| orders::by_id(c, id))
        .await?
        .ok_or_else(|| ApiError::internal("order vanished"))
}
