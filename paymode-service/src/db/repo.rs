//! Queries on `pay_modes`. Blocking: called through `Database::run`.
//!
//! `owner` arguments scope a lookup to one merchant (`Some`) or to all (`None`, for admins and
//! services); a mode of another merchant is then simply not found.

use diesel::prelude::*;
use payserver_shared::db::{DbConnection, DbError, write_tx};
use payserver_shared::listing::ListRequest;

use super::models::{PayModeIdentity, PayModeRow, pay_mode_columns};
use super::pay_modes::{self, PAY_MODES};
use super::schema::pay_modes::dsl as p;
use crate::domain::{PayModeData, Update, UrlPolicy};
use crate::error::Error;

/// Every mode of one merchant, unpaged, in `order`'s order (`listAllPayModes`).
pub fn all_of_merchant(
    conn: &mut DbConnection,
    merchant_uuid: &str,
    order: &ListRequest,
) -> Result<Vec<PayModeRow>, Error> {
    let mut order = order.clone();
    order.merchant = Some(merchant_uuid.to_string());
    Ok(PAY_MODES.ordered(pay_modes::all(), &order).load(conn)?)
}

pub fn by_uuid(conn: &mut DbConnection, uuid: &str, owner: Option<&str>) -> Result<PayModeRow, Error> {
    let mut q = p::pay_modes.filter(p::uuid.eq(uuid)).into_boxed();
    if let Some(m) = owner {
        q = q.filter(p::merchant_uuid.eq(m));
    }
    q.select(PayModeRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(Error::NotFound)
}

/// `true` when the merchant has already opened this template.
pub fn has_opened(conn: &mut DbConnection, merchant_uuid: &str, pay_template_id: &str) -> Result<bool, Error> {
    let n: i64 = p::pay_modes
        .filter(p::merchant_uuid.eq(merchant_uuid))
        .filter(p::pay_template_id.eq(pay_template_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// A mode to insert.
pub struct NewRow {
    pub uuid: String,
    pub merchant_uuid: String,
    pub merchant_href: Option<String>,
    pub pay_template_id: Option<String>,
    pub template_uuid: Option<String>,
    pub data: PayModeData,
}

/// Inserts a mode. The unique index on `(merchant_uuid, pay_template_id)` turns a second
/// opening of the same template (even a concurrent one) into a 409.
pub fn insert(conn: &mut DbConnection, new: &NewRow, now: i64) -> Result<PayModeRow, Error> {
    let identity = PayModeIdentity {
        uuid: &new.uuid,
        merchant_uuid: &new.merchant_uuid,
        pay_template_id: new.pay_template_id.as_deref(),
        template_uuid: new.template_uuid.as_deref(),
        created_at: now,
    };
    diesel::insert_into(p::pay_modes)
        .values((
            identity,
            pay_mode_columns!(&new.data, new.merchant_href.as_deref(), now),
        ))
        .execute(conn)
        .map_err(|e| match DbError::from(e) {
            e if e.is_unique_violation() => Error::AlreadyOpened(format!(
                "payTemplateId:{} is already opened for merchant {}",
                new.pay_template_id.as_deref().unwrap_or_default(),
                new.merchant_uuid
            )),
            e => Error::Db(e),
        })?;
    by_uuid(conn, &new.uuid, None)
}

/// Applies an update in one write transaction; unchanged modes keep their `modifiedAt`. A
/// refused update (400) changes nothing.
pub fn update(
    conn: &mut DbConnection,
    uuid: &str,
    owner: Option<&str>,
    update: &Update,
    urls: &UrlPolicy,
    now: i64,
) -> Result<PayModeRow, Error> {
    write_tx(conn, |conn| {
        let row = by_uuid(conn, uuid, owner)?;
        let (data, href) = update.apply_to(
            &row.data(),
            &row.merchant_uuid,
            row.merchant_href.as_deref(),
            row.pay_template_id.as_deref(),
            urls,
        )?;
        if data == row.data() && href == row.merchant_href {
            return Ok(row);
        }
        diesel::update(p::pay_modes.filter(p::id.eq(row.id)))
            .set(pay_mode_columns!(&data, href.as_deref(), now))
            .execute(conn)?;
        by_uuid(conn, uuid, None)
    })
}

/// Closes a mode (`isOpened` 0) and returns it.
pub fn close(conn: &mut DbConnection, uuid: &str, owner: Option<&str>, now: i64) -> Result<PayModeRow, Error> {
    let row = by_uuid(conn, uuid, owner)?;
    diesel::update(p::pay_modes.filter(p::id.eq(row.id)))
        .set((p::is_opened.eq(0), p::modified_at.eq(now)))
        .execute(conn)?;
    by_uuid(conn, uuid, None)
}

/// Deletes a mode; `NotFound` when there is none the owner may see.
pub fn delete(conn: &mut DbConnection, uuid: &str, owner: Option<&str>) -> Result<(), Error> {
    let target = p::pay_modes.filter(p::uuid.eq(uuid));
    let n = match owner {
        Some(m) => diesel::delete(target.filter(p::merchant_uuid.eq(m))).execute(conn)?,
        None => diesel::delete(target).execute(conn)?,
    };
    if n == 0 { Err(Error::NotFound) } else { Ok(()) }
}
