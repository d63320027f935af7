//! The JSON shapes of a member and of its statement's entries, and their schemas in the
//! OpenAPI document (`Member`, `MemberCount`, `MemberLedgerEntry`).

use connector_contract::shared::href::{BaseUrl, Link};
use connector_contract::shared::time::Clock;
use serde::Serialize;
use serde_json::Value;

use crate::db::models::{CountRow, LedgerRow};
use crate::db::repo::Member;
use crate::domain::listing::EntryKind;
use crate::domain::member::Status;

/// One count-card item of a member.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = MemberCount)]
pub struct CountView {
    #[serde(rename = "merchandiseUUID")]
    pub merchandise_uuid: String,
    /// Null for merchandise without styles.
    #[serde(rename = "styleUUID")]
    #[schema(required = true)]
    pub style_uuid: Option<String>,
    pub name: String,
    #[schema(minimum = 0)]
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

connector_contract::shared::resource_view! {
    /// A member card: stored value (`balance`) and count items.
    #[derive(Debug, Serialize, utoipa::ToSchema)]
    #[serde(rename_all = "camelCase")]
    #[schema(as = Member)]
    pub struct MemberView {
        href;
        id;
        uuid;
        pub name: String,
        #[schema(required = true)]
        pub mobile: Option<String>,
        #[schema(required = true)]
        pub card_no: Option<String>,
        /// Stored value. Fen (integer).
        #[schema(minimum = 0)]
        pub balance: i64,
        pub counts: Vec<CountView>,
        #[schema(schema_with = crate::api_doc::status_schema)]
        pub status: Status,
    } with (merchant_uuid, created_at, modified_at) {
        pub statement: Link,
    }
}

impl MemberView {
    pub fn new(member: Member, base: &BaseUrl, clock: &Clock) -> Self {
        let r = member.row;
        let href = base.api(&format!("members/{}", r.uuid));
        connector_contract::shared::resource_moved!(r, href, clock => Self {
            statement: Link::to(format!("{href}/statement")),
            name: r.name,
            mobile: r.mobile,
            card_no: r.card_no,
            balance: r.balance,
            counts: member.counts.into_iter().map(CountView::from).collect(),
            status: r.status,
            merchant_uuid: r.merchant_uuid,
        })
    }
}

connector_contract::shared::resource_view! {
    /// One ledger entry: `amount` (fen, positive; `kind` gives the direction) for recharge, pay
    /// and refund; `counts` (`[{merchandiseUUID, styleUUID, name, count}]`) for count_add,
    /// count_use and count_restore.
    #[derive(Debug, Serialize, utoipa::ToSchema)]
    #[serde(rename_all = "camelCase")]
    #[schema(as = MemberLedgerEntry, description = "A member's ledger entry.")]
    pub struct LedgerView {
        id;
        uuid;
        /// 22 characters of [0-9A-Za-z] (nanoid).
        #[schema(pattern = "^[0-9A-Za-z]{22}$", example = "irAl37TewwGEchYrXUWsfA")]
        #[serde(rename = "memberUUID")]
        pub member_uuid: String,
        #[schema(schema_with = crate::api_doc::kind_schema)]
        pub kind: EntryKind,
        /// For recharge, pay and refund (positive; `kind` gives the direction). Fen (integer).
        #[schema(required = true, minimum = 0)]
        pub amount: Option<i64>,
        /// For count_add, count_use and count_restore.
        #[schema(required = true, value_type = Option<Vec<crate::domain::counts::CountItem>>)]
        pub counts: Option<Value>,
        #[schema(required = true)]
        pub traction_no: Option<String>,
        #[schema(required = true)]
        pub client_recharge_no: Option<String>,
        /// Fen (integer).
        #[schema(minimum = 0)]
        pub balance_after: i64,
    } with (created_at)
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
