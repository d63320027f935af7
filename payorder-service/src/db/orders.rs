//! Pay orders: insert, find, settle, and their collection. Blocking; called through `Database::run`.

use diesel::prelude::*;
use payserver_shared::db::{DbConnection, DbError, write_tx};
use payserver_shared::listing::Listing;

use super::checks::{self, Lease};
use super::models::{NewOrder, NewTrade, OrderRow};
use super::schema::pay_order_checks::dsl as c;
use super::schema::pay_orders;
use super::schema::pay_orders::dsl as o;
use super::schema::trade_records::dsl as t;
use crate::domain::PayStatus;

/// The resolver's first look at a new online order: lease and check time.
#[derive(Debug, Clone, Copy)]
pub struct FirstCheck {
    pub next_check_at: i64,
    pub lease_until: i64,
}

/// Inserts an order; an offline order comes with its trade record, an online one with its
/// resolver row. All in one transaction.
pub fn insert(
    conn: &mut DbConnection,
    order: &NewOrder,
    check: Option<FirstCheck>,
    settled_trade: Option<&dyn Fn(&OrderRow) -> NewTrade>,
) -> Result<OrderRow, DbError> {
    write_tx(conn, |conn| {
        diesel::insert_into(o::pay_orders).values(order).execute(conn)?;
        let row = by_uuid(conn, &order.uuid)?.ok_or(DbError::Query(diesel::result::Error::NotFound))?;
        if let Some(check) = check {
            diesel::insert_into(c::pay_order_checks)
                .values((
                    c::pay_order_id.eq(row.id),
                    c::next_check_at.eq(check.next_check_at),
                    c::attempts.eq(0),
                    c::lease_until.eq(check.lease_until),
                    c::created_at.eq(order.created_at),
                ))
                .execute(conn)?;
        }
        if let Some(trade) = settled_trade {
            diesel::insert_into(t::trade_records)
                .values(trade(&row))
                .execute(conn)?;
        }
        Ok(row)
    })
}

pub fn by_uuid(conn: &mut DbConnection, uuid: &str) -> QueryResult<Option<OrderRow>> {
    all().filter(o::uuid.eq(uuid.to_owned())).first(conn).optional()
}

pub fn by_id(conn: &mut DbConnection, id: i64) -> QueryResult<Option<OrderRow>> {
    all().filter(o::id.eq(id)).first(conn).optional()
}

pub fn by_traction_no(conn: &mut DbConnection, traction_no: &str) -> QueryResult<Option<OrderRow>> {
    all()
        .filter(o::traction_no.eq(traction_no.to_owned()))
        .first(conn)
        .optional()
}

pub fn by_client_no(conn: &mut DbConnection, merchant: &str, client_pay_no: &str) -> QueryResult<Option<OrderRow>> {
    all()
        .filter(o::merchant_uuid.eq(merchant.to_owned()))
        .filter(o::client_pay_no.eq(client_pay_no.to_owned()))
        .first(conn)
        .optional()
}

/// The final outcome of a `paying` order.
#[derive(Debug, Clone)]
pub struct Settlement {
    pub status: PayStatus,
    pub third_pay_no: Option<String>,
    pub result_code: Option<String>,
    pub third_error_reason: Option<String>,
    pub finished_at: i64,
}

/// What a settlement did.
#[derive(Debug, Clone)]
pub enum Settled {
    /// This call moved the order out of `paying`.
    Moved(OrderRow),
    /// The order was already final (settled by another path); it is as it is now.
    Unchanged(OrderRow),
    /// The resolver's lease was taken over by another replica: nothing was done.
    LeaseLost,
}

/// Moves a `paying` order to its outcome, journals a successful pay and retires the
/// resolver's row — one transaction. Only a `paying` order moves: settling twice (the pay
/// call, a notification and the resolver may race) changes nothing the second time, and the
/// caller learns it from [`Settled::Unchanged`] with the order's real state.
///
/// `lease` is the resolver's: the settlement applies only while the row still holds it
/// (checks.rs), or when the row is gone because another path settled the order.
pub fn settle(conn: &mut DbConnection, order_id: i64, s: &Settlement, lease: Option<i64>) -> Result<Settled, DbError> {
    write_tx(conn, |conn| {
        if let Some(lease) = lease
            && checks::recheck(conn, order_id, lease)? == Lease::Lost
        {
            return Ok(Settled::LeaseLost);
        }
        let moved = diesel::update(
            o::pay_orders
                .filter(o::id.eq(order_id))
                .filter(o::status.eq(PayStatus::Paying)),
        )
        .set((
            o::status.eq(s.status),
            o::third_pay_no.eq(&s.third_pay_no),
            o::result_code.eq(&s.result_code),
            o::third_error_reason.eq(&s.third_error_reason),
            o::pay_finish_at.eq(s.finished_at),
            o::modified_at.eq(s.finished_at),
        ))
        .execute(conn)?
            == 1;
        let row = by_id(conn, order_id)?.ok_or(DbError::Query(diesel::result::Error::NotFound))?;
        if !moved {
            return Ok(Settled::Unchanged(row));
        }
        let checks_of_order = c::pay_order_checks.filter(c::pay_order_id.eq(order_id));
        if s.status == PayStatus::Payed {
            diesel::insert_into(t::trade_records)
                .values(NewTrade::pay(&row, s.third_pay_no.clone(), s.finished_at))
                .execute(conn)?;
            // A success that lands after the expiry cancel was sent keeps the resolver's row:
            // the cancel may return the money, and its outcome must still be learnt.
            diesel::delete(checks_of_order.filter(c::cancel_sent_at.is_null())).execute(conn)?;
        } else {
            diesel::delete(checks_of_order).execute(conn)?;
        }
        Ok(Settled::Moved(row))
    })
}

/// What [`journal_reversal`] did.
#[derive(Debug, Clone)]
pub enum Reversal {
    /// The order is now `refunded` and the journal has the reversal.
    Journaled(OrderRow),
    /// An earlier call journaled it (the cancel's serial is in the journal).
    AlreadyJournaled,
    /// The order is not a plain `payed` one any more (a refund was reserved or made on it
    /// meanwhile): the books cannot be fixed automatically.
    Blocked(OrderRow),
}

/// The channel returned the whole pay (the expiry cancel succeeded) after a late success had
/// settled the order `payed` with its journal row. The books follow the money: the order
/// becomes `refunded` with `refundAmount = payAmount`, and the journal gets a `refund` row
/// for the whole amount under the cancel's own serial (`thirdNo` says `cancel:`), so that
/// "journal = paid - refunded" still holds — one transaction, conditional on the order still
/// being `payed` with nothing refunded or reserved.
pub fn journal_reversal(
    conn: &mut DbConnection,
    order_id: i64,
    cancel_traction_no: &str,
    third_no: &str,
    at: i64,
) -> Result<Reversal, DbError> {
    write_tx(conn, |conn| {
        let reversed = diesel::update(
            o::pay_orders
                .filter(o::id.eq(order_id))
                .filter(o::status.eq(PayStatus::Payed))
                .filter(o::refund_amount.eq(0))
                .filter(o::refund_reserved.eq(0)),
        )
        .set((
            o::status.eq(PayStatus::Refunded),
            o::refund_amount.eq(o::pay_amount),
            o::last_refund_at.eq(at),
            o::modified_at.eq(at),
        ))
        .execute(conn)?;
        let row = by_id(conn, order_id)?.ok_or(DbError::Query(diesel::result::Error::NotFound))?;
        // The cancel's outcome is known now, whatever the books can do with it.
        diesel::delete(c::pay_order_checks.filter(c::pay_order_id.eq(order_id))).execute(conn)?;
        if reversed == 1 {
            diesel::insert_into(t::trade_records)
                .values(NewTrade::refund(
                    &row,
                    cancel_traction_no,
                    row.pay_amount,
                    None,
                    Some(third_no.to_string()),
                    at,
                ))
                .execute(conn)?;
            return Ok(Reversal::Journaled(row));
        }
        let journaled = t::trade_records
            .filter(t::traction_no.eq(cancel_traction_no))
            .count()
            .get_result::<i64>(conn)?;
        Ok(if journaled > 0 {
            Reversal::AlreadyJournaled
        } else {
            Reversal::Blocked(row)
        })
    })
}

payserver_shared::row_query!(pay_orders -> OrderRow);

/// `/payOrders` and its sub-collections (public and internal).
pub static ORDERS: Listing<Query> = payserver_shared::listing! {
    o;
    filters: [
        text("clientPayNo", "Exact match."): client_pay_no eq,
        text("tractionNo", "Exact match."): traction_no eq,
        text("payModeUUID", "Exact match."): pay_mode_uuid eq,
        text("payTemplateId", "Exact match."): pay_template_id eq,
        one_of("status", "Exact match.", PayStatus::ALL): status eq,
        time("startTime", "Inclusive lower bound on `createdAt`."): created_at ge,
        time("endTime", "Inclusive upper bound on `createdAt`."): created_at le,
    ],
    sorts: ["createdAt": created_at, "payAmount": pay_amount, "payFinishAt": pay_finish_at],
    merchant: merchant_uuid,
};
