//! The connector's money movements. Each pay and each refund is one write transaction
//! (`BEGIN IMMEDIATE` on SQLite) that moves the used credit with one conditional update,
//! appends a ledger entry and records the answer under the operation's tractionNo. The
//! UNIQUE tractionNo of `operations` is what makes a tractionNo move money once: when two
//! requests race, the loser's insert fails, its transaction rolls back, and it answers what
//! the winner recorded. Blocking: called through `Database::run`.

use connector_contract::shared::db::{DbConnection, write_tx};
use connector_contract::shared::ids::new_uuid;
use diesel::prelude::*;

use super::models::{AccounterRow, NewLedgerRow, NewOperationRow, OperationRow};
use super::schema::ledger_entries::dsl as l;
use super::schema::operations::dsl as o;
use super::schema::sign_accounters::dsl as a;
use super::schema::sign_persons::dsl as p;
use crate::domain::accounter::Status;
use crate::domain::statement::EntryKind;
use crate::domain::trade::{self, OpKind, OpRet};
use crate::error::Error;

/// A pay as the connector needs it.
#[derive(Debug, Clone)]
pub struct PayCommand {
    pub traction_no: String,
    pub merchant_uuid: String,
    pub amount: i64,
    pub pay_params: serde_json::Map<String, serde_json::Value>,
}

/// A refund (or a cancel, which the contract sends with the remaining amount).
#[derive(Debug, Clone)]
pub struct RefundCommand {
    pub traction_no: String,
    pub pay_traction_no: String,
    pub merchant_uuid: String,
    pub amount: i64,
}

pub fn operation(conn: &mut DbConnection, traction_no: &str) -> Result<Option<OperationRow>, Error> {
    Ok(connector_contract::row_where!(conn, o::operations, o::traction_no, traction_no => OperationRow)?)
}

/// What a transaction decided: money moved (the ledger entry) or a refusal.
struct Moved {
    ledger_uuid: String,
    accounter_uuid: String,
    person_uuid: Option<String>,
}

/// What an operation is, whatever its outcome.
struct Header<'a> {
    traction_no: &'a str,
    kind: OpKind,
    merchant: &'a str,
    amount: i64,
    pay_traction_no: Option<&'a str>,
}

/// Runs `decide` and records its outcome in one transaction, unless the tractionNo is
/// already recorded; a lost race answers the winner's record.
fn record<F>(conn: &mut DbConnection, h: Header, now: i64, decide: F) -> Result<OperationRow, Error>
where
    F: FnOnce(&mut DbConnection) -> Result<Result<Moved, String>, Error>,
{
    let Header {
        traction_no,
        kind,
        merchant,
        amount,
        pay_traction_no,
    } = h;
    if let Some(op) = operation(conn, traction_no)? {
        tracing::debug!(traction_no, "repeated tractionNo: answering its record");
        return Ok(op);
    }
    let attempt = write_tx(conn, |c| -> Result<(OperationRow, bool), Error> {
        if let Some(op) = operation(c, traction_no)? {
            return Ok((op, false));
        }
        let outcome = decide(c)?;
        let (ret, moved, reason) = match &outcome {
            Ok(m) => (OpRet::Success, Some(m), None),
            Err(reason) => (OpRet::Failed, None, Some(reason.as_str())),
        };
        diesel::insert_into(o::operations)
            .values(NewOperationRow {
                traction_no,
                kind,
                merchant_uuid: merchant,
                ret,
                third_order_no: moved.map(|m| m.ledger_uuid.as_str()),
                reason,
                amount,
                refunded: 0,
                accounter_uuid: moved.map(|m| m.accounter_uuid.as_str()),
                sign_person_uuid: moved.and_then(|m| m.person_uuid.as_deref()),
                pay_traction_no,
                finished_at: moved.map(|_| now),
                created_at: now,
            })
            .execute(c)?;
        let op = operation(c, traction_no)?.ok_or_else(|| anyhow::anyhow!("operation {traction_no} vanished"))?;
        Ok((op, true))
    });
    match attempt {
        Ok((op, fresh)) => {
            if fresh {
                match &op.reason {
                    None => tracing::info!(traction_no, kind = kind.as_str(), amount, "money moved"),
                    Some(reason) => tracing::info!(traction_no, kind = kind.as_str(), amount, %reason, "refused"),
                }
            }
            Ok(op)
        }
        Err(e) if e.is_unique_violation() => {
            tracing::info!(
                traction_no,
                "concurrent request with the same tractionNo: answering its record"
            );
            operation(conn, traction_no)?
                .ok_or_else(|| anyhow::anyhow!("unique violation without a record of {traction_no}").into())
        }
        Err(e) => Err(e),
    }
}

fn accounter(conn: &mut DbConnection, uuid: &str) -> Result<Option<AccounterRow>, Error> {
    Ok(connector_contract::row_where!(conn, a::sign_accounters, a::uuid, uuid => AccounterRow)?)
}

fn used_credit(conn: &mut DbConnection, uuid: &str) -> Result<i64, Error> {
    Ok(a::sign_accounters
        .filter(a::uuid.eq(uuid))
        .select(a::used_credit)
        .first(conn)?)
}

/// Charges the accounter of `payParams`, or says why not.
pub fn pay(conn: &mut DbConnection, cmd: &PayCommand, now: i64) -> Result<OperationRow, Error> {
    let (merchant, amount) = (cmd.merchant_uuid.as_str(), cmd.amount);
    let header = Header {
        traction_no: &cmd.traction_no,
        kind: OpKind::Pay,
        merchant,
        amount,
        pay_traction_no: None,
    };
    record(conn, header, now, |c| {
        let target = match trade::pay_target(&cmd.pay_params) {
            Ok(t) => t,
            Err(reason) => return Ok(Err(reason)),
        };
        let acc_uuid = target.accounter_uuid.as_str();
        let state = accounter(c, acc_uuid)?.map(|r| r.state());
        if let Some(reason) = trade::charge_refusal(state.as_ref(), acc_uuid, merchant, amount) {
            return Ok(Err(reason));
        }
        let person_ok = p::sign_persons
            .filter(p::uuid.eq(&target.person_uuid))
            .filter(p::accounter_uuid.eq(acc_uuid))
            .count()
            .get_result::<i64>(c)?
            > 0;
        if !person_ok {
            return Ok(Err(trade::person_refusal(&target.person_uuid, acc_uuid)));
        }
        // The guard that counts: the row as it is now, whatever was read above.
        let charged = diesel::update(
            a::sign_accounters
                .filter(a::uuid.eq(acc_uuid))
                .filter(a::merchant_uuid.eq(merchant))
                .filter(a::status.eq(Status::Enabled))
                .filter((a::used_credit + amount).le(a::credit_limit)),
        )
        .set((a::used_credit.eq(a::used_credit + amount), a::modified_at.eq(now)))
        .execute(c)?;
        if charged == 0 {
            let state = accounter(c, acc_uuid)?.map(|r| r.state());
            let reason = trade::charge_refusal(state.as_ref(), acc_uuid, merchant, amount)
                .unwrap_or_else(|| "credit limit exceeded".to_string());
            return Ok(Err(reason));
        }
        let ledger_uuid = new_uuid();
        let used_after = used_credit(c, acc_uuid)?;
        diesel::insert_into(l::ledger_entries)
            .values(NewLedgerRow {
                uuid: &ledger_uuid,
                accounter_uuid: acc_uuid,
                merchant_uuid: merchant,
                kind: EntryKind::Charge,
                amount,
                traction_no: &cmd.traction_no,
                pay_traction_no: None,
                sign_person_uuid: Some(&target.person_uuid),
                used_credit_after: used_after,
                created_at: now,
            })
            .execute(c)?;
        Ok(Ok(Moved {
            ledger_uuid,
            accounter_uuid: target.accounter_uuid,
            person_uuid: Some(target.person_uuid),
        }))
    })
}

/// Credits back (part of) a successful pay, or says why not.
pub fn refund(conn: &mut DbConnection, cmd: &RefundCommand, now: i64) -> Result<OperationRow, Error> {
    let (merchant, amount, pay_tn) = (cmd.merchant_uuid.as_str(), cmd.amount, cmd.pay_traction_no.as_str());
    let header = Header {
        traction_no: &cmd.traction_no,
        kind: OpKind::Refund,
        merchant,
        amount,
        pay_traction_no: Some(pay_tn),
    };
    record(conn, header, now, |c| {
        let pay_of = |c: &mut DbConnection| -> Result<Option<OperationRow>, Error> {
            Ok(o::operations
                .filter(o::traction_no.eq(pay_tn))
                .filter(o::kind.eq(OpKind::Pay))
                .select(OperationRow::as_select())
                .first(c)
                .optional()?)
        };
        let pay = pay_of(c)?;
        let state = pay.as_ref().map(OperationRow::pay_state);
        if let Some(reason) = trade::refund_refusal(state.as_ref(), pay_tn, merchant, amount) {
            return Ok(Err(reason));
        }
        let pay = pay.expect("a refund is refused without its pay");
        let Some(acc_uuid) = pay.accounter_uuid.clone() else {
            return Err(anyhow::anyhow!("successful pay {pay_tn} has no accounter").into());
        };
        // The guard that counts: credits of one pay never exceed its charge.
        let reserved = diesel::update(
            o::operations
                .filter(o::traction_no.eq(pay_tn))
                .filter(o::kind.eq(OpKind::Pay))
                .filter(o::ret.eq(OpRet::Success))
                .filter(o::merchant_uuid.eq(merchant))
                .filter((o::refunded + amount).le(o::amount)),
        )
        .set(o::refunded.eq(o::refunded + amount))
        .execute(c)?;
        if reserved == 0 {
            let state = pay_of(c)?.map(|r| r.pay_state());
            let reason = trade::refund_refusal(state.as_ref(), pay_tn, merchant, amount)
                .unwrap_or_else(|| "refund exceeds the charge".to_string());
            return Ok(Err(reason));
        }
        let credited = diesel::update(
            a::sign_accounters
                .filter(a::uuid.eq(&acc_uuid))
                .filter(a::used_credit.ge(amount)),
        )
        .set((a::used_credit.eq(a::used_credit - amount), a::modified_at.eq(now)))
        .execute(c)?;
        if credited == 0 {
            // Rolls everything back: the ledger and the accounter disagree.
            return Err(anyhow::anyhow!("accounter {acc_uuid} has less used credit than pay {pay_tn} charged").into());
        }
        let ledger_uuid = new_uuid();
        let used_after = used_credit(c, &acc_uuid)?;
        diesel::insert_into(l::ledger_entries)
            .values(NewLedgerRow {
                uuid: &ledger_uuid,
                accounter_uuid: &acc_uuid,
                merchant_uuid: merchant,
                kind: EntryKind::Credit,
                amount,
                traction_no: &cmd.traction_no,
                pay_traction_no: Some(pay_tn),
                sign_person_uuid: pay.sign_person_uuid.as_deref(),
                used_credit_after: used_after,
                created_at: now,
            })
            .execute(c)?;
        Ok(Ok(Moved {
            ledger_uuid,
            accounter_uuid: acc_uuid,
            person_uuid: pay.sign_person_uuid,
        }))
    })
}
