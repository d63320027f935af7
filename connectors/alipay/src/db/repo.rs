//! Queries. Blocking: called through `Database::run`.

use connector_contract::shared::db::DbConnection;
use connector_contract::shared::ids::new_uuid;
use diesel::dsl::{Eq, Filter};
use diesel::prelude::*;

use super::schema::alipay_merchants::dsl as m;
use super::schema::alipay_trades::dsl as t;
use super::schema::{MerchantRow, NewTrade, TradeRow};
use crate::domain::{Phase, Status};
use crate::error::Error;

pub fn trade(conn: &mut DbConnection, traction_no: &str) -> Result<Option<TradeRow>, Error> {
    Ok(connector_contract::row_where!(conn, t::alipay_trades, t::traction_no, traction_no => TradeRow)?)
}

/// Inserts a trade; `false` with the stored row when its tractionNo is already recorded (the
/// UNIQUE constraint decides, so concurrent first requests cannot both insert).
pub fn insert_trade(conn: &mut DbConnection, new: &NewTrade) -> Result<(TradeRow, bool), Error> {
    match diesel::insert_into(t::alipay_trades).values(new).execute(conn) {
        Ok(_) => Ok((trade(conn, &new.traction_no)?.ok_or(Error::NotFound)?, true)),
        Err(e) => {
            let e = Error::from(e);
            if e.is_unique_violation() {
                Ok((trade(conn, &new.traction_no)?.ok_or(Error::NotFound)?, false))
            } else {
                Err(e)
            }
        }
    }
}

/// A pending trade, the only kind the worker and the answers change.
type Pending<'a> = Filter<Filter<t::alipay_trades, Eq<t::traction_no, &'a str>>, Eq<t::status, Status>>;

fn pending(traction_no: &str) -> Pending<'_> {
    t::alipay_trades
        .filter(t::traction_no.eq(traction_no))
        .filter(t::status.eq(Status::Pending))
}

/// Ends a pending trade; `false` when it had already ended.
pub fn finish(
    conn: &mut DbConnection,
    traction_no: &str,
    status: Status,
    trade_no: Option<&str>,
    reason: Option<&str>,
    finished_at: Option<i64>,
    now: i64,
) -> Result<bool, Error> {
    let n = diesel::update(pending(traction_no))
        .set((
            t::status.eq(status),
            t::phase.eq(Phase::Done),
            t::trade_no.eq(trade_no),
            t::reason.eq(reason),
            t::finished_at.eq(finished_at),
            t::lease_owner.eq(None::<String>),
            t::lease_until.eq(0),
            t::modified_at.eq(now),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Takes (or extends) the lease of a pending trade for `owner`; `false` when another owner
/// holds it or the trade has ended.
pub fn claim(
    conn: &mut DbConnection,
    traction_no: &str,
    owner: &str,
    lease_until: i64,
    now: i64,
) -> Result<bool, Error> {
    let n = diesel::update(pending(traction_no).filter(t::lease_until.lt(now).or(t::lease_owner.eq(owner))))
        .set((t::lease_owner.eq(owner), t::lease_until.eq(lease_until)))
        .execute(conn)?;
    Ok(n == 1)
}

/// The next step of a pending trade, by the owner of its lease.
#[derive(Debug, Clone)]
pub struct Step<'a> {
    pub phase: Phase,
    pub attempts: i32,
    pub next_at: i64,
    pub trade_no: Option<&'a str>,
    /// The last thing that went wrong, for operators.
    pub note: Option<&'a str>,
}

/// Records the next step and gives the lease back: the worker takes the trade again when the
/// step is due. `false` when the trade has ended or `owner` no longer holds it.
pub fn reschedule(
    conn: &mut DbConnection,
    traction_no: &str,
    owner: &str,
    step: &Step<'_>,
    now: i64,
) -> Result<bool, Error> {
    let n = diesel::update(pending(traction_no).filter(t::lease_owner.eq(owner)))
        .set((
            t::phase.eq(step.phase),
            t::attempts.eq(step.attempts),
            t::next_at.eq(step.next_at),
            t::trade_no.eq(step.trade_no),
            t::reason.eq(step.note),
            t::lease_owner.eq(None::<String>),
            t::lease_until.eq(0),
            t::modified_at.eq(now),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Pending trades due for a step that nobody holds, the most overdue first.
pub fn due(conn: &mut DbConnection, now: i64, limit: i64) -> Result<Vec<String>, Error> {
    Ok(t::alipay_trades
        .filter(t::status.eq(Status::Pending))
        .filter(t::lease_until.lt(now))
        .filter(t::next_at.le(now))
        .order(t::next_at.asc())
        .limit(limit)
        .select(t::traction_no)
        .load(conn)?)
}

connector_contract::merchant_settings_repo! {
    m::alipay_merchants -> MerchantRow,
    put(token: &str),
    set = (m::app_auth_token.eq(token)),
    insert = (m::uuid.eq(new_uuid()), m::app_auth_token.eq(token)),
}
