//! The resolver's backlog (`pay_order_checks`). Several replicas share it: a replica works on
//! a row only after claiming its lease with a conditional update, so two never work on the
//! same order at once, on SQLite or PostgreSQL alike.
//!
//! The lease value is also the holder's fencing token. A claim needs `lease_until < now` and
//! sets `now + lease`, so every claim of a row writes a larger value than the one before it;
//! whoever acts on a connector's answer first checks, in the same transaction, that the row
//! still holds the value it wrote (`lease_until = mine`). A replica whose lease lapsed and was
//! taken over therefore changes nothing, even if its answer arrives late.

use diesel::prelude::*;
use payserver_shared::db::{DbConnection, DbError, write_tx};

use super::models::{CheckRow, OrderRow};
use super::schema::pay_order_checks::dsl as c;
use super::schema::pay_orders::dsl as o;
use crate::domain::PayStatus;

// `due`, `claim`, `reschedule` and `backlog`: the queries of the lease protocol every resolver's backlog
// shares (see the macro).
payserver_shared::backlog_queries!(c::pay_order_checks, c::pay_order_id, o::pay_orders, CheckRow, OrderRow);

/// What a holder finds when it comes back to act on an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lease {
    /// The row still holds this holder's lease (and is now locked by this transaction).
    Held,
    /// The row is gone: the order was settled meanwhile (by a notification or the pay call).
    Settled,
    /// Another holder has the row: this one must not act.
    Lost,
}

/// Re-checks a lease inside the caller's transaction. The no-op update takes the row lock on
/// PostgreSQL, so a concurrent claim waits for this transaction and then sees its outcome.
pub fn recheck(conn: &mut DbConnection, order_id: i64, lease_until: i64) -> QueryResult<Lease> {
    let held = diesel::update(
        c::pay_order_checks
            .filter(c::pay_order_id.eq(order_id))
            .filter(c::lease_until.eq(lease_until)),
    )
    .set(c::lease_until.eq(lease_until))
    .execute(conn)?;
    if held == 1 {
        return Ok(Lease::Held);
    }
    let exists = c::pay_order_checks
        .filter(c::pay_order_id.eq(order_id))
        .count()
        .get_result::<i64>(conn)?;
    Ok(if exists == 0 { Lease::Settled } else { Lease::Lost })
}

/// What [`mark_cancel_sent`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelMark {
    /// Recorded: the cancel may be sent.
    Marked,
    /// The order is no longer `paying` (settled meanwhile): do not cancel.
    NotPaying,
    /// Another holder has the row.
    LeaseLost,
}

/// Records, before the expiry cancel is sent, that it is about to be — under the caller's
/// lease and only for a `paying` order, one transaction. From then on a late success keeps
/// the row (orders::settle), so the cancel is followed up whatever its first answer was.
pub fn mark_cancel_sent(
    conn: &mut DbConnection,
    order_id: i64,
    lease_until: i64,
    now: i64,
) -> Result<CancelMark, DbError> {
    write_tx(conn, |conn| {
        match recheck(conn, order_id, lease_until)? {
            Lease::Held => {}
            Lease::Settled => return Ok(CancelMark::NotPaying),
            Lease::Lost => return Ok(CancelMark::LeaseLost),
        }
        let paying = o::pay_orders
            .filter(o::id.eq(order_id))
            .filter(o::status.eq(PayStatus::Paying))
            .count()
            .get_result::<i64>(conn)?;
        if paying == 0 {
            return Ok(CancelMark::NotPaying);
        }
        diesel::update(
            c::pay_order_checks
                .filter(c::pay_order_id.eq(order_id))
                .filter(c::cancel_sent_at.is_null()),
        )
        .set(c::cancel_sent_at.eq(now))
        .execute(conn)?;
        Ok(CancelMark::Marked)
    })
}

/// Removes the row of an order that needs no more checks (a followed-up cancel), under the
/// caller's lease; `false` when another holder has it.
pub fn retire(conn: &mut DbConnection, order_id: i64, lease_until: i64) -> QueryResult<bool> {
    diesel::delete(
        c::pay_order_checks
            .filter(c::pay_order_id.eq(order_id))
            .filter(c::lease_until.eq(lease_until)),
    )
    .execute(conn)
    .map(|n| n == 1)
}

/// Makes an unleased row due now (a notification the channel could not confirm yet: ask
/// again soon rather than after the backoff). A leased row is left to its holder.
pub fn due_now(conn: &mut DbConnection, order_id: i64, now: i64) -> QueryResult<()> {
    diesel::update(
        c::pay_order_checks
            .filter(c::pay_order_id.eq(order_id))
            .filter(c::lease_until.lt(now))
            .filter(c::next_check_at.gt(now)),
    )
    .set(c::next_check_at.eq(now))
    .execute(conn)
    .map(drop)
}
