//! The refund resolver's backlog (`refund_checks`), shared by replicas through leases taken
//! with a conditional update.

use diesel::prelude::*;
use payserver_shared::db::DbConnection;

use super::models::{CheckRow, RefundRow};
use super::schema::refund_checks::dsl as c;
use super::schema::refund_orders::dsl as r;

pub fn due(conn: &mut DbConnection, now: i64, limit: i64) -> QueryResult<Vec<(CheckRow, RefundRow)>> {
    c::refund_checks
        .inner_join(r::refund_orders)
        .filter(c::next_check_at.le(now))
        .filter(c::lease_until.lt(now))
        .order(c::next_check_at.asc())
        .limit(limit)
        .select((CheckRow::as_select(), RefundRow::as_select()))
        .load(conn)
}

pub fn claim(conn: &mut DbConnection, refund_id: i64, now: i64, lease_until: i64) -> QueryResult<bool> {
    diesel::update(
        c::refund_checks
            .filter(c::refund_order_id.eq(refund_id))
            .filter(c::lease_until.lt(now))
            .filter(c::next_check_at.le(now)),
    )
    .set(c::lease_until.eq(lease_until))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn reschedule(conn: &mut DbConnection, refund_id: i64, next_check_at: i64, attempts: i32) -> QueryResult<()> {
    diesel::update(c::refund_checks.filter(c::refund_order_id.eq(refund_id)))
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
    let size = c::refund_checks.count().get_result(conn)?;
    let oldest = c::refund_checks.select(diesel::dsl::min(c::created_at)).first(conn)?;
    Ok((size, oldest))
}
