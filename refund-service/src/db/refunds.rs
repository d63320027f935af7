//! Refund orders: the saga's durable state. Every transition is a conditional update on the
//! current state, so the request handler, notifications and resolver replicas can race
//! without a step happening twice. Blocking; called through `Database::run`.

use diesel::prelude::*;
use payserver_shared::db::{DbConnection, DbError, write_tx};
use payserver_shared::listing::Listing;

use super::models::{NewRefund, RefundRow};
use super::schema::refund_checks::dsl as c;
use super::schema::refund_orders;
use super::schema::refund_orders::dsl as r;
use crate::domain::{ConnectorInfo, ConnectorRet, RefundBusinessRet, RefundStatus};

pub fn by_id(conn: &mut DbConnection, id: i64) -> QueryResult<Option<RefundRow>> {
    all().filter(r::id.eq(id)).first(conn).optional()
}

fn get(conn: &mut DbConnection, id: i64) -> Result<RefundRow, DbError> {
    Ok(all().filter(r::id.eq(id)).first(conn)?)
}

/// Inserts the refund's intent with its resolver row (leased by the caller while it works).
pub fn insert(conn: &mut DbConnection, new: &NewRefund, lease_until: i64) -> Result<RefundRow, DbError> {
    write_tx(conn, |conn| {
        diesel::insert_into(r::refund_orders).values(new).execute(conn)?;
        let row = by_uuid(conn, &new.uuid)?.ok_or(DbError::Query(diesel::result::Error::NotFound))?;
        diesel::insert_into(c::refund_checks)
            .values((
                c::refund_order_id.eq(row.id),
                c::next_check_at.eq(lease_until),
                c::attempts.eq(0),
                c::lease_until.eq(lease_until),
                c::created_at.eq(new.created_at),
            ))
            .execute(conn)?;
        Ok(row)
    })
}

pub fn by_uuid(conn: &mut DbConnection, uuid: &str) -> QueryResult<Option<RefundRow>> {
    all().filter(r::uuid.eq(uuid.to_owned())).first(conn).optional()
}

pub fn by_traction_no(conn: &mut DbConnection, traction_no: &str) -> QueryResult<Option<RefundRow>> {
    all()
        .filter(r::traction_no.eq(traction_no.to_owned()))
        .first(conn)
        .optional()
}

pub fn by_client_no(conn: &mut DbConnection, merchant: &str, client_refund_no: &str) -> QueryResult<Option<RefundRow>> {
    all()
        .filter(r::merchant_uuid.eq(merchant.to_owned()))
        .filter(r::client_refund_no.eq(client_refund_no.to_owned()))
        .first(conn)
        .optional()
}

/// Forgets a refund the pay order refused before anything was held: nothing happened, so a
/// later request with the same clientRefundNo is judged afresh. Only the request that wrote
/// the refund may forget it, and only while its lease (`lease_until`) is still its own: a
/// replay that acknowledged the refund meanwhile has taken the lease (`checks::pin`), and an
/// acknowledged refund never vanishes. `false` when the refund is kept.
pub fn forget_unreserved(conn: &mut DbConnection, id: i64, lease_until: i64, now: i64) -> Result<bool, DbError> {
    write_tx(conn, |conn| {
        // Take the order's row (the lock holds until commit) only if nothing was held yet; an
        // order that has moved on keeps its resolver row and is finished by the resolver.
        let still_unreserved = diesel::update(
            r::refund_orders
                .filter(r::id.eq(id))
                .filter(r::status.eq(RefundStatus::UnRefund)),
        )
        .set(r::modified_at.eq(now))
        .execute(conn)?
            == 1;
        if !still_unreserved || lease_until <= now {
            return Ok(false);
        }
        let ours = diesel::delete(
            c::refund_checks
                .filter(c::refund_order_id.eq(id))
                .filter(c::lease_until.eq(lease_until)),
        )
        .execute(conn)?
            == 1;
        if ours {
            diesel::delete(r::refund_orders.filter(r::id.eq(id))).execute(conn)?;
        }
        Ok(ours)
    })
}

/// What the reservation told us about the pay order.
#[derive(Debug, Clone)]
pub struct Reserved {
    pub amount: i64,
    pub pay_order_uuid: String,
    pub pay_mode_uuid: String,
    pub pay_template_id: Option<String>,
    pub business_ret: RefundBusinessRet,
    pub connector: ConnectorInfo,
}

/// `unRefund` → `refunding` with the held amount.
pub fn record_reservation(conn: &mut DbConnection, id: i64, res: &Reserved, now: i64) -> Result<RefundRow, DbError> {
    diesel::update(
        r::refund_orders
            .filter(r::id.eq(id))
            .filter(r::status.eq(RefundStatus::UnRefund)),
    )
    .set((
        r::status.eq(RefundStatus::Refunding),
        r::refund_amount.eq(res.amount),
        r::pay_order_uuid.eq(&res.pay_order_uuid),
        r::pay_mode_uuid.eq(&res.pay_mode_uuid),
        r::pay_template_id.eq(&res.pay_template_id),
        r::business_ret.eq(res.business_ret),
        r::connector.eq(serde_json::to_string(&res.connector).expect("connector info serializes")),
        r::modified_at.eq(now),
    ))
    .execute(conn)?;
    get(conn, id)
}

/// Records the connector's definite answer, once, on a refund in flight; the row as it is
/// afterwards (its `connector_ret` may be an earlier, different answer).
pub fn record_connector(
    conn: &mut DbConnection,
    id: i64,
    ret: ConnectorRet,
    third_no: Option<String>,
    code: Option<&str>,
    reason: Option<String>,
    at: i64,
) -> Result<RefundRow, DbError> {
    diesel::update(
        r::refund_orders
            .filter(r::id.eq(id))
            .filter(r::status.eq(RefundStatus::Refunding))
            .filter(r::connector_ret.is_null()),
    )
    .set((
        r::connector_ret.eq(ret),
        r::third_refund_no.eq(third_no),
        r::result_code.eq(code),
        r::third_error_reason.eq(reason),
        r::refund_finish_at.eq(at),
        r::modified_at.eq(at),
    ))
    .execute(conn)?;
    get(conn, id)
}

/// The saga's last step: from the open status `from` to the final `status` (with a result
/// code when the platform decided it), and the resolver row retired. Only a refund still in
/// `from` moves.
pub fn finish(
    conn: &mut DbConnection,
    id: i64,
    from: RefundStatus,
    status: RefundStatus,
    code: Option<&str>,
    reason: Option<String>,
    now: i64,
) -> Result<RefundRow, DbError> {
    write_tx(conn, |conn| {
        let moved = diesel::update(r::refund_orders.filter(r::id.eq(id)).filter(r::status.eq(from)))
            .set((r::status.eq(status), r::modified_at.eq(now)))
            .execute(conn)?
            == 1;
        if moved {
            if let Some(code) = code {
                diesel::update(r::refund_orders.filter(r::id.eq(id)))
                    .set((
                        r::result_code.eq(code),
                        r::third_error_reason.eq(reason),
                        r::refund_finish_at.eq(now),
                    ))
                    .execute(conn)?;
            }
            diesel::delete(c::refund_checks.filter(c::refund_order_id.eq(id))).execute(conn)?;
        }
        Ok((get(conn, id)?, moved))
    })
    .map(|(row, moved)| {
        // Counted once the transaction has committed.
        if moved {
            let channel = row.pay_template_id.clone().unwrap_or_else(|| "custom".into());
            let metrics = payserver_shared::metrics::metrics();
            payserver_shared::metrics::count_outcome(&metrics.refund_outcomes, channel, row.status);
        }
        row
    })
}

payserver_shared::row_query!(refund_orders -> RefundRow);

/// `/refundOrders` and its sub-collections.
pub static REFUNDS: Listing<Query> = payserver_shared::listing! {
    r;
    filters: [
        text("clientRefundNo", "Exact match."): client_refund_no eq,
        text("tractionNo", "Exact match (the refund's serial)."): traction_no eq,
        text("payTractionNo", "Exact match."): pay_traction_no eq,
        text("payOrderUUID", "Exact match."): pay_order_uuid eq,
        text("payModeUUID", "Exact match."): pay_mode_uuid eq,
        text("payTemplateId", "Exact match."): pay_template_id eq,
        one_of("status", "Exact match.", RefundStatus::ALL): status eq,
        time("startTime", "Inclusive lower bound on `createdAt`."): created_at ge,
        time("endTime", "Inclusive upper bound on `createdAt`."): created_at le,
    ],
    sorts: ["createdAt": created_at, "refundAmount": refund_amount, "refundFinishAt": refund_finish_at],
    merchant: merchant_uuid,
};
