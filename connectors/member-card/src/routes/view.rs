//! The JSON shapes of a member and of its statement's entries.

use connector_contract::shared::href::BaseUrl;
use connector_contract::shared::time::Clock;
use serde::Serialize;
use serde_json::Value;

use crate::db::models::{CountRow, LedgerRow};
use crate::db::repo::Member;

#[derive(Debug, Serialize)]
pub struct Link {
    pub href: String,
}

/// One count-card item of a member.
#[derive(Debug, Serialize)]
pub struct CountView {
    #[serde(rename = "merchandiseUUID")]
    pub merchandise_uuid: String,
    /// `null` for merchandise without styles.
    #[serde(rename = "styleUUID")]
    pub style_uuid: Option<String>,
    pub name: String,
    pub remaining: i32,
}

impl From<CountRow> for CountView {
    fn from(r: CountRow) -> Self {
        Self {
            merchandise_uuid: r.merchandise_uuid,
            style_uuid: Some(r.style_uuid).filter(|s| !s.is_empty()),
            name: r.name,
            remaining: r.remaining,
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberView {
    pub href: String,
    pub id: i64,
    pub uuid: String,
    pub name: String,
    pub mobile: Option<String>,
    pub card_no: Option<String>,
    /// Fen.
    pub balance: i64,
    pub counts: Vec<CountView>,
    pub status: String,
    #[serde(rename = "merchantUUID")]
    pub merchant_uuid: String,
    pub created_at: String,
    pub modified_at: String,
    pub statement: Link,
}

impl MemberView {
    pub fn new(member: Member, base: &BaseUrl, clock: &Clock) -> Self {
        let r = member.row;
        let href = base.api(&format!("members/{}", r.uuid));
        Self {
            statement: Link {
                href: format!("{href}/statement"),
            },
            href,
            id: r.id,
            uuid: r.uuid,
            name: r.name,
            mobile: r.mobile,
            card_no: r.card_no,
            balance: r.balance,
            counts: member.counts.into_iter().map(CountView::from).collect(),
            status: r.status,
            merchant_uuid: r.merchant_uuid,
            created_at: clock.render(r.created_at),
            modified_at: clock.render(r.modified_at),
        }
    }
}

/// One ledger entry: `amount` (fen, positive; `kind` gives the direction) for recharge, pay
/// and refund; `counts` (`[{merchandiseUUID, styleUUID, name, count}]`) for count_add,
/// count_use and count_restore.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LedgerView {
    pub id: i64,
    pub uuid: String,
    #[serde(rename = "memberUUID")]
    pub member_uuid: String,
    pub kind: String,
    pub amount: Option<i64>,
    pub counts: Option<Value>,
    pub traction_no: Option<String>,
    pub client_recharge_no: Option<String>,
    pub balance_after: i64,
    pub created_at: String,
}

impl LedgerView {
    pub fn new(r: LedgerRow, clock: &Clock) -> Self {
        Self {
            id: r.id,
            uuid: r.uuid,
            member_uuid: r.member_uuid,
            kind: r.kind,
            amount: r.amount,
            counts: r.counts.and_then(|c| serde_json::from_str(&c).ok()),
            traction_no: r.traction_no,
            client_recharge_no: r.client_recharge_no,
            balance_after: r.balance_after,
            created_at: clock.render(r.created_at),
        }
    }
}
