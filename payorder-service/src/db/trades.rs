//! The trade journal: listing (rows are written by `orders::settle` and the refund saga).

use diesel::prelude::*;
use payserver_shared::collection::{Direction, OrderBy, Page};
use payserver_shared::db::{DbBackend, DbConnection};

use super::models::TradeRow;
use super::schema::trade_records;
use super::schema::trade_records::dsl as t;

#[derive(Debug, Default, Clone)]
pub struct TradeFilter {
    pub merchant: Option<String>,
    pub traction_no: Option<String>,
    pub trade_type: Option<String>,
    pub pay_mode_uuid: Option<String>,
    pub pay_template_id: Option<String>,
    pub pay_order_uuid: Option<String>,
    pub refund_order_uuid: Option<String>,
    pub start: Option<i64>,
    pub end: Option<i64>,
}

fn filtered(f: &TradeFilter) -> trade_records::BoxedQuery<'_, DbBackend> {
    let mut q = t::trade_records.into_boxed();
    if let Some(v) = &f.merchant {
        q = q.filter(t::merchant_uuid.eq(v));
    }
    if let Some(v) = &f.traction_no {
        q = q.filter(t::traction_no.eq(v));
    }
    if let Some(v) = &f.trade_type {
        q = q.filter(t::trade_type.eq(v));
    }
    if let Some(v) = &f.pay_mode_uuid {
        q = q.filter(t::pay_mode_uuid.eq(v));
    }
    if let Some(v) = &f.pay_template_id {
        q = q.filter(t::pay_template_id.eq(v));
    }
    if let Some(v) = &f.pay_order_uuid {
        q = q.filter(t::pay_order_uuid.eq(v));
    }
    if let Some(v) = &f.refund_order_uuid {
        q = q.filter(t::refund_order_uuid.eq(v));
    }
    if let Some(v) = f.start {
        q = q.filter(t::trade_at.ge(v));
    }
    if let Some(v) = f.end {
        q = q.filter(t::trade_at.le(v));
    }
    q
}

pub fn list(
    conn: &mut DbConnection,
    f: &TradeFilter,
    order: Option<OrderBy>,
    page: Page,
) -> QueryResult<(i64, Vec<TradeRow>)> {
    let size = filtered(f).count().get_result::<i64>(conn)?;
    let q = filtered(f);
    let (field, dir) = order.map_or(("id", Direction::Asc), |o| (o.field, o.direction));
    let q = match (field, dir) {
        ("tradeAt", Direction::Asc) => q.order((t::trade_at.asc(), t::id.asc())),
        ("tradeAt", Direction::Desc) => q.order((t::trade_at.desc(), t::id.desc())),
        ("amount", Direction::Asc) => q.order((t::amount.asc(), t::id.asc())),
        ("amount", Direction::Desc) => q.order((t::amount.desc(), t::id.desc())),
        (_, Direction::Desc) => q.order(t::id.desc()),
        (_, Direction::Asc) => q.order(t::id.asc()),
    };
    let items = q
        .offset(page.offset)
        .limit(page.limit)
        .select(TradeRow::as_select())
        .load(conn)?;
    Ok((size, items))
}
