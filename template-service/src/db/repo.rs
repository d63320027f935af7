//! Queries on `pay_mode_templates`. Blocking: called through `Database::run`.

use diesel::prelude::*;
use payserver_shared::db::{DbConnection, DbError, write_tx};

use super::models::{TemplateRow, template_columns};
use super::schema::pay_mode_templates::dsl as t;
use crate::domain::builtin::Builtin;
use crate::domain::{TemplateData, TemplatePatch};
use crate::error::Error;

pub fn by_uuid(conn: &mut DbConnection, uuid: &str) -> Result<TemplateRow, Error> {
    t::pay_mode_templates
        .filter(t::uuid.eq(uuid))
        .select(TemplateRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(Error::NotFound)
}

fn by_pay_template_id(conn: &mut DbConnection, id: &str) -> QueryResult<Option<TemplateRow>> {
    t::pay_mode_templates
        .filter(t::pay_template_id.eq(id))
        .select(TemplateRow::as_select())
        .first(conn)
        .optional()
}

fn insert(conn: &mut DbConnection, uuid: &str, data: &TemplateData, now: i64) -> QueryResult<()> {
    diesel::insert_into(t::pay_mode_templates)
        .values((template_columns!(data, now), t::uuid.eq(uuid), t::created_at.eq(now)))
        .execute(conn)
        .map(drop)
}

/// Creates the template or updates the one with the same `payTemplateId`; `true` when created.
pub fn register(conn: &mut DbConnection, patch: &TemplatePatch, now: i64) -> Result<(TemplateRow, bool), Error> {
    let attempt = |conn: &mut DbConnection| {
        write_tx(conn, |conn| -> Result<(TemplateRow, bool), Error> {
            match by_pay_template_id(conn, &patch.pay_template_id)? {
                Some(row) => {
                    if patch.uuid.as_ref().is_some_and(|u| *u != row.uuid) {
                        return Err(Error::Invalid("uuid of an existing template cannot change".into()));
                    }
                    let mut data = row.data();
                    patch.apply(&mut data);
                    diesel::update(t::pay_mode_templates.filter(t::id.eq(row.id)))
                        .set(template_columns!(&data, now))
                        .execute(conn)?;
                    Ok((by_uuid(conn, &row.uuid)?, false))
                }
                None => {
                    let data = patch.create()?;
                    let uuid = patch.uuid.clone().unwrap_or_else(payserver_shared::ids::new_uuid);
                    insert(conn, &uuid, &data, now).map_err(|e| match DbError::from(e) {
                        // The payTemplateId race is retried below; a taken uuid is the client's.
                        e if e.is_unique_violation() && patch.uuid.is_some() => {
                            Error::Invalid("uuid is already used by another template".into())
                        }
                        e => Error::Db(e),
                    })?;
                    Ok((by_uuid(conn, &uuid)?, true))
                }
            }
        })
    };
    match attempt(conn) {
        // Two first registrations raced on PostgreSQL: the loser becomes an update.
        Err(Error::Db(e)) if e.is_unique_violation() => attempt(conn),
        other => other,
    }
}

/// Inserts the built-ins that are missing; existing ones keep any admin changes.
pub fn seed(conn: &mut DbConnection, builtins: &[Builtin], now: i64) -> Result<usize, Error> {
    let mut created = 0;
    for b in builtins {
        if by_pay_template_id(conn, &b.data.pay_template_id)?.is_some() {
            continue;
        }
        let uuid = b
            .uuid
            .map(str::to_string)
            .unwrap_or_else(payserver_shared::ids::new_uuid);
        match insert(conn, &uuid, &b.data, now).map_err(DbError::from) {
            Ok(()) => created += 1,
            // Another replica seeded it at the same moment.
            Err(e) if e.is_unique_violation() => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(created)
}
