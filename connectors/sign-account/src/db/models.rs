//! What sign-account writes to its tables, and what it reads from the rows (declared with
//! their tables in `schema`).

use diesel::prelude::*;

pub use super::schema::{AccounterRow, LedgerRow, OperationRow, PersonRow};
use super::schema::{ledger_entries, operations, sign_accounters, sign_persons};
use crate::domain::accounter::{AccounterData, Status};
use crate::domain::statement::EntryKind;
use crate::domain::trade::{AccounterState, OpKey, OpKind, OpRet, PayState};

impl AccounterRow {
    pub fn data(&self) -> AccounterData {
        AccounterData {
            name: self.name.clone(),
            description: self.description.clone(),
            credit_limit: self.credit_limit,
            status: self.status,
        }
    }

    pub fn state(&self) -> AccounterState {
        AccounterState {
            merchant_uuid: self.merchant_uuid.clone(),
            status: self.status,
            credit_limit: self.credit_limit,
            used_credit: self.used_credit,
        }
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = sign_accounters)]
pub struct NewAccounterRow<'a> {
    pub uuid: &'a str,
    pub merchant_uuid: &'a str,
    pub name: &'a str,
    pub description: Option<&'a str>,
    pub credit_limit: i64,
    pub used_credit: i64,
    pub status: Status,
    pub created_at: i64,
    pub modified_at: i64,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = sign_persons)]
pub struct NewPersonRow<'a> {
    pub uuid: &'a str,
    pub accounter_uuid: &'a str,
    pub merchant_uuid: &'a str,
    pub name: &'a str,
    pub mobile: Option<&'a str>,
    pub created_at: i64,
    pub modified_at: i64,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = ledger_entries)]
pub struct NewLedgerRow<'a> {
    pub uuid: &'a str,
    pub accounter_uuid: &'a str,
    pub merchant_uuid: &'a str,
    pub kind: EntryKind,
    pub amount: i64,
    pub traction_no: &'a str,
    pub pay_traction_no: Option<&'a str>,
    pub sign_person_uuid: Option<&'a str>,
    pub used_credit_after: i64,
    pub created_at: i64,
}

impl OperationRow {
    pub fn key(&self) -> OpKey<'_> {
        OpKey {
            kind: self.kind.as_str(),
            merchant_uuid: &self.merchant_uuid,
            amount: self.amount,
            pay_traction_no: self.pay_traction_no.as_deref(),
        }
    }

    pub fn pay_state(&self) -> PayState {
        PayState {
            merchant_uuid: self.merchant_uuid.clone(),
            succeeded: self.ret == OpRet::Success,
            amount: self.amount,
            refunded: self.refunded,
        }
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = operations)]
pub struct NewOperationRow<'a> {
    pub traction_no: &'a str,
    pub kind: OpKind,
    pub merchant_uuid: &'a str,
    pub ret: OpRet,
    pub third_order_no: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub amount: i64,
    pub refunded: i64,
    pub accounter_uuid: Option<&'a str>,
    pub sign_person_uuid: Option<&'a str>,
    pub pay_traction_no: Option<&'a str>,
    pub finished_at: Option<i64>,
    pub created_at: i64,
}
