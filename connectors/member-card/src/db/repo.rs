//! Queries of the management API on `members`, `member_counts` and `ledger_entries`.
//! Blocking: called through `Database::run`.
//!
//! `owner` arguments scope a lookup to one merchant (`Some`) or to all (`None`, for admins and
//! services naming nobody); another merchant's member is then simply not found.
//!
//! Every write that touches a member locks its row first (an `UPDATE` of the member), so
//! writes of one member are serialised on PostgreSQL as they are on SQLite (`BEGIN
//! IMMEDIATE`), and always take their locks in one order: member, then count items.

use std::collections::HashMap;

use connector_contract::shared::collection::Direction;
use connector_contract::shared::db::{DbConnection, DbError, write_tx};
use connector_contract::shared::ids::new_uuid;
use connector_contract::shared::list_query::{BoxedSelect, end_time, start_time};
use connector_contract::shared::listing::{Filter, ListRequest, Listing, Sort};
use diesel::prelude::*;

use super::models::{CountRow, LedgerRow, MemberChanges, MemberRow, NewCountRow, NewLedgerRow, NewMemberRow};
use super::schema::ledger_entries::dsl as l;
use super::schema::member_counts::dsl as c;
use super::schema::members::dsl as m;
use super::schema::{ledger_entries, members};
use crate::domain::counts::{CountItem, to_json};
use crate::domain::listing::{EntryKind, RechargeKey, recharge_conflict};
use crate::domain::member::{CountAdd, MAX_BALANCE, MAX_REMAINING, MemberPatch, NewMember, Recharge, Status};
use crate::error::Error;

/// A member with its count items (in the order they were first added).
#[derive(Debug, Clone)]
pub struct Member {
    pub row: MemberRow,
    pub counts: Vec<CountRow>,
}

/// A member write's error: breaking the unique `(merchant, cardNo)` key means the cardNo is
/// taken (409).
fn card_no_taken(e: diesel::result::Error, card_no: Option<&str>) -> Error {
    match DbError::from(e) {
        e if e.is_unique_violation() => Error::Conflict(format!(
            "cardNo {} is already used by another member of this merchant",
            card_no.unwrap_or_default()
        )),
        e => Error::Db(e),
    }
}

pub fn row_by_uuid(conn: &mut DbConnection, uuid: &str, owner: Option<&str>) -> Result<MemberRow, Error> {
    let mut q = m::members.filter(m::uuid.eq(uuid)).into_boxed();
    if let Some(o) = owner {
        q = q.filter(m::merchant_uuid.eq(o));
    }
    q.select(MemberRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(Error::NotFound("member"))
}

/// Count items of these members, grouped by member.
fn counts_of(conn: &mut DbConnection, uuids: Vec<String>) -> Result<HashMap<String, Vec<CountRow>>, Error> {
    let rows = c::member_counts
        .filter(c::member_uuid.eq_any(uuids))
        .order(c::id.asc())
        .select(CountRow::as_select())
        .load(conn)?;
    let mut by_member: HashMap<String, Vec<CountRow>> = HashMap::new();
    for r in rows {
        by_member.entry(r.member_uuid.clone()).or_default().push(r);
    }
    Ok(by_member)
}

fn with_counts(conn: &mut DbConnection, row: MemberRow) -> Result<Member, Error> {
    let counts = counts_of(conn, vec![row.uuid.clone()])?
        .remove(&row.uuid)
        .unwrap_or_default();
    Ok(Member { row, counts })
}

pub fn by_uuid(conn: &mut DbConnection, uuid: &str, owner: Option<&str>) -> Result<Member, Error> {
    let row = row_by_uuid(conn, uuid, owner)?;
    with_counts(conn, row)
}

pub fn insert(conn: &mut DbConnection, merchant: &str, new: &NewMember, now: i64) -> Result<Member, Error> {
    let uuid = new_uuid();
    diesel::insert_into(m::members)
        .values(NewMemberRow {
            uuid: &uuid,
            merchant_uuid: merchant,
            name: &new.name,
            mobile: new.mobile.as_deref(),
            card_no: new.card_no.as_deref(),
            balance: 0,
            status: new.status,
            created_at: now,
            modified_at: now,
        })
        .execute(conn)
        .map_err(|e| card_no_taken(e, new.card_no.as_deref()))?;
    by_uuid(conn, &uuid, None)
}

/// Applies a `PUT`; an unchanged member keeps its `modifiedAt`.
pub fn update(
    conn: &mut DbConnection,
    uuid: &str,
    owner: Option<&str>,
    patch: &MemberPatch,
    now: i64,
) -> Result<Member, Error> {
    write_tx(conn, |conn| {
        let row = row_by_uuid(conn, uuid, owner)?;
        let before = row.fields();
        let after = patch.apply_to(&before);
        if after == before {
            return with_counts(conn, row);
        }
        diesel::update(m::members.filter(m::id.eq(row.id)))
            .set(MemberChanges {
                name: &after.name,
                mobile: after.mobile.as_deref(),
                card_no: after.card_no.as_deref(),
                status: after.status,
                modified_at: now,
            })
            .execute(conn)
            .map_err(|e| card_no_taken(e, after.card_no.as_deref()))?;
        by_uuid(conn, uuid, None)
    })
}

/// Members selected as [`MemberRow`]s, boxed so filters can be added one by one.
pub type MemberQuery = BoxedSelect<members::table, MemberRow>;

pub fn all_members() -> MemberQuery {
    m::members.select(MemberRow::as_select()).into_boxed()
}

/// `GET /members`. `mobile` and `cardNo` are compared trimmed, as they are stored.
pub static MEMBERS: Listing<MemberQuery> = Listing {
    filters: &[
        Filter::text("mobile", "Exact match.", |q, v| {
            q.filter(m::mobile.eq(v.trim().to_string()))
        }),
        Filter::text("cardNo", "Exact match.", |q, v| {
            q.filter(m::card_no.eq(v.trim().to_string()))
        }),
        Filter::one_of("status", "Exact match.", Status::ALL, |q, v| q.filter(m::status.eq(v))),
    ],
    sorts: &[
        Sort::new("id", |q, d| d.order1(q, m::id)),
        Sort::new("name", |q, d| d.order(q, m::name, m::id)),
        Sort::new("createdAt", |q, d| d.order(q, m::created_at, m::id)),
        Sort::new("balance", |q, d| d.order(q, m::balance, m::id)),
    ],
    default_sort: |q, d| d.order1(q, m::id),
    merchant: Some(|q, v| q.filter(m::merchant_uuid.eq(v))),
};

/// One page of members and the number of all that match.
pub fn list(conn: &mut DbConnection, req: &ListRequest) -> Result<(i64, Vec<Member>), Error> {
    let (size, rows) = MEMBERS.fetch(conn, all_members, req)?;
    let mut counts = counts_of(conn, rows.iter().map(|r| r.uuid.clone()).collect())?;
    let items = rows
        .into_iter()
        .map(|row| Member {
            counts: counts.remove(&row.uuid).unwrap_or_default(),
            row,
        })
        .collect();
    Ok((size, items))
}

fn entry_by_client_no(conn: &mut DbConnection, merchant: &str, client_no: &str) -> Result<Option<LedgerRow>, Error> {
    Ok(l::ledger_entries
        .filter(l::merchant_uuid.eq(merchant))
        .filter(l::client_recharge_no.eq(client_no))
        .select(LedgerRow::as_select())
        .first(conn)
        .optional()?)
}

/// `Ok` when `entry` recorded this very request (a replay), else the 409.
fn same_request(entry: &LedgerRow, client_no: &str, incoming: &RechargeKey) -> Result<(), Error> {
    let recorded = RechargeKey {
        kind: entry.kind,
        member_uuid: &entry.member_uuid,
        amount: entry.amount,
        counts: entry.counts.as_deref(),
    };
    match recharge_conflict(client_no, &recorded, incoming) {
        None => Ok(()),
        Some(why) => Err(Error::Conflict(why)),
    }
}

/// Locks an enabled member's row for the rest of the transaction (and touches `modifiedAt`);
/// a disabled member is a 409.
fn lock_enabled(conn: &mut DbConnection, row: &MemberRow, now: i64) -> Result<(), Error> {
    let n = diesel::update(
        m::members
            .filter(m::id.eq(row.id))
            .filter(m::status.eq(Status::Enabled)),
    )
    .set(m::modified_at.eq(now))
    .execute(conn)?;
    if n == 0 {
        return Err(Error::Conflict(format!("member {} is disabled", row.uuid)));
    }
    Ok(())
}

/// What a recharge or a count addition records in the ledger, and a repeat of its
/// `clientRechargeNo` must match.
struct Credit<'a> {
    kind: EntryKind,
    amount: Option<i64>,
    counts: Option<&'a str>,
}

/// Runs a write keyed by a `clientRechargeNo` and records `credit` in the ledger with the
/// balance after it: a repeat of the same request (even one that arrives at once and loses
/// the race on the unique index) answers the member as it is now, a repeat with another
/// request is a 409.
fn idempotent(
    conn: &mut DbConnection,
    uuid: &str,
    owner: Option<&str>,
    client_no: Option<&str>,
    credit: Credit,
    now: i64,
    write: impl Fn(&mut DbConnection, &MemberRow) -> Result<(), Error>,
) -> Result<Member, Error> {
    let replay = |conn: &mut DbConnection, row: &MemberRow, entry: &LedgerRow, client_no: &str| {
        let incoming = RechargeKey {
            kind: credit.kind,
            member_uuid: &row.uuid,
            amount: credit.amount,
            counts: credit.counts,
        };
        same_request(entry, client_no, &incoming)?;
        by_uuid(conn, &row.uuid, None)
    };
    let attempt = write_tx(conn, |conn| {
        let row = row_by_uuid(conn, uuid, owner)?;
        if let Some(no) = client_no
            && let Some(entry) = entry_by_client_no(conn, &row.merchant_uuid, no)?
        {
            return replay(conn, &row, &entry, no);
        }
        write(conn, &row)?;
        let balance_after = balance_of(conn, &row.uuid)?;
        insert_entry(
            conn,
            &NewLedgerRow {
                uuid: &new_uuid(),
                member_uuid: &row.uuid,
                merchant_uuid: &row.merchant_uuid,
                kind: credit.kind,
                amount: credit.amount,
                counts: credit.counts,
                traction_no: None,
                client_recharge_no: client_no,
                balance_after,
                created_at: now,
            },
        )?;
        by_uuid(conn, uuid, None)
    });
    match (attempt, client_no) {
        (Err(e), Some(no)) if e.is_unique_violation() => {
            tracing::info!(
                client_recharge_no = no,
                "lost the race for a clientRechargeNo; answering the recorded one"
            );
            let row = row_by_uuid(conn, uuid, owner)?;
            let entry = entry_by_client_no(conn, &row.merchant_uuid, no)?.ok_or_else(|| {
                Error::Unexpected(anyhow::anyhow!("clientRechargeNo {no} conflicted but is not recorded"))
            })?;
            replay(conn, &row, &entry, no)
        }
        (result, _) => result,
    }
}

pub fn balance_of(conn: &mut DbConnection, member_uuid: &str) -> Result<i64, Error> {
    Ok(m::members
        .filter(m::uuid.eq(member_uuid))
        .select(m::balance)
        .first(conn)?)
}

/// Credits a recharge to an enabled member, once per `(merchant, clientRechargeNo)`.
pub fn recharge(
    conn: &mut DbConnection,
    uuid: &str,
    owner: Option<&str>,
    r: &Recharge,
    now: i64,
) -> Result<Member, Error> {
    idempotent(
        conn,
        uuid,
        owner,
        Some(&r.client_recharge_no),
        Credit {
            kind: EntryKind::Recharge,
            amount: Some(r.amount),
            counts: None,
        },
        now,
        |conn, row| {
            let n = diesel::update(
                m::members
                    .filter(m::id.eq(row.id))
                    .filter(m::status.eq(Status::Enabled))
                    .filter(m::balance.le(MAX_BALANCE - r.amount)),
            )
            .set((m::balance.eq(m::balance + r.amount), m::modified_at.eq(now)))
            .execute(conn)?;
            if n == 0 {
                let now_row = row_by_uuid(conn, &row.uuid, None)?;
                return Err(if now_row.status != Status::Enabled {
                    Error::Conflict(format!("member {} is disabled", row.uuid))
                } else {
                    Error::Conflict(format!("the balance would exceed {MAX_BALANCE} fen"))
                });
            }
            Ok(())
        },
    )
}

/// Adds counts to one item of an enabled member (creating the item on its first addition);
/// idempotent when a `clientRechargeNo` is given.
pub fn add_counts(
    conn: &mut DbConnection,
    uuid: &str,
    owner: Option<&str>,
    add: &CountAdd,
    now: i64,
) -> Result<Member, Error> {
    let counts_json = to_json(std::slice::from_ref(&add.item));
    idempotent(
        conn,
        uuid,
        owner,
        add.client_recharge_no.as_deref(),
        Credit {
            kind: EntryKind::CountAdd,
            amount: None,
            counts: Some(&counts_json),
        },
        now,
        |conn, row| {
            lock_enabled(conn, row, now)?;
            let item = &add.item;
            let name = item.name.as_deref().unwrap_or(&item.merchandise_uuid);
            let n = diesel::update(item_rows(&row.uuid, item).filter(c::remaining.le(MAX_REMAINING - item.count)))
                .set((
                    c::remaining.eq(c::remaining + item.count),
                    c::name.eq(name),
                    c::modified_at.eq(now),
                ))
                .execute(conn)?;
            if n == 0 {
                let exists = item_remaining(conn, &row.uuid, item)?.is_some();
                if exists {
                    return Err(Error::Conflict(format!(
                        "{} would hold more than {MAX_REMAINING} counts",
                        item.label()
                    )));
                }
                insert_item(conn, &row.uuid, item, item.count, now)?;
            }
            Ok(())
        },
    )
}

/// The rows of one count item of a member (one at most), for updates and reads.
pub type ItemRows<'a> = diesel::dsl::Filter<
    diesel::dsl::Filter<
        diesel::dsl::Filter<super::schema::member_counts::table, diesel::dsl::Eq<c::member_uuid, &'a str>>,
        diesel::dsl::Eq<c::merchandise_uuid, &'a str>,
    >,
    diesel::dsl::Eq<c::style_uuid, &'a str>,
>;

/// The row of one count item of a member.
pub fn item_rows<'a>(member_uuid: &'a str, item: &'a CountItem) -> ItemRows<'a> {
    c::member_counts
        .filter(c::member_uuid.eq(member_uuid))
        .filter(c::merchandise_uuid.eq(item.merchandise_uuid.as_str()))
        .filter(c::style_uuid.eq(item.style_key()))
}

/// What the member has left of an item; `None` when it never had any.
pub fn item_remaining(conn: &mut DbConnection, member_uuid: &str, item: &CountItem) -> Result<Option<i32>, Error> {
    Ok(item_rows(member_uuid, item)
        .select(c::remaining)
        .first(conn)
        .optional()?)
}

pub fn insert_item(
    conn: &mut DbConnection,
    member_uuid: &str,
    item: &CountItem,
    remaining: i32,
    now: i64,
) -> Result<(), Error> {
    diesel::insert_into(c::member_counts)
        .values(NewCountRow {
            member_uuid,
            merchandise_uuid: &item.merchandise_uuid,
            style_uuid: item.style_key(),
            name: item.name.as_deref().unwrap_or(&item.merchandise_uuid),
            remaining,
            created_at: now,
            modified_at: now,
        })
        .execute(conn)?;
    Ok(())
}

pub fn insert_entry(conn: &mut DbConnection, entry: &NewLedgerRow) -> Result<(), Error> {
    diesel::insert_into(l::ledger_entries).values(entry).execute(conn)?;
    Ok(())
}

/// Ledger entries selected as [`LedgerRow`]s, boxed so filters can be added one by one.
pub type LedgerQuery = BoxedSelect<ledger_entries::table, LedgerRow>;

/// The ledger entries of one member.
fn entries_of(member_uuid: &str) -> LedgerQuery {
    l::ledger_entries
        .filter(l::member_uuid.eq(member_uuid.to_string()))
        .select(LedgerRow::as_select())
        .into_boxed()
}

/// `GET /members/{uuid}/statement`, newest first by default. The member is the path's (its
/// visibility is checked on the member); the merchant filter is its merchant's entries.
pub static STATEMENT: Listing<LedgerQuery> = Listing {
    filters: &[
        Filter::one_of("kind", "Exact match.", EntryKind::ALL, |q, v| q.filter(l::kind.eq(v))),
        start_time(|q, v| q.filter(l::created_at.ge(v))),
        end_time(|q, v| q.filter(l::created_at.le(v))),
    ],
    sorts: &[
        Sort::new("id", |q, d| d.order1(q, l::id)),
        Sort::new("createdAt", |q, d| d.order(q, l::created_at, l::id)),
        // Count entries have no amount: last either way, on both backends.
        Sort::new("amount", |q, d| match d {
            Direction::Asc => q.order((l::amount.is_null().asc(), l::amount.asc(), l::id.asc())),
            Direction::Desc => q.order((l::amount.is_null().asc(), l::amount.desc(), l::id.desc())),
        }),
    ],
    default_sort: |q, _| Direction::Desc.order1(q, l::id),
    merchant: Some(|q, v| q.filter(l::merchant_uuid.eq(v))),
};

/// One page of a member's ledger.
pub fn statement(
    conn: &mut DbConnection,
    member_uuid: &str,
    req: &ListRequest,
) -> Result<(i64, Vec<LedgerRow>), Error> {
    Ok(STATEMENT.fetch(conn, || entries_of(member_uuid), req)?)
}
