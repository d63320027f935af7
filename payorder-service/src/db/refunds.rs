//! The pay-order side of the refund saga (ARCHITECTURE.md "Refund"): reserve, confirm and
//! release an amount, each keyed by the refund's tractionNo and safe to repeat. The invariant
//! `refund_amount + refund_reserved <= pay_amount` is kept by one conditional update per step
//! (and a CHECK constraint behind it), whatever the concurrency.

use diesel::prelude::*;
use payserver_shared::db::{DbConnection, DbError, write_tx};

use super::models::{NewTrade, OrderRow};
use super::orders::by_id;
use super::schema::pay_orders::dsl as o;
use super::schema::refund_reservations::dsl as r;
use super::schema::trade_records::dsl as t;
use crate::domain::PayStatus;

#[derive(Debug, thiserror::Error)]
pub enum RefundError {
    #[error("pay order not found")]
    UnknownOrder,
    #[error("{0}")]
    NotRefundable(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for RefundError {
    fn from(e: diesel::result::Error) -> Self {
        RefundError::Db(DbError::Query(e))
    }
}

#[derive(Debug, Clone)]
pub struct ReserveRequest {
    pub pay_traction_no: String,
    pub refund_traction_no: String,
    pub refund_order_uuid: String,
    /// `None`: everything not yet refunded or reserved.
    pub amount: Option<i64>,
    pub is_cancel: bool,
    /// The merchant the refund acts for; `None` for a privileged caller acting for any.
    pub merchant: Option<String>,
}

payserver_shared::text_enum! {
    /// What a reservation is (`refund_reservations.state`).
    pub enum Step {
        Reserved = "reserved",
        Confirmed = "confirmed",
        Released = "released",
    }
}

/// A reservation and the pay order it holds.
#[derive(Debug, Clone)]
pub struct Reservation {
    pub amount: i64,
    pub step: Step,
    pub order: OrderRow,
}

/// What a saga step call did, so that the caller never takes a step it did not take for one
/// it did: `Done` (this call took it), `AlreadyDone` (an earlier or a concurrent call of the
/// same step took it; the state is what was asked). When the opposite step holds (a confirm
/// of a released refund, a release of a confirmed one), the call fails with
/// [`RefundError::Conflict`], whether that step came before or won a race.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    Done,
    AlreadyDone,
}

fn reservation(conn: &mut DbConnection, refund_traction_no: &str) -> QueryResult<Option<(i64, i64, Step)>> {
    r::refund_reservations
        .filter(r::refund_traction_no.eq(refund_traction_no))
        .select((r::pay_order_id, r::amount, r::state))
        .first(conn)
        .optional()
}

fn existing(conn: &mut DbConnection, refund_traction_no: &str) -> Result<Option<Reservation>, RefundError> {
    match reservation(conn, refund_traction_no)? {
        None => Ok(None),
        Some((order_id, amount, state)) => {
            let order = by_id(conn, order_id)?.ok_or(RefundError::UnknownOrder)?;
            Ok(Some(Reservation {
                amount,
                step: state,
                order,
            }))
        }
    }
}

/// Holds `amount` (or all that is left) of a payed order for one refund.
pub fn reserve(conn: &mut DbConnection, req: &ReserveRequest, now: i64) -> Result<(Reservation, Applied), RefundError> {
    write_tx(conn, |conn| {
        if let Some(done) = existing(conn, &req.refund_traction_no)? {
            return Ok((done, Applied::AlreadyDone));
        }
        let order: OrderRow = o::pay_orders
            .filter(o::traction_no.eq(&req.pay_traction_no))
            .select(OrderRow::as_select())
            .first(conn)
            .optional()?
            .filter(|o| req.merchant.as_deref().is_none_or(|m| m == o.merchant_uuid))
            .ok_or(RefundError::UnknownOrder)?;
        if !order.status.refundable() {
            return Err(RefundError::NotRefundable(format!(
                "a {} pay order cannot be refunded",
                order.status
            )));
        }
        let left = order.pay_amount - order.refund_amount - order.refund_reserved;
        let amount = match (req.amount, req.is_cancel) {
            (Some(a), true) if a != left => {
                return Err(RefundError::Invalid(format!(
                    "a cancel refunds the whole remaining amount ({left}); refundAmount must be absent or equal to it"
                )));
            }
            (Some(a), _) => a,
            (None, _) => left,
        };
        if amount <= 0 || amount > left {
            return Err(RefundError::NotRefundable(format!(
                "refund of {amount} exceeds what is left to refund ({left})"
            )));
        }
        let held = diesel::update(
            o::pay_orders
                .filter(o::id.eq(order.id))
                .filter(o::status.eq_any([PayStatus::Payed, PayStatus::PartRefunded]))
                .filter((o::refund_amount + o::refund_reserved + amount).le(o::pay_amount)),
        )
        .set((
            o::refund_reserved.eq(o::refund_reserved + amount),
            o::modified_at.eq(now),
        ))
        .execute(conn)?;
        if held != 1 {
            return Err(RefundError::NotRefundable(
                "the pay order changed; nothing left to refund".into(),
            ));
        }
        diesel::insert_into(r::refund_reservations)
            .values((
                r::refund_traction_no.eq(&req.refund_traction_no),
                r::pay_order_id.eq(order.id),
                r::refund_order_uuid.eq(&req.refund_order_uuid),
                r::amount.eq(amount),
                r::state.eq(Step::Reserved),
                r::created_at.eq(now),
                r::modified_at.eq(now),
            ))
            .execute(conn)?;
        done(conn, order.id, amount, Step::Reserved)
    })
    .or_else(|e| match e {
        // Two reserves of one refund raced: the loser reads the winner's reservation.
        RefundError::Db(ref db) if db.is_unique_violation() => existing(conn, &req.refund_traction_no)?
            .map(|r| (r, Applied::AlreadyDone))
            .ok_or(e),
        e => Err(e),
    })
}

/// The answer of a step this call took: the reservation at its new `step`, with its order as
/// it now is.
fn done(
    conn: &mut DbConnection,
    order_id: i64,
    amount: i64,
    step: Step,
) -> Result<(Reservation, Applied), RefundError> {
    let order = by_id(conn, order_id)?.ok_or(RefundError::UnknownOrder)?;
    Ok((Reservation { amount, step, order }, Applied::Done))
}

/// Where confirm or release finds the reservation.
enum Moved {
    /// It was `reserved`, and this call has moved it (the reservation as it was read).
    Now(Reservation),
    /// It had left `reserved` before, or a concurrent step moved it first: the step's answer.
    Before((Reservation, Applied)),
}

/// Moves the reservation of a refund from `reserved` to `to` with a conditional update, in
/// the caller's transaction, so that of two concurrent steps exactly one moves it.
fn move_reserved(conn: &mut DbConnection, refund_traction_no: &str, to: Step, at: i64) -> Result<Moved, RefundError> {
    let res = existing(conn, refund_traction_no)?
        .ok_or_else(|| RefundError::Conflict("no reservation for this refund".into()))?;
    if res.step != Step::Reserved {
        return settled_before(res, to).map(Moved::Before);
    }
    let moved = diesel::update(
        r::refund_reservations
            .filter(r::refund_traction_no.eq(refund_traction_no))
            .filter(r::state.eq(Step::Reserved)),
    )
    .set((r::state.eq(to), r::modified_at.eq(at)))
    .execute(conn)?;
    if moved != 1 {
        // A concurrent step committed between the read and the update: report what it did.
        let now_is = existing(conn, refund_traction_no)?.ok_or(RefundError::UnknownOrder)?;
        return settled_before(now_is, to).map(Moved::Before);
    }
    Ok(Moved::Now(res))
}

/// What a step finds when the reservation is no longer `reserved`: the same step holds (a
/// repeat, or a concurrent call won: [`Applied::AlreadyDone`]), or the opposite one (409).
fn settled_before(res: Reservation, want: Step) -> Result<(Reservation, Applied), RefundError> {
    match res.step {
        s if s == want => Ok((res, Applied::AlreadyDone)),
        Step::Released => Err(RefundError::Conflict(
            "this refund was released; it cannot be confirmed".into(),
        )),
        Step::Confirmed => Err(RefundError::Conflict(
            "this refund was confirmed; it cannot be released".into(),
        )),
        Step::Reserved => Err(RefundError::Conflict(
            "the reservation changed while this step ran; repeat it".into(),
        )),
    }
}

/// The refund succeeded: the held amount becomes refunded, the order's status and
/// `lastRefundAt` follow, and the journal gets the refund — one transaction.
pub fn confirm(
    conn: &mut DbConnection,
    refund_traction_no: &str,
    third_no: Option<String>,
    at: i64,
) -> Result<(Reservation, Applied), RefundError> {
    write_tx(conn, |conn| {
        let res = match move_reserved(conn, refund_traction_no, Step::Confirmed, at)? {
            Moved::Now(res) => res,
            Moved::Before(answer) => return Ok(answer),
        };
        let order = res.order;
        diesel::update(o::pay_orders.filter(o::id.eq(order.id)))
            .set((
                o::refund_reserved.eq(o::refund_reserved - res.amount),
                o::refund_amount.eq(o::refund_amount + res.amount),
                o::last_refund_at.eq(at),
                o::modified_at.eq(at),
            ))
            .execute(conn)?;
        // The status follows the amount as it now is (under the row lock taken above), not as
        // it was read: concurrent confirms of one order must not leave it `partRefunded`
        // when it is fully refunded.
        diesel::update(
            o::pay_orders
                .filter(o::id.eq(order.id))
                .filter(o::refund_amount.eq(o::pay_amount)),
        )
        .set(o::status.eq(PayStatus::Refunded))
        .execute(conn)?;
        diesel::update(
            o::pay_orders
                .filter(o::id.eq(order.id))
                .filter(o::refund_amount.lt(o::pay_amount)),
        )
        .set(o::status.eq(PayStatus::PartRefunded))
        .execute(conn)?;
        let refund_order_uuid: String = r::refund_reservations
            .filter(r::refund_traction_no.eq(refund_traction_no))
            .select(r::refund_order_uuid)
            .first(conn)?;
        let trade = NewTrade::refund(
            &order,
            refund_traction_no,
            res.amount,
            Some(refund_order_uuid),
            third_no,
            at,
        );
        diesel::insert_into(t::trade_records).values(trade).execute(conn)?;
        done(conn, order.id, res.amount, Step::Confirmed)
    })
}

/// The refund failed: the held amount is free again.
pub fn release(
    conn: &mut DbConnection,
    refund_traction_no: &str,
    at: i64,
) -> Result<(Reservation, Applied), RefundError> {
    write_tx(conn, |conn| {
        let res = match move_reserved(conn, refund_traction_no, Step::Released, at)? {
            Moved::Now(res) => res,
            Moved::Before(answer) => return Ok(answer),
        };
        diesel::update(o::pay_orders.filter(o::id.eq(res.order.id)))
            .set((
                o::refund_reserved.eq(o::refund_reserved - res.amount),
                o::modified_at.eq(at),
            ))
            .execute(conn)?;
        done(conn, res.order.id, res.amount, Step::Released)
    })
}

/// The merchant of the pay order a refund order held an amount of, `None` when no refund
/// order with this uuid ever reserved anything here (then it has no journal rows here
/// either). Answers who may list a refund order's trade records without asking
/// refund-service, whose public routes refuse the service token.
pub fn refund_order_merchant(conn: &mut DbConnection, refund_order_uuid: &str) -> QueryResult<Option<String>> {
    r::refund_reservations
        .inner_join(o::pay_orders)
        .filter(r::refund_order_uuid.eq(refund_order_uuid))
        .select(o::merchant_uuid)
        .first(conn)
        .optional()
}
