//! The resolver's backlog (`pay_order_checks`). Several replicas share it: a replica works on
//! a row only after claiming its lease with a conditional update, so two never work on the
//! same order at once, on SQLite or PostgreSQL alike.

use diesel::prelude::*;
use payserver_shared::db::DbConnection;

use super::models::{CheckRow, OrderRow};
use super::schema::pay_order_checks::dsl as c;
use super::schema::pay_orders::dsl as o;

/// Rows due for a check and not leased, oldest due first.
pub fn due(conn: &mut DbConnection, now: i64, limit: i64) -> QueryResult<Vec<(CheckRow, OrderRow)>> {
    c::pay_order_checks
        .inner_join(o::pay_orders)
        .filter(c::next_check_at.le(now))
        .filter(c::lease_until.lt(now))
        .order(c::next_check_at.asc())
        .limit(limit)
        .select((CheckRow::as_select(), OrderRow::as_select()))
        .load(conn)
}

/// Takes the lease of a due row until `lease_until`; `true` when this caller got it.
pub fn claim(conn: &mut DbConnection, order_id: i64, now: i64, lease_until: i64) -> QueryResult<bool> {
    diesel::update(
        c::pay_order_checks
            .filter(c::pay_order_id.eq(order_id))
            .filter(c::lease_until.lt(now))
            .filter(c::next_check_at.le(now)),
    )
    .set(c::lease_until.eq(lease_until))
    .execute(conn)
    .map(|n| n == 1)
}

/// Releases the lease and sets the next check.
pub fn reschedule(conn: &mut DbConnection, order_id: i64, next_check_at: i64, attempts: i32) -> QueryResult<()> {
    diesel::update(c::pay_order_checks.filter(c::pay_order_id.eq(order_id)))
        .set((
            c::next_check_at.eq(next_check_at),
            c::attempts.eq(attempts),
            c::lease_until.eq(0),
        ))
        .execute(conn)
        .map(drop)
}

/// The backlog's size and the creation time of its oldest row, for metrics.
pub fn backlog(conn: &mut DbConnection) -> QueryResult<(i64, Option<i64>)> {
    let size = c::pay_order_checks.count().get_result(conn)?;
    let oldest = c::pay_order_checks
        .select(diesel::dsl::min(c::created_at))
        .first(conn)?;
    Ok((size, oldest))
}
