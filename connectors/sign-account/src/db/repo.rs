//! Queries of the management API. `owner` scopes every lookup by uuid: `Some(merchant)` sees
//! only that merchant's rows (another merchant's are "not found"), `None` (admins, services)
//! sees all. Blocking: called through `Database::run`.

use connector_contract::shared::collection::{Direction, OrderBy, Page};
use connector_contract::shared::db::{DbBackend, DbConnection, write_tx};
use connector_contract::shared::ids::new_uuid;
use diesel::prelude::*;

use super::models::{AccounterRow, LedgerRow, NewAccounterRow, NewPersonRow, PersonRow};
use super::schema::ledger_entries::{self, dsl as l};
use super::schema::sign_accounters::{self, dsl as a};
use super::schema::sign_persons::{self, dsl as p};
use crate::domain::accounter::check_limit;
use crate::domain::{AccounterPatch, NewAccounter, PersonData, PersonPatch};
use crate::error::Error;

const ACCOUNTER: &str = "signAccounter";
const PERSON: &str = "signPerson";

// ----- accounters -----

#[derive(Debug, Default, Clone)]
pub struct AccounterFilter {
    /// `None`: every merchant (admins and services only).
    pub merchant_uuid: Option<String>,
    pub status: Option<String>,
    pub name: Option<String>,
}

fn accounters_filtered(f: &AccounterFilter) -> sign_accounters::BoxedQuery<'_, DbBackend> {
    let mut q = a::sign_accounters.into_boxed();
    if let Some(v) = &f.merchant_uuid {
        q = q.filter(a::merchant_uuid.eq(v));
    }
    if let Some(v) = &f.status {
        q = q.filter(a::status.eq(v));
    }
    if let Some(v) = &f.name {
        q = q.filter(a::name.eq(v));
    }
    q
}

pub fn list_accounters(
    conn: &mut DbConnection,
    f: &AccounterFilter,
    order: Option<OrderBy>,
    page: Page,
) -> Result<(i64, Vec<AccounterRow>), Error> {
    let size = accounters_filtered(f).count().get_result::<i64>(conn)?;
    let q = accounters_filtered(f);
    let (field, dir) = order.map_or(("id", Direction::Asc), |o| (o.field, o.direction));
    let q = match (field, dir) {
        ("name", Direction::Asc) => q.order((a::name.asc(), a::id.asc())),
        ("name", Direction::Desc) => q.order((a::name.desc(), a::id.desc())),
        ("createdAt", Direction::Asc) => q.order((a::created_at.asc(), a::id.asc())),
        ("createdAt", Direction::Desc) => q.order((a::created_at.desc(), a::id.desc())),
        ("creditLimit", Direction::Asc) => q.order((a::credit_limit.asc(), a::id.asc())),
        ("creditLimit", Direction::Desc) => q.order((a::credit_limit.desc(), a::id.desc())),
        ("usedCredit", Direction::Asc) => q.order((a::used_credit.asc(), a::id.asc())),
        ("usedCredit", Direction::Desc) => q.order((a::used_credit.desc(), a::id.desc())),
        (_, Direction::Desc) => q.order(a::id.desc()),
        (_, Direction::Asc) => q.order(a::id.asc()),
    };
    let items = q
        .offset(page.offset)
        .limit(page.limit)
        .select(AccounterRow::as_select())
        .load(conn)?;
    Ok((size, items))
}

pub fn accounter(conn: &mut DbConnection, uuid: &str, owner: Option<&str>) -> Result<AccounterRow, Error> {
    let mut q = a::sign_accounters.filter(a::uuid.eq(uuid)).into_boxed::<DbBackend>();
    if let Some(m) = owner {
        q = q.filter(a::merchant_uuid.eq(m));
    }
    q.select(AccounterRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(Error::NotFound(ACCOUNTER))
}

pub fn create_accounter(
    conn: &mut DbConnection,
    merchant: &str,
    new: &NewAccounter,
    now: i64,
) -> Result<AccounterRow, Error> {
    let uuid = new_uuid();
    diesel::insert_into(a::sign_accounters)
        .values(NewAccounterRow {
            uuid: &uuid,
            merchant_uuid: merchant,
            name: &new.name,
            description: new.description.as_deref(),
            credit_limit: new.credit_limit,
            used_credit: 0,
            status: new.status.as_str(),
            created_at: now,
            modified_at: now,
        })
        .execute(conn)?;
    accounter(conn, &uuid, None)
}

/// Applies the patch. The new credit limit is checked against the used credit inside the
/// update itself, so a charge landing meanwhile cannot push the used credit above it.
pub fn update_accounter(
    conn: &mut DbConnection,
    uuid: &str,
    owner: Option<&str>,
    patch: &AccounterPatch,
    now: i64,
) -> Result<AccounterRow, Error> {
    write_tx(conn, |c| {
        let row = accounter(c, uuid, owner)?;
        let d = patch.apply(row.data(), row.used_credit)?;
        let updated = diesel::update(
            a::sign_accounters
                .filter(a::id.eq(row.id))
                .filter(a::used_credit.le(d.credit_limit)),
        )
        .set((
            a::name.eq(&d.name),
            a::description.eq(d.description.as_deref()),
            a::credit_limit.eq(d.credit_limit),
            a::status.eq(d.status.as_str()),
            a::modified_at.eq(now),
        ))
        .execute(c)?;
        if updated == 0 {
            let used = accounter(c, uuid, owner)?.used_credit;
            check_limit(d.credit_limit, used)?;
            return Err(anyhow::anyhow!("accounter {uuid} changed during the update").into());
        }
        accounter(c, uuid, owner)
    })
}

// ----- persons -----

pub fn create_person(
    conn: &mut DbConnection,
    accounter_uuid: &str,
    owner: Option<&str>,
    data: &PersonData,
    now: i64,
) -> Result<PersonRow, Error> {
    write_tx(conn, |c| {
        let acc = accounter(c, accounter_uuid, owner)?;
        let uuid = new_uuid();
        diesel::insert_into(p::sign_persons)
            .values(NewPersonRow {
                uuid: &uuid,
                accounter_uuid: &acc.uuid,
                merchant_uuid: &acc.merchant_uuid,
                name: &data.name,
                mobile: data.mobile.as_deref(),
                created_at: now,
                modified_at: now,
            })
            .execute(c)?;
        person(c, accounter_uuid, &uuid, owner)
    })
}

pub fn person(
    conn: &mut DbConnection,
    accounter_uuid: &str,
    uuid: &str,
    owner: Option<&str>,
) -> Result<PersonRow, Error> {
    let mut q = p::sign_persons
        .filter(p::uuid.eq(uuid))
        .filter(p::accounter_uuid.eq(accounter_uuid))
        .into_boxed::<DbBackend>();
    if let Some(m) = owner {
        q = q.filter(p::merchant_uuid.eq(m));
    }
    q.select(PersonRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(Error::NotFound(PERSON))
}

pub fn update_person(
    conn: &mut DbConnection,
    accounter_uuid: &str,
    uuid: &str,
    owner: Option<&str>,
    patch: &PersonPatch,
    now: i64,
) -> Result<PersonRow, Error> {
    write_tx(conn, |c| {
        let row = person(c, accounter_uuid, uuid, owner)?;
        let d = patch.apply(PersonData {
            name: row.name.clone(),
            mobile: row.mobile.clone(),
        });
        diesel::update(p::sign_persons.filter(p::id.eq(row.id)))
            .set((
                p::name.eq(&d.name),
                p::mobile.eq(d.mobile.as_deref()),
                p::modified_at.eq(now),
            ))
            .execute(c)?;
        person(c, accounter_uuid, uuid, owner)
    })
}

fn persons_of(accounter_uuid: &str) -> sign_persons::BoxedQuery<'_, DbBackend> {
    p::sign_persons
        .filter(p::accounter_uuid.eq(accounter_uuid))
        .into_boxed()
}

/// The persons of a visible accounter (404 otherwise).
pub fn list_persons(
    conn: &mut DbConnection,
    accounter_uuid: &str,
    owner: Option<&str>,
    order: Option<OrderBy>,
    page: Page,
) -> Result<(i64, Vec<PersonRow>), Error> {
    accounter(conn, accounter_uuid, owner)?;
    let size = persons_of(accounter_uuid).count().get_result::<i64>(conn)?;
    let q = persons_of(accounter_uuid);
    let (field, dir) = order.map_or(("id", Direction::Asc), |o| (o.field, o.direction));
    let q = match (field, dir) {
        ("name", Direction::Asc) => q.order((p::name.asc(), p::id.asc())),
        ("name", Direction::Desc) => q.order((p::name.desc(), p::id.desc())),
        ("createdAt", Direction::Asc) => q.order((p::created_at.asc(), p::id.asc())),
        ("createdAt", Direction::Desc) => q.order((p::created_at.desc(), p::id.desc())),
        (_, Direction::Desc) => q.order(p::id.desc()),
        (_, Direction::Asc) => q.order(p::id.asc()),
    };
    let items = q
        .offset(page.offset)
        .limit(page.limit)
        .select(PersonRow::as_select())
        .load(conn)?;
    Ok((size, items))
}

// ----- statement -----

#[derive(Debug, Default, Clone)]
pub struct StatementFilter {
    pub kind: Option<String>,
    pub traction_no: Option<String>,
    pub pay_traction_no: Option<String>,
    pub start_ms: Option<i64>,
    pub end_ms: Option<i64>,
}

fn entries_filtered<'a>(accounter_uuid: &'a str, f: &'a StatementFilter) -> ledger_entries::BoxedQuery<'a, DbBackend> {
    let mut q = l::ledger_entries
        .filter(l::accounter_uuid.eq(accounter_uuid))
        .into_boxed();
    if let Some(v) = &f.kind {
        q = q.filter(l::kind.eq(v));
    }
    if let Some(v) = &f.traction_no {
        q = q.filter(l::traction_no.eq(v));
    }
    if let Some(v) = &f.pay_traction_no {
        q = q.filter(l::pay_traction_no.eq(v));
    }
    if let Some(v) = f.start_ms {
        q = q.filter(l::created_at.ge(v));
    }
    if let Some(v) = f.end_ms {
        q = q.filter(l::created_at.le(v));
    }
    q
}

/// The ledger entries of a visible accounter (404 otherwise), newest first by default.
pub fn statement(
    conn: &mut DbConnection,
    accounter_uuid: &str,
    owner: Option<&str>,
    f: &StatementFilter,
    order: Option<OrderBy>,
    page: Page,
) -> Result<(i64, Vec<LedgerRow>), Error> {
    accounter(conn, accounter_uuid, owner)?;
    let size = entries_filtered(accounter_uuid, f).count().get_result::<i64>(conn)?;
    let q = entries_filtered(accounter_uuid, f);
    let (field, dir) = order.map_or(("id", Direction::Desc), |o| (o.field, o.direction));
    let q = match (field, dir) {
        ("createdAt", Direction::Asc) => q.order((l::created_at.asc(), l::id.asc())),
        ("createdAt", Direction::Desc) => q.order((l::created_at.desc(), l::id.desc())),
        ("amount", Direction::Asc) => q.order((l::amount.asc(), l::id.asc())),
        ("amount", Direction::Desc) => q.order((l::amount.desc(), l::id.desc())),
        (_, Direction::Desc) => q.order(l::id.desc()),
        (_, Direction::Asc) => q.order(l::id.asc()),
    };
    let items = q
        .offset(page.offset)
        .limit(page.limit)
        .select(LedgerRow::as_select())
        .load(conn)?;
    Ok((size, items))
}
