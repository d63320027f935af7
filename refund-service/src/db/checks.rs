//! The refund resolver's backlog (`refund_checks`), shared by replicas through leases taken
//! with a conditional update. A lease is a deadline (`lease_until`, epoch ms); whoever set
//! the current value owns the row until then, and every later write of the row's schedule is
//! conditional on that value, so a worker whose lease was taken over changes nothing.

use diesel::prelude::*;
use payserver_shared::db::DbConnection;

use super::models::{CheckRow, RefundRow};
use super::schema::refund_checks::dsl as c;
use super::schema::refund_orders::dsl as r;

// `due`, `claim`, `reschedule` and `backlog`: the queries of the lease protocol every resolver's backlog
// shares (see the macro).
payserver_shared::backlog_queries!(
    c::refund_checks,
    c::refund_order_id,
    r::refund_orders,
    CheckRow,
    RefundRow
);

/// Whether the lease `lease_until` is still ours and still running at `now`: checked before
/// acting on a connector's answer, which may have taken most of the lease.
pub fn holds(conn: &mut DbConnection, refund_id: i64, lease_until: i64, now: i64) -> QueryResult<bool> {
    if lease_until <= now {
        return Ok(false);
    }
    let n: i64 = c::refund_checks
        .filter(c::refund_order_id.eq(refund_id))
        .filter(c::lease_until.eq(lease_until))
        .count()
        .get_result(conn)?;
    Ok(n == 1)
}

/// The current lease of a refund's resolver row; `None` when it has none (finished).
pub fn lease_of(conn: &mut DbConnection, refund_id: i64) -> QueryResult<Option<i64>> {
    c::refund_checks
        .filter(c::refund_order_id.eq(refund_id))
        .select(c::lease_until)
        .first(conn)
        .optional()
}

/// Takes a refund away from a worker whose lease `seen` has run out, so that it can no longer
/// forget it (see `refunds::forget_unreserved`); `false` when the lease changed meanwhile.
pub fn pin(conn: &mut DbConnection, refund_id: i64, seen: i64) -> QueryResult<bool> {
    diesel::update(
        c::refund_checks
            .filter(c::refund_order_id.eq(refund_id))
            .filter(c::lease_until.eq(seen)),
    )
    .set(c::lease_until.eq(0))
    .execute(conn)
    .map(|n| n == 1)
}
