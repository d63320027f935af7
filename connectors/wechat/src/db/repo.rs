//! Queries. Blocking: called through `Database::run`.

use connector_contract::shared::db::{DbConnection, DbError};
use diesel::prelude::*;

use super::models::{MerchantRow, NewTrade, TradeChange, TradeRow};
use super::schema::wechat_merchants::dsl as m;
use super::schema::wechat_trades::dsl as t;
use crate::domain::merchant::MerchantSettings;
use crate::domain::trade::{Kind, Status, Step};
use crate::error::Error;

pub fn trade(conn: &mut DbConnection, traction_no: &str) -> Result<Option<TradeRow>, Error> {
    Ok(connector_contract::row_where!(conn, t::wechat_trades, t::traction_no, traction_no => TradeRow)?)
}

/// Records a new trade; when its tractionNo is already recorded (a repeated or concurrent
/// request), the stored row instead. `true` when this call inserted it.
pub fn record(conn: &mut DbConnection, new: &NewTrade) -> Result<(TradeRow, bool), Error> {
    match diesel::insert_into(t::wechat_trades)
        .values(new)
        .execute(conn)
        .map_err(DbError::from)
    {
        Ok(_) => {}
        Err(e) if e.is_unique_violation() => {
            let stored = trade(conn, &new.traction_no)?.ok_or(Error::Db(e))?;
            return Ok((stored, false));
        }
        Err(e) => return Err(e.into()),
    }
    let row =
        trade(conn, &new.traction_no)?.ok_or_else(|| Error::Db(DbError::Query(diesel::result::Error::NotFound)))?;
    Ok((row, true))
}

/// Pending trades due for their next step and not leased, the most overdue first.
pub fn due(conn: &mut DbConnection, now: i64, limit: i64) -> Result<Vec<TradeRow>, Error> {
    Ok(t::wechat_trades
        .filter(t::status.eq(Status::Pending))
        .filter(t::next_at.le(now))
        .filter(t::lease_until.le(now))
        .order(t::next_at.asc())
        .limit(limit)
        .select(TradeRow::as_select())
        .load(conn)?)
}

/// Takes the lease of a due trade until `lease_until`; `true` when this caller got it.
pub fn claim(conn: &mut DbConnection, id: i64, now: i64, lease_until: i64) -> Result<bool, Error> {
    let n = diesel::update(
        t::wechat_trades
            .filter(t::id.eq(id))
            .filter(t::status.eq(Status::Pending))
            .filter(t::lease_until.le(now)),
    )
    .set(t::lease_until.eq(lease_until))
    .execute(conn)?;
    Ok(n == 1)
}

/// Applies `change` to a pending trade whose lease this caller holds; `false` when the
/// trade is no longer pending or the lease was lost.
pub fn advance(conn: &mut DbConnection, id: i64, lease: i64, change: &TradeChange, now: i64) -> Result<bool, Error> {
    let mut change = change.clone();
    change.modified_at = Some(now);
    let n = diesel::update(
        t::wechat_trades
            .filter(t::id.eq(id))
            .filter(t::status.eq(Status::Pending))
            .filter(t::lease_until.eq(lease)),
    )
    .set(&change)
    .execute(conn)?;
    Ok(n == 1)
}

/// Ends the query budget of a pending pay now (a cancel asked for it): its next step
/// reverses it. `true` when the pay is pending.
pub fn expedite(conn: &mut DbConnection, traction_no: &str, now: i64) -> Result<bool, Error> {
    let n = diesel::update(
        t::wechat_trades
            .filter(t::traction_no.eq(traction_no))
            .filter(t::kind.eq(Kind::Pay))
            .filter(t::status.eq(Status::Pending))
            .filter(t::step.eq_any([Step::Micropay, Step::Query])),
    )
    .set((t::deadline_at.eq(now), t::next_at.eq(now), t::modified_at.eq(now)))
    .execute(conn)?;
    Ok(n == 1)
}

connector_contract::merchant_settings_repo! {
    m::wechat_merchants -> MerchantRow,
    put(s: &MerchantSettings),
    set = (m::sub_mch_id.eq(&s.sub_mch_id), m::sub_appid.eq(s.sub_appid.as_deref())),
    insert = (m::sub_mch_id.eq(&s.sub_mch_id), m::sub_appid.eq(s.sub_appid.as_deref())),
}
