//! Pay orders: insert, find, list, settle. Blocking; called through `Database::run`.

use diesel::prelude::*;
use payserver_shared::collection::{Direction, OrderBy, Page};
use payserver_shared::db::{DbBackend, DbConnection, DbError, write_tx};

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
    o::pay_orders
        .filter(o::uuid.eq(uuid))
        .select(OrderRow::as_select())
        .first(conn)
        .optional()
}

pub fn by_id(conn: &mut DbConnection, id: i64) -> QueryResult<Option<OrderRow>> {
    o::pay_orders
        .filter(o::id.eq(id))
        .select(OrderRow::as_select())
        .first(conn)
        .optional()
}

pub fn by_traction_no(conn: &mut DbConnection, traction_no: &str) -> QueryResult<Option<OrderRow>> {
    o::pay_orders
        .filter(o::traction_no.eq(traction_no))
        .select(OrderRow::as_select())
        .first(conn)
        .optional()
}

pub fn by_client_no(conn: &mut DbConnection, merchant: &str, client_pay_no: &str) -> QueryResult<Option<OrderRow>> {
    o::pay_orders
        .filter(o::merchant_uuid.eq(merchant))
        .filter(o::client_pay_no.eq(client_pay_no))
        .select(OrderRow::as_select())
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

/// Moves a `paying` order to its outcome, journals a successful pay and retires the
/// resolver's row — one transaction. Only a `paying` order moves: settling twice (the pay
/// call, a notification and the resolver may race) changes nothing the second time.
/// Returns the order as it now is, and whether this call settled it.
pub fn settle(conn: &mut DbConnection, order_id: i64, s: &Settlement) -> Result<(OrderRow, bool), DbError> {
    write_tx(conn, |conn| {
        let moved = diesel::update(
            o::pay_orders
                .filter(o::id.eq(order_id))
                .filter(o::status.eq(PayStatus::Paying.as_str())),
        )
        .set((
            o::status.eq(s.status.as_str()),
            o::third_pay_no.eq(&s.third_pay_no),
            o::result_code.eq(&s.result_code),
            o::third_error_reason.eq(&s.third_error_reason),
            o::pay_finish_at.eq(s.finished_at),
            o::modified_at.eq(s.finished_at),
        ))
        .execute(conn)?
            == 1;
        let row = by_id(conn, order_id)?.ok_or(DbError::Query(diesel::result::Error::NotFound))?;
        if moved {
            if s.status == PayStatus::Payed {
                diesel::insert_into(t::trade_records)
                    .values(NewTrade::pay(&row, s.third_pay_no.clone(), s.finished_at))
                    .execute(conn)?;
            }
            diesel::delete(c::pay_order_checks.filter(c::pay_order_id.eq(order_id))).execute(conn)?;
        }
        Ok((row, moved))
    })
}

#[derive(Debug, Default, Clone)]
pub struct OrderFilter {
    pub merchant: Option<String>,
    pub client_pay_no: Option<String>,
    pub traction_no: Option<String>,
    pub pay_mode_uuid: Option<String>,
    pub pay_template_id: Option<String>,
    pub status: Option<String>,
    pub start: Option<i64>,
    pub end: Option<i64>,
}

fn filtered(f: &OrderFilter) -> pay_orders::BoxedQuery<'_, DbBackend> {
    let mut q = o::pay_orders.into_boxed();
    if let Some(v) = &f.merchant {
        q = q.filter(o::merchant_uuid.eq(v));
    }
    if let Some(v) = &f.client_pay_no {
        q = q.filter(o::client_pay_no.eq(v));
    }
    if let Some(v) = &f.traction_no {
        q = q.filter(o::traction_no.eq(v));
    }
    if let Some(v) = &f.pay_mode_uuid {
        q = q.filter(o::pay_mode_uuid.eq(v));
    }
    if let Some(v) = &f.pay_template_id {
        q = q.filter(o::pay_template_id.eq(v));
    }
    if let Some(v) = &f.status {
        q = q.filter(o::status.eq(v));
    }
    if let Some(v) = f.start {
        q = q.filter(o::created_at.ge(v));
    }
    if let Some(v) = f.end {
        q = q.filter(o::created_at.le(v));
    }
    q
}

pub fn list(
    conn: &mut DbConnection,
    f: &OrderFilter,
    order: Option<OrderBy>,
    page: Page,
) -> QueryResult<(i64, Vec<OrderRow>)> {
    let size = filtered(f).count().get_result::<i64>(conn)?;
    let q = filtered(f);
    let (field, dir) = order.map_or(("id", Direction::Asc), |o| (o.field, o.direction));
    let q = match (field, dir) {
        ("createdAt", Direction::Asc) => q.order((o::created_at.asc(), o::id.asc())),
        ("createdAt", Direction::Desc) => q.order((o::created_at.desc(), o::id.desc())),
        ("payAmount", Direction::Asc) => q.order((o::pay_amount.asc(), o::id.asc())),
        ("payAmount", Direction::Desc) => q.order((o::pay_amount.desc(), o::id.desc())),
        ("payFinishAt", Direction::Asc) => q.order((o::pay_finish_at.asc(), o::id.asc())),
        ("payFinishAt", Direction::Desc) => q.order((o::pay_finish_at.desc(), o::id.desc())),
        (_, Direction::Desc) => q.order(o::id.desc()),
        (_, Direction::Asc) => q.order(o::id.asc()),
    };
    let items = q
        .offset(page.offset)
        .limit(page.limit)
        .select(OrderRow::as_select())
        .load(conn)?;
    Ok((size, items))
}
