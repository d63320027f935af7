//! A resolver's backlog (payorder's `pay_order_checks`, refund's `refund_checks`): one row per
//! order still to be checked, shared by the replicas through leases. [`backlog_queries!`]
//! declares the queries every such table answers the same way; [`report`] sets the backlog
//! gauges (how many rows wait, how old the oldest is) before every pass.

use std::time::Duration;

use diesel::QueryResult;

use crate::db::{Database, DbConnection, DbError};
use crate::metrics::metrics;
use crate::time::now_ms;

/// A backlog's size and the creation time of its oldest row (epoch ms; `None` when empty).
pub type Backlog = (i64, Option<i64>);

/// Sets `service`'s backlog gauges from `read`. A failed read is only logged: the gauge is for operators, and the
/// pass goes on without it.
pub async fn report(db: &Database, service: &'static str, read: fn(&mut DbConnection) -> QueryResult<Backlog>) {
    let now = now_ms();
    match db.run(move |c| read(c).map_err(DbError::from)).await {
        Ok((size, oldest)) => {
            let age = Duration::from_millis(oldest.map_or(0, |t| (now - t).max(0)) as u64);
            metrics().set_backlog(service, size, age);
        }
        Err(e) => tracing::warn!(service, error = %e, "could not read the resolver's backlog"),
    }
}

/// Declares, in a resolver's `db::checks` module, the queries of the lease protocol its
/// backlog table shares with every other one:
///
/// - `due(conn, now, limit)`: rows due for a check (`next_check_at <= now`) and not leased
///   (`lease_until < now`), oldest due first, with their parent rows;
/// - `claim(conn, id, now, lease_until)`: takes the lease of a due row until `lease_until`;
///   `true` when this caller got it. A claim needs the lease to have run out and sets a later
///   one, so every claim of a row writes a larger value than the one before (the holder's
///   fencing token). `now` and `lease_until` are taken when claiming, not when the batch was
///   read: a row claimed late in a long pass must still get a lease in the future;
/// - `reschedule(conn, id, lease_until, next_check_at, attempts)`: releases the lease and sets
///   the next check and the attempts, if the row still holds `lease_until` (the caller's
///   lease); `false` when another holder took it over, which then decides;
/// - `backlog(conn)`: the table's size and the creation time of its oldest row ([`report`]).
///
/// Named by the `dsl` aliases of the two tables, the backlog's key column (the parent's id),
/// and the rows selected:
///
/// ```ignore
/// payserver_shared::backlog_queries!(c::pay_order_checks, c::pay_order_id, o::pay_orders, CheckRow, OrderRow);
/// ```
#[macro_export]
macro_rules! backlog_queries {
    ($c:ident :: $checks:ident, $c2:ident :: $key:ident, $p:ident :: $parent:ident, $check_row:ty, $parent_row:ty) => {
        /// Rows due for a check and not leased, oldest due first (see `backlog_queries!`).
        pub fn due(
            conn: &mut $crate::db::DbConnection,
            now: i64,
            limit: i64,
        ) -> diesel::QueryResult<Vec<($check_row, $parent_row)>> {
            $c::$checks
                .inner_join($p::$parent)
                .filter($c::next_check_at.le(now))
                .filter($c::lease_until.lt(now))
                .order($c::next_check_at.asc())
                .limit(limit)
                .select((<$check_row>::as_select(), <$parent_row>::as_select()))
                .load(conn)
        }

        /// Takes the lease of a due row until `lease_until`; `true` when this caller got it
        /// (see `backlog_queries!`).
        pub fn claim(
            conn: &mut $crate::db::DbConnection,
            id: i64,
            now: i64,
            lease_until: i64,
        ) -> diesel::QueryResult<bool> {
            diesel::update(
                $c::$checks
                    .filter($c2::$key.eq(id))
                    .filter($c::lease_until.lt(now))
                    .filter($c::next_check_at.le(now)),
            )
            .set($c::lease_until.eq(lease_until))
            .execute(conn)
            .map(|n| n == 1)
        }

        /// Releases the lease and sets the next check, if the row still holds `lease_until` (the
        /// caller's lease); `false` when another holder took it over (see `backlog_queries!`).
        pub fn reschedule(
            conn: &mut $crate::db::DbConnection,
            id: i64,
            lease_until: i64,
            next_check_at: i64,
            attempts: i32,
        ) -> diesel::QueryResult<bool> {
            diesel::update(
                $c::$checks
                    .filter($c2::$key.eq(id))
                    .filter($c::lease_until.eq(lease_until)),
            )
            .set((
                $c::next_check_at.eq(next_check_at),
                $c::attempts.eq(attempts),
                $c::lease_until.eq(0),
            ))
            .execute(conn)
            .map(|n| n == 1)
        }

        /// The backlog's size and the creation time of its oldest row, for metrics.
        pub fn backlog(conn: &mut $crate::db::DbConnection) -> diesel::QueryResult<$crate::backlog::Backlog> {
            let size = $c::$checks.count().get_result(conn)?;
            let oldest = $c::$checks.select(diesel::dsl::min($c::created_at)).first(conn)?;
            Ok((size, oldest))
        }
    };
}
