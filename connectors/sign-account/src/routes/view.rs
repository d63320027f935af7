//! The JSON shapes of the management API, and their schemas in the OpenAPI document
//! (`SignAccounter`, `SignPerson`, `SignLedgerEntry`).

use connector_contract::shared::href::{BaseUrl, Link};
use connector_contract::shared::time::Clock;
use serde::Serialize;

use crate::db::models::{AccounterRow, LedgerRow, PersonRow};
use crate::domain::Status;
use crate::domain::statement::EntryKind;

pub fn accounter_href(base: &BaseUrl, uuid: &str) -> String {
    base.api(&format!("signAccounters/{uuid}"))
}

connector_contract::shared::resource_view! {
    /// A sign account (挂账): a customer charging on credit.
    #[derive(Debug, Serialize, utoipa::ToSchema)]
    #[serde(rename_all = "camelCase")]
    #[schema(as = SignAccounter)]
    pub struct AccounterView {
        href;
        id;
        uuid;
        pub name: String,
        #[schema(required = true)]
        pub description: Option<String>,
        /// Fen (integer).
        #[schema(minimum = 0)]
        pub credit_limit: i64,
        /// Fen (integer).
        #[schema(minimum = 0)]
        pub used_credit: i64,
        /// creditLimit - usedCredit, at least 0. Fen (integer).
        #[schema(minimum = 0)]
        pub available_credit: i64,
        #[schema(schema_with = crate::api_doc::status_schema)]
        pub status: Status,
    } with (merchant_uuid, created_at, modified_at) {
        pub sign_persons: Link,
        pub statement: Link,
    }
}

impl AccounterView {
    pub fn new(r: AccounterRow, base: &BaseUrl, clock: &Clock) -> Self {
        let href = accounter_href(base, &r.uuid);
        connector_contract::shared::resource_moved!(r, href, clock => Self {
            sign_persons: Link::to(format!("{href}/signPersons")),
            statement: Link::to(format!("{href}/statement")),
            available_credit: (r.credit_limit - r.used_credit).max(0),
            name: r.name,
            description: r.description,
            credit_limit: r.credit_limit,
            used_credit: r.used_credit,
            status: r.status,
            merchant_uuid: r.merchant_uuid,
        })
    }
}

connector_contract::shared::resource_view! {
    /// A person allowed to charge a sign account.
    #[derive(Debug, Serialize, utoipa::ToSchema)]
    #[serde(rename_all = "camelCase")]
    #[schema(as = SignPerson)]
    pub struct PersonView {
        href;
        id;
        uuid;
        pub name: String,
        #[schema(required = true)]
        pub mobile: Option<String>,
        /// 22 characters of [0-9A-Za-z] (nanoid).
        #[schema(pattern = "^[0-9A-Za-z]{22}$", example = "irAl37TewwGEchYrXUWsfA")]
        #[serde(rename = "signAccounterUUID")]
        pub sign_accounter_uuid: String,
    } with (merchant_uuid, created_at, modified_at) {
        pub sign_accounter: Link,
    }
}

impl PersonView {
    pub fn new(r: PersonRow, base: &BaseUrl, clock: &Clock) -> Self {
        let accounter = accounter_href(base, &r.accounter_uuid);
        let href = format!("{accounter}/signPersons/{}", r.uuid);
        connector_contract::shared::resource_moved!(r, href, clock => Self {
            sign_accounter: Link::to(accounter),
            name: r.name,
            mobile: r.mobile,
            sign_accounter_uuid: r.accounter_uuid,
            merchant_uuid: r.merchant_uuid,
        })
    }
}

connector_contract::shared::resource_view! {
    /// A sign account's ledger entry.
    #[derive(Debug, Serialize, utoipa::ToSchema)]
    #[serde(rename_all = "camelCase")]
    #[schema(as = SignLedgerEntry)]
    pub struct LedgerView {
        id;
        uuid;
        #[schema(schema_with = crate::api_doc::kind_schema)]
        pub kind: EntryKind,
        /// Fen (integer).
        #[schema(minimum = 0)]
        pub amount: i64,
        pub traction_no: String,
        #[schema(required = true)]
        pub pay_traction_no: Option<String>,
        /// 22 characters of [0-9A-Za-z] (nanoid).
        #[schema(required = true, pattern = "^[0-9A-Za-z]{22}$", example = "irAl37TewwGEchYrXUWsfA")]
        #[serde(rename = "signPersonUUID")]
        pub sign_person_uuid: Option<String>,
        /// Fen (integer).
        #[schema(minimum = 0)]
        pub used_credit_after: i64,
        /// 22 characters of [0-9A-Za-z] (nanoid).
        #[schema(pattern = "^[0-9A-Za-z]{22}$", example = "irAl37TewwGEchYrXUWsfA")]
        #[serde(rename = "signAccounterUUID")]
        pub sign_accounter_uuid: String,
    } with (merchant_uuid, created_at)
}

impl LedgerView {
    pub fn new(r: LedgerRow, clock: &Clock) -> Self {
        Self {
            id: r.id,
            uuid: r.uuid,
            kind: r.kind,
            amount: r.amount,
            traction_no: r.traction_no,
            pay_traction_no: r.pay_traction_no,
            sign_person_uuid: r.sign_person_uuid,
            used_credit_after: r.used_credit_after,
            sign_accounter_uuid: r.accounter_uuid,
            merchant_uuid: r.merchant_uuid,
            created_at: clock.render(r.created_at),
        }
    }
}
