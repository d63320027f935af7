//! The JSON shapes of the management API.

use connector_contract::shared::href::BaseUrl;
use connector_contract::shared::time::Clock;
use serde::Serialize;

use crate::db::models::{AccounterRow, LedgerRow, PersonRow};

#[derive(Debug, Serialize)]
pub struct Link {
    pub href: String,
}

pub fn accounter_href(base: &BaseUrl, uuid: &str) -> String {
    base.api(&format!("signAccounters/{uuid}"))
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccounterView {
    pub href: String,
    pub id: i64,
    pub uuid: String,
    pub name: String,
    pub description: Option<String>,
    pub credit_limit: i64,
    pub used_credit: i64,
    pub available_credit: i64,
    pub status: String,
    #[serde(rename = "merchantUUID")]
    pub merchant_uuid: String,
    pub created_at: String,
    pub modified_at: String,
    pub sign_persons: Link,
    pub statement: Link,
}

impl AccounterView {
    pub fn new(r: AccounterRow, base: &BaseUrl, clock: &Clock) -> Self {
        let href = accounter_href(base, &r.uuid);
        Self {
            sign_persons: Link {
                href: format!("{href}/signPersons"),
            },
            statement: Link {
                href: format!("{href}/statement"),
            },
            href,
            id: r.id,
            available_credit: (r.credit_limit - r.used_credit).max(0),
            uuid: r.uuid,
            name: r.name,
            description: r.description,
            credit_limit: r.credit_limit,
            used_credit: r.used_credit,
            status: r.status,
            merchant_uuid: r.merchant_uuid,
            created_at: clock.render(r.created_at),
            modified_at: clock.render(r.modified_at),
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PersonView {
    pub href: String,
    pub id: i64,
    pub uuid: String,
    pub name: String,
    pub mobile: Option<String>,
    #[serde(rename = "signAccounterUUID")]
    pub sign_accounter_uuid: String,
    #[serde(rename = "merchantUUID")]
    pub merchant_uuid: String,
    pub created_at: String,
    pub modified_at: String,
    pub sign_accounter: Link,
}

impl PersonView {
    pub fn new(r: PersonRow, base: &BaseUrl, clock: &Clock) -> Self {
        let accounter = accounter_href(base, &r.accounter_uuid);
        Self {
            href: format!("{accounter}/signPersons/{}", r.uuid),
            sign_accounter: Link { href: accounter },
            id: r.id,
            uuid: r.uuid,
            name: r.name,
            mobile: r.mobile,
            sign_accounter_uuid: r.accounter_uuid,
            merchant_uuid: r.merchant_uuid,
            created_at: clock.render(r.created_at),
            modified_at: clock.render(r.modified_at),
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LedgerView {
    pub id: i64,
    pub uuid: String,
    pub kind: String,
    pub amount: i64,
    pub traction_no: String,
    pub pay_traction_no: Option<String>,
    #[serde(rename = "signPersonUUID")]
    pub sign_person_uuid: Option<String>,
    pub used_credit_after: i64,
    #[serde(rename = "signAccounterUUID")]
    pub sign_accounter_uuid: String,
    #[serde(rename = "merchantUUID")]
    pub merchant_uuid: String,
    pub created_at: String,
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
