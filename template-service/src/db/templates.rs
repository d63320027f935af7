//! The payModeTemplates collection (rows are written by `repo::register` and `repo::seed`).

use diesel::prelude::*;
use payserver_shared::db::DbBackend;
use payserver_shared::listing::{Filter, Listing, Sort};

use super::models::TemplateRow;
use super::schema::pay_mode_templates;
use super::schema::pay_mode_templates::dsl as t;
use crate::domain::Status;

/// The templates, selected as [`TemplateRow`]s, boxed so filters can be added one by one.
pub type Query = diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::Select<pay_mode_templates::table, diesel::dsl::AsSelect<TemplateRow, DbBackend>>,
    DbBackend,
>;

pub fn all() -> Query {
    t::pay_mode_templates.select(TemplateRow::as_select()).into_boxed()
}

/// `/payModeTemplates` (API.md A.2): templates belong to no merchant.
pub static TEMPLATES: Listing<Query> = Listing {
    filters: &[
        Filter::one_of("status", "Exact match.", Status::ALL, |q, v| q.filter(t::status.eq(v))),
        Filter::text("name", "Exact match.", |q, v| q.filter(t::name.eq(v))),
        Filter::text("payChannel", "Exact match.", |q, v| q.filter(t::pay_channel.eq(v))),
        Filter::text("payTemplateId", "Exact match.", |q, v| {
            q.filter(t::pay_template_id.eq(v))
        }),
    ],
    sorts: &[
        Sort::new("id", |q, d| d.order1(q, t::id)),
        Sort::new("name", |q, d| d.order(q, t::name, t::id)),
        Sort::new("createdAt", |q, d| d.order(q, t::created_at, t::id)),
        Sort::new("modifiedAt", |q, d| d.order(q, t::modified_at, t::id)),
    ],
    default_sort: |q, d| d.order1(q, t::id),
    merchant: None,
};
