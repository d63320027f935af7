//! What member-card writes to its tables, and what it reads from the rows (declared with
//! their tables in `schema`).

use diesel::prelude::*;

pub use super::schema::{CountRow, LedgerRow, MemberRow, OperationRow};
use super::schema::{ledger_entries, member_counts, members, operations};
use crate::domain::counts::{self, CountItem};
use crate::domain::listing::EntryKind;
use crate::domain::member::{MemberFields, Status};
use crate::domain::trade::{MemberState, OpKind, OpRet, PayState};
use crate::error::Error;

impl MemberRow {
    pub fn fields(&self) -> MemberFields {
        MemberFields {
            name: self.name.clone(),
            mobile: self.mobile.clone(),
            card_no: self.card_no.clone(),
            status: self.status,
        }
    }

    pub fn state(&self) -> MemberState {
        MemberState {
            merchant_uuid: self.merchant_uuid.clone(),
            status: self.status,
            balance: self.balance,
        }
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = members)]
pub struct NewMemberRow<'a> {
    pub uuid: &'a str,
    pub merchant_uuid: &'a str,
    pub name: &'a str,
    pub mobile: Option<&'a str>,
    pub card_no: Option<&'a str>,
    pub balance: i64,
    pub status: Status,
    pub created_at: i64,
    pub modified_at: i64,
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = members, treat_none_as_null = true)]
pub struct MemberChanges<'a> {
    pub name: &'a str,
    pub mobile: Option<&'a str>,
    pub card_no: Option<&'a str>,
    pub status: Status,
    pub modified_at: i64,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = member_counts)]
pub struct NewCountRow<'a> {
    pub member_uuid: &'a str,
    pub merchandise_uuid: &'a str,
    pub style_uuid: &'a str,
    pub name: &'a str,
    pub remaining: i32,
    pub created_at: i64,
    pub modified_at: i64,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = ledger_entries)]
pub struct NewLedgerRow<'a> {
    pub uuid: &'a str,
    pub member_uuid: &'a str,
    pub merchant_uuid: &'a str,
    pub kind: EntryKind,
    pub amount: Option<i64>,
    pub counts: Option<&'a str>,
    pub traction_no: Option<&'a str>,
    pub client_recharge_no: Option<&'a str>,
    pub balance_after: i64,
    pub created_at: i64,
}

impl OperationRow {
    pub fn succeeded(&self) -> bool {
        self.ret == OpRet::Success
    }

    /// What a count pay deducted; `None` for a balance pay. Unreadable counts are an error,
    /// never a balance pay.
    pub fn counts(&self) -> Result<Option<Vec<CountItem>>, Error> {
        match self.counts.as_deref() {
            None => Ok(None),
            raw => counts::from_json(raw).map(Some).ok_or_else(|| {
                Error::Unexpected(anyhow::anyhow!("unreadable counts of operation {}", self.traction_no))
            }),
        }
    }

    pub fn pay_state(&self) -> Result<PayState, Error> {
        Ok(PayState {
            merchant_uuid: self.merchant_uuid.clone(),
            succeeded: self.succeeded(),
            amount: self.amount,
            refunded: self.refunded,
            counts: self.counts()?,
        })
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = operations)]
pub struct NewOperationRow<'a> {
    pub traction_no: &'a str,
    pub kind: OpKind,
    pub merchant_uuid: &'a str,
    pub member_uuid: Option<&'a str>,
    pub ret: OpRet,
    pub reason: Option<&'a str>,
    pub amount: i64,
    pub counts: Option<&'a str>,
    pub pay_traction_no: Option<&'a str>,
    pub third_order_no: Option<&'a str>,
    pub finished_at: Option<i64>,
    pub created_at: i64,
}
