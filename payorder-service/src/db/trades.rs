//! The trade journal's collection (rows are written by `orders::settle` and the refund saga).

use diesel::prelude::*;
use payserver_shared::db::{DbBackend, DbConnection};
use payserver_shared::listing::{Filter, Listing, Sort};

use super::models::TradeRow;
use super::schema::trade_records;
use super::schema::trade_records::dsl as t;
use crate::domain::TradeType;

/// The journal, selected as [`TradeRow`]s, boxed so filters can be added one by one.
pub type Query = diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::Select<trade_records::table, diesel::dsl::AsSelect<TradeRow, DbBackend>>,
    DbBackend,
>;

pub fn all() -> Query {
    t::trade_records.select(TradeRow::as_select()).into_boxed()
}

pub fn by_uuid(conn: &mut DbConnection, uuid: &str) -> QueryResult<Option<TradeRow>> {
    t::trade_records
        .filter(t::uuid.eq(uuid))
        .select(TradeRow::as_select())
        .first(conn)
        .optional()
}

/// `/tradeRecords` and its sub-collections.
pub static TRADES: Listing<Query> = Listing {
    filters: &[
        Filter::text("tractionNo", "The pay order's traction number.", |q, v| {
            q.filter(t::traction_no.eq(v))
        }),
        Filter::one_of("tradeType", "Pay or refund rows.", TradeType::ALL, |q, v| {
            q.filter(t::trade_type.eq(v))
        }),
        Filter::text("payModeUUID", "Rows of this pay mode.", |q, v| {
            q.filter(t::pay_mode_uuid.eq(v))
        }),
        Filter::text("payTemplateId", "Rows of this template's payTemplateId.", |q, v| {
            q.filter(t::pay_template_id.eq(v))
        }),
        Filter::text("payOrderUUID", "Rows of this pay order.", |q, v| {
            q.filter(t::pay_order_uuid.eq(v))
        }),
        Filter::text("refundOrderUUID", "Rows of this refund order.", |q, v| {
            q.filter(t::refund_order_uuid.eq(v))
        }),
        Filter::time("startTime", "Traded at or after.", |q, v| q.filter(t::trade_at.ge(v))),
        Filter::time("endTime", "Traded at or before.", |q, v| q.filter(t::trade_at.le(v))),
    ],
    sorts: &[
        Sort::new("id", |q, d| d.order1(q, t::id)),
        Sort::new("tradeAt", |q, d| d.order(q, t::trade_at, t::id)),
        Sort::new("amount", |q, d| d.order(q, t::amount, t::id)),
    ],
    default_sort: |q, d| d.order1(q, t::id),
    merchant: Some(|q, v| q.filter(t::merchant_uuid.eq(v))),
};
