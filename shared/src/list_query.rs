//! Pieces the collections' queries share: the boxed `SELECT` a [`crate::listing::Listing`]
//! narrows filter by filter, and the `startTime`/`endTime` pair of filters on a creation time.

use crate::db::DbBackend;
use crate::listing::Filter;

/// Rows of `Table` selected as `Row`, boxed so filters can be added one by one.
pub type BoxedSelect<Table, Row> =
    diesel::dsl::IntoBoxed<'static, diesel::dsl::Select<Table, diesel::dsl::AsSelect<Row, DbBackend>>, DbBackend>;

/// `startTime`: created at or after; `apply` narrows the query to `created_at >= v`.
pub const fn start_time<Q>(apply: fn(Q, i64) -> Q) -> Filter<Q> {
    Filter::time(
        "startTime",
        "Inclusive lower bound: `YYYY-MM-DD HH:mm:ss` in the display offset, or 13-digit epoch milliseconds.",
        apply,
    )
}

/// `endTime`: created at or before; `apply` narrows the query to `created_at <= v`.
pub const fn end_time<Q>(apply: fn(Q, i64) -> Q) -> Filter<Q> {
    Filter::time(
        "endTime",
        "Inclusive upper bound: `YYYY-MM-DD HH:mm:ss` in the display offset, or 13-digit epoch milliseconds.",
        apply,
    )
}
