//! Queries of the management API. `owner` scopes every lookup by uuid: `Some(merchant)` sees
//! only that merchant's rows (another merchant's are "not found"), `None` (admins, services)
//! sees all. Blocking: called through `Database::run`.

use connector_contract::shared::collection::Direction;
use connector_contract::shared::db::{DbBackend, DbConnection, write_tx};
use connector_contract::shared::ids::new_uuid;
use connector_contract::shared::list_query::{BoxedSelect, end_time, start_time};
use connector_contract::shared::listing::{Filter, ListRequest, Listing, Sort};
use diesel::prelude::*;

use super::models::{AccounterRow, LedgerRow, NewAccounterRow, NewPersonRow, PersonRow};
use super::schema::ledger_entries::{self, dsl as l};
use super::schema::sign_accounters::{self, dsl as a};
use super::schema::sign_persons::{self, dsl as p};
use crate::domain::accounter::check_limit;
use crate::domain::statement::EntryKind;
use crate::domain::{AccounterPatch, NewAccounter, PersonData, PersonPatch, Status};
use crate::error::Error;

const ACCOUNTER: &str = "signAccounter";
const PERSON: &str = "signPerson";

// ----- accounters -----

/// Accounters selected as [`AccounterRow`]s, boxed so filters can be added one by one.
pub type AccounterQuery = BoxedSelect<sign_accounters::table, AccounterRow>;

pub fn all_accounters() -> AccounterQuery {
    a::sign_accounters.select(AccounterRow::as_select()).into_boxed()
}

/// `GET /signAccounters`.
pub static ACCOUNTERS: Listing<AccounterQuery> = Listing {
    filters: &[
        Filter::one_of("status", "Exact match.", Status::ALL, |q, v| q.filter(a::status.eq(v))),
        Filter::text("name", "Exact match.", |q, v| q.filter(a::name.eq(v))),
    ],
    sorts: &[
        Sort::new("id", |q, d| d.order1(q, a::id)),
        Sort::new("name", |q, d| d.order(q, a::name, a::id)),
        Sort::new("createdAt", |q, d| d.order(q, a::created_at, a::id)),
        Sort::new("creditLimit", |q, d| d.order(q, a::credit_limit, a::id)),
        Sort::new("usedCredit", |q, d| d.order(q, a::used_credit, a::id)),
    ],
    default_sort: |q, d| d.order1(q, a::id),
    merchant: Some(|q, v| q.filter(a::merchant_uuid.eq(v))),
};

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
            status: new.status,
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
            a::status.eq(d.status),
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

/// Persons selected as [`PersonRow`]s, boxed so filters can be added one by one.
pub type PersonQuery = BoxedSelect<sign_persons::table, PersonRow>;

/// The persons of one accounter.
fn persons_of(accounter_uuid: &str) -> PersonQuery {
    p::sign_persons
        .filter(p::accounter_uuid.eq(accounter_uuid.to_string()))
        .select(PersonRow::as_select())
        .into_boxed()
}

/// `GET /signAccounters/{uuid}/signPersons`: the accounter is the path's (its visibility is
/// checked on the accounter), so no merchant filter.
pub static PERSONS: Listing<PersonQuery> = Listing {
    filters: &[],
    sorts: &[
        Sort::new("id", |q, d| d.order1(q, p::id)),
        Sort::new("name", |q, d| d.order(q, p::name, p::id)),
        Sort::new("createdAt", |q, d| d.order(q, p::created_at, p::id)),
    ],
    default_sort: |q, d| d.order1(q, p::id),
    merchant: None,
};

/// The persons of a visible accounter (404 otherwise).
pub fn list_persons(
    conn: &mut DbConnection,
    accounter_uuid: &str,
    owner: Option<&str>,
    req: &ListRequest,
) -> Result<(i64, Vec<PersonRow>), Error> {
    accounter(conn, accounter_uuid, owner)?;
    Ok(PERSONS.fetch(conn, || persons_of(accounter_uuid), req)?)
}

// ----- statement -----

/// Ledger entries selected as [`LedgerRow`]s, boxed so filters can be added one by one.
pub type LedgerQuery = BoxedSelect<ledger_entries::table, LedgerRow>;

/// The ledger entries of one accounter.
fn entries_of(accounter_uuid: &str) -> LedgerQuery {
    l::ledger_entries
        .filter(l::accounter_uuid.eq(accounter_uuid.to_string()))
        .select(LedgerRow::as_select())
        .into_boxed()
}

/// `GET /signAccounters/{uuid}/statement`, newest first by default; the accounter is the
/// path's (its visibility is checked on the accounter), so no merchant filter.
pub static STATEMENT: Listing<LedgerQuery> = Listing {
    filters: &[
        Filter::one_of("kind", "Exact match.", EntryKind::ALL, |q, v| q.filter(l::kind.eq(v))),
        Filter::text("tractionNo", "Exact match.", |q, v| q.filter(l::traction_no.eq(v))),
        Filter::text("payTractionNo", "Exact match.", |q, v| {
            q.filter(l::pay_traction_no.eq(v))
        }),
        start_time(|q, v| q.filter(l::created_at.ge(v))),
        end_time(|q, v| q.filter(l::created_at.le(v))),
    ],
    sorts: &[
        Sort::new("id", |q, d| d.order1(q, l::id)),
        Sort::new("createdAt", |q, d| d.order(q, l::created_at, l::id)),
        Sort::new("amount", |q, d| d.order(q, l::amount, l::id)),
    ],
    default_sort: |q, _| Direction::Desc.order1(q, l::id),
    merchant: None,
};

/// The ledger entries of a visible accounter (404 otherwise).
pub fn statement(
    conn: &mut DbConnection,
    accounter_uuid: &str,
    owner: Option<&str>,
    req: &ListRequest,
) -> Result<(i64, Vec<LedgerRow>), Error> {
    accounter(conn, accounter_uuid, owner)?;
    Ok(STATEMENT.fetch(conn, || entries_of(accounter_uuid), req)?)
}
