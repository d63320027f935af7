//! The connector's money movements. Each pay and refund is one write transaction that first
//! claims its tractionNo (UNIQUE on `operations`), then moves the balance or the counts with
//! conditional updates whose rows affected are checked, then writes the ledger. A refusal
//! rolls all of it back and is recorded on its own as the tractionNo's answer; a request that
//! loses the race for its tractionNo rolls back and answers what the winner stored.

use connector_contract::shared::db::{DbConnection, DbError, write_tx};
use connector_contract::shared::ids::new_uuid;
use diesel::prelude::*;

use super::models::MemberRow;
use super::models::{NewLedgerRow, NewOperationRow, OperationRow};
use super::repo::{balance_of, insert_entry, insert_item, item_remaining, item_rows};
use super::schema::member_counts::dsl as c;
use super::schema::members::dsl as m;
use super::schema::operations::dsl as o;
use crate::domain::counts::{CountItem, to_json};
use crate::domain::listing::EntryKind;
use crate::domain::member::Status;
use crate::domain::trade::{
    Charge, OpKind, OpRet, PayTarget, RefundAsk, Restitution, balance_refusal, count_refusal, member_refusal,
    refund_plan,
};
use crate::error::Error;

/// A pay as the connector received it.
#[derive(Debug, Clone)]
pub struct PayInput {
    pub traction_no: String,
    pub merchant_uuid: String,
    pub amount: i64,
    /// The member and what to take, or why the payParams are refused.
    pub target: Result<PayTarget, String>,
}

/// A refund as the connector received it.
#[derive(Debug, Clone)]
pub struct RefundInput {
    pub traction_no: String,
    pub pay_traction_no: String,
    pub merchant_uuid: String,
    pub pay_amount: i64,
    pub refund_amount: i64,
    pub is_cancel: bool,
}

pub fn op_by_traction(conn: &mut DbConnection, traction_no: &str) -> Result<Option<OperationRow>, Error> {
    Ok(connector_contract::row_where!(conn, o::operations, o::traction_no, traction_no => OperationRow)?)
}

fn stored(conn: &mut DbConnection, traction_no: &str) -> Result<OperationRow, Error> {
    op_by_traction(conn, traction_no)?
        .ok_or_else(|| Error::Unexpected(anyhow::anyhow!("operation {traction_no} vanished")))
}

/// Claims the tractionNo: a unique violation means another request holds it.
fn insert_op(conn: &mut DbConnection, op: &NewOperationRow) -> Result<(), Error> {
    diesel::insert_into(o::operations)
        .values(op)
        .execute(conn)
        .map_err(|e| match DbError::from(e) {
            e if e.is_unique_violation() => Error::TractionTaken,
            e => Error::Db(e),
        })?;
    Ok(())
}

/// Settles the outcome of an attempt: a refusal is recorded as the tractionNo's answer, a
/// lost race answers what the winner stored.
fn settle(
    conn: &mut DbConnection,
    attempt: Result<OperationRow, Error>,
    failed: NewOperationRow,
    traction_no: &str,
) -> Result<OperationRow, Error> {
    match attempt {
        Ok(op) => Ok(op),
        Err(Error::Refused(reason)) => match insert_op(
            conn,
            &NewOperationRow {
                reason: Some(&reason),
                ..failed
            },
        ) {
            Ok(()) | Err(Error::TractionTaken) => stored(conn, traction_no),
            Err(e) => Err(e),
        },
        Err(Error::TractionTaken) => {
            tracing::info!(
                traction_no,
                "lost the race for a tractionNo; answering the stored operation"
            );
            stored(conn, traction_no)
        }
        Err(e) => Err(e),
    }
}

fn member_row(conn: &mut DbConnection, member_uuid: &str) -> Result<Option<MemberRow>, Error> {
    Ok(connector_contract::row_where!(conn, m::members, m::uuid, member_uuid => MemberRow)?)
}

/// Takes `amount` from an enabled member of the merchant with one conditional update; its
/// balance after.
fn take_balance(
    conn: &mut DbConnection,
    member_uuid: &str,
    merchant: &str,
    amount: i64,
    now: i64,
) -> Result<i64, Error> {
    let n = diesel::update(
        m::members
            .filter(m::uuid.eq(member_uuid))
            .filter(m::merchant_uuid.eq(merchant))
            .filter(m::status.eq(Status::Enabled))
            .filter(m::balance.ge(amount)),
    )
    .set((m::balance.eq(m::balance - amount), m::modified_at.eq(now)))
    .execute(conn)?;
    if n == 0 {
        let state = member_row(conn, member_uuid)?.map(|r| r.state());
        return Err(Error::Refused(balance_refusal(
            state.as_ref(),
            member_uuid,
            merchant,
            amount,
        )));
    }
    balance_of(conn, member_uuid)
}

/// Items in one fixed order, so that concurrent transactions lock count rows alike.
fn sorted(items: &[CountItem]) -> Vec<&CountItem> {
    let mut v: Vec<&CountItem> = items.iter().collect();
    v.sort_by(|a, b| (&a.merchandise_uuid, a.style_key()).cmp(&(&b.merchandise_uuid, b.style_key())));
    v
}

/// Takes every item's count from an enabled member of the merchant, all or none (a shortfall
/// is a refusal, which rolls the transaction back); its balance (unchanged).
fn take_counts(
    conn: &mut DbConnection,
    member_uuid: &str,
    merchant: &str,
    items: &[CountItem],
    now: i64,
) -> Result<i64, Error> {
    // Locks the member first, as every write of a member does.
    let n = diesel::update(
        m::members
            .filter(m::uuid.eq(member_uuid))
            .filter(m::merchant_uuid.eq(merchant))
            .filter(m::status.eq(Status::Enabled)),
    )
    .set(m::modified_at.eq(now))
    .execute(conn)?;
    if n == 0 {
        let state = member_row(conn, member_uuid)?.map(|r| r.state());
        let why = member_refusal(state.as_ref(), member_uuid, merchant)
            .unwrap_or_else(|| format!("member {member_uuid} cannot pay"));
        return Err(Error::Refused(why));
    }
    for item in sorted(items) {
        let n = diesel::update(item_rows(member_uuid, item).filter(c::remaining.ge(item.count)))
            .set((c::remaining.eq(c::remaining - item.count), c::modified_at.eq(now)))
            .execute(conn)?;
        if n == 0 {
            let remaining = item_remaining(conn, member_uuid, item)?;
            return Err(Error::Refused(count_refusal(item, remaining)));
        }
    }
    balance_of(conn, member_uuid)
}

/// Gives the counts back (recreating an item that is gone); the member's balance.
fn restore_counts(conn: &mut DbConnection, member_uuid: &str, items: &[CountItem], now: i64) -> Result<i64, Error> {
    diesel::update(m::members.filter(m::uuid.eq(member_uuid)))
        .set(m::modified_at.eq(now))
        .execute(conn)?;
    for item in sorted(items) {
        let n = diesel::update(item_rows(member_uuid, item))
            .set((c::remaining.eq(c::remaining + item.count), c::modified_at.eq(now)))
            .execute(conn)?;
        if n == 0 {
            insert_item(conn, member_uuid, item, item.count, now)?;
        }
    }
    balance_of(conn, member_uuid)
}

/// Books the ledger entry of `op`, a pay or refund that went through (`entry_uuid` is also its
/// `third_order_no`; `moved` the entry's kind, amount and balance after), and answers the
/// operation as stored.
fn book(
    conn: &mut DbConnection,
    op: &NewOperationRow,
    entry_uuid: &str,
    member_uuid: &str,
    merchant_uuid: &str,
    (kind, amount, balance_after): (EntryKind, Option<i64>, i64),
) -> Result<OperationRow, Error> {
    let entry = NewLedgerRow {
        uuid: entry_uuid,
        member_uuid,
        merchant_uuid,
        kind,
        amount,
        counts: op.counts,
        traction_no: Some(op.traction_no),
        client_recharge_no: None,
        balance_after,
        created_at: op.created_at,
    };
    insert_entry(conn, &entry)?;
    stored(conn, op.traction_no)
}

/// Pays once per tractionNo; the operation as stored (which may be an earlier one).
pub fn pay(conn: &mut DbConnection, p: &PayInput, now: i64) -> Result<OperationRow, Error> {
    // The answer a refusal records; a pay that goes through records the same with its counts
    // and its ledger entry.
    let failed = NewOperationRow {
        traction_no: &p.traction_no,
        kind: OpKind::Pay,
        merchant_uuid: &p.merchant_uuid,
        member_uuid: p.target.as_ref().ok().map(|t| t.member_uuid.as_str()),
        ret: OpRet::Failed,
        reason: None,
        amount: p.amount,
        counts: None,
        pay_traction_no: None,
        third_order_no: None,
        finished_at: Some(now),
        created_at: now,
    };
    let attempt = write_tx(conn, |conn| {
        if let Some(op) = op_by_traction(conn, &p.traction_no)? {
            return Ok(op);
        }
        let target = p.target.as_ref().map_err(|why| Error::Refused(why.clone()))?;
        let entry_uuid = new_uuid();
        let counts_json = match &target.charge {
            Charge::Balance => None,
            Charge::Counts(items) => Some(to_json(items)),
        };
        let op = NewOperationRow {
            ret: OpRet::Success,
            counts: counts_json.as_deref(),
            third_order_no: Some(&entry_uuid),
            ..failed
        };
        insert_op(conn, &op)?;
        let moved = match &target.charge {
            Charge::Balance => (
                EntryKind::Pay,
                Some(p.amount),
                take_balance(conn, &target.member_uuid, &p.merchant_uuid, p.amount, now)?,
            ),
            Charge::Counts(items) => (
                EntryKind::CountUse,
                None,
                take_counts(conn, &target.member_uuid, &p.merchant_uuid, items, now)?,
            ),
        };
        book(conn, &op, &entry_uuid, &target.member_uuid, &p.merchant_uuid, moved)
    });
    settle(conn, attempt, failed, &p.traction_no)
}

/// Refunds once per tractionNo; the operation as stored (which may be an earlier one).
pub fn refund(conn: &mut DbConnection, r: &RefundInput, now: i64) -> Result<OperationRow, Error> {
    // The answer a refusal records; a refund that goes through records the same with its
    // member, counts and ledger entry.
    let failed = NewOperationRow {
        traction_no: &r.traction_no,
        kind: OpKind::Refund,
        merchant_uuid: &r.merchant_uuid,
        member_uuid: None,
        ret: OpRet::Failed,
        reason: None,
        amount: r.refund_amount,
        counts: None,
        pay_traction_no: Some(&r.pay_traction_no),
        third_order_no: None,
        finished_at: Some(now),
        created_at: now,
    };
    let attempt = write_tx(conn, |conn| {
        if let Some(op) = op_by_traction(conn, &r.traction_no)? {
            return Ok(op);
        }
        let pay = op_by_traction(conn, &r.pay_traction_no)?.filter(|op| op.kind == OpKind::Pay);
        let state = pay.as_ref().map(OperationRow::pay_state).transpose()?;
        let ask = RefundAsk {
            pay_traction_no: &r.pay_traction_no,
            merchant_uuid: &r.merchant_uuid,
            pay_amount: r.pay_amount,
            refund_amount: r.refund_amount,
            is_cancel: r.is_cancel,
        };
        let plan = refund_plan(state.as_ref(), &ask).map_err(Error::Refused)?;
        let pay = pay.ok_or_else(|| Error::Unexpected(anyhow::anyhow!("a refund plan without its pay")))?;
        let member_uuid = pay
            .member_uuid
            .clone()
            .ok_or_else(|| Error::Unexpected(anyhow::anyhow!("successful pay {} has no member", pay.traction_no)))?;
        let entry_uuid = new_uuid();
        let counts_json = match &plan {
            Restitution::Credit(_) => None,
            Restitution::Restore(items) => Some(to_json(items)),
        };
        let op = NewOperationRow {
            member_uuid: Some(&member_uuid),
            ret: OpRet::Success,
            counts: counts_json.as_deref(),
            third_order_no: Some(&entry_uuid),
            ..failed
        };
        insert_op(conn, &op)?;
        let moved = match &plan {
            Restitution::Credit(amount) => {
                // The pay's row is where refunds of one pay meet: never more than it took.
                let n = diesel::update(
                    o::operations
                        .filter(o::id.eq(pay.id))
                        .filter(o::refunded.le(o::amount - *amount)),
                )
                .set(o::refunded.eq(o::refunded + *amount))
                .execute(conn)?;
                if n == 0 {
                    return Err(Error::Refused(format!(
                        "refund exceeds the pay: {} fen paid, {amount} fen requested",
                        pay.amount
                    )));
                }
                diesel::update(m::members.filter(m::uuid.eq(&member_uuid)))
                    .set((m::balance.eq(m::balance + *amount), m::modified_at.eq(now)))
                    .execute(conn)?;
                (EntryKind::Refund, Some(*amount), balance_of(conn, &member_uuid)?)
            }
            Restitution::Restore(items) => {
                let n = diesel::update(o::operations.filter(o::id.eq(pay.id)).filter(o::refunded.eq(0)))
                    .set(o::refunded.eq(o::amount))
                    .execute(conn)?;
                if n == 0 {
                    return Err(Error::Refused(format!(
                        "pay {} is already fully refunded",
                        r.pay_traction_no
                    )));
                }
                (
                    EntryKind::CountRestore,
                    None,
                    restore_counts(conn, &member_uuid, items, now)?,
                )
            }
        };
        book(conn, &op, &entry_uuid, &member_uuid, &pay.merchant_uuid, moved)
    });
    settle(conn, attempt, failed, &r.traction_no)
}
