//! The payModes collection: `/payModes`, `/payModeTemplates/{uuid}/payModes` and the modes half
//! of `/listAllPayModes` (rows are written by `repo`).

use diesel::prelude::*;
use payserver_shared::db::DbBackend;
use payserver_shared::listing::{Filter, Listing, Sort};

use super::models::PayModeRow;
use super::schema::pay_modes;
use super::schema::pay_modes::dsl as p;

/// The modes, selected as [`PayModeRow`]s, boxed so filters can be added one by one.
pub type Query = diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::Select<pay_modes::table, diesel::dsl::AsSelect<PayModeRow, DbBackend>>,
    DbBackend,
>;

pub fn all() -> Query {
    p::pay_modes.select(PayModeRow::as_select()).into_boxed()
}

/// The modes opened from the template with this uuid (the base of its sub-collection).
pub fn of_template(template_uuid: &str) -> Query {
    all().filter(p::template_uuid.eq(template_uuid.to_string()))
}

/// `/payModes` and its sub-collection under a template (API.md A.3). Modes belong to a
/// merchant: merchants see their own, admins all or the one they name.
pub static PAY_MODES: Listing<Query> = Listing {
    filters: &[
        Filter::flag("isOpened", "Exact match.", |q, v| q.filter(p::is_opened.eq(v))),
        Filter::text("payTemplateId", "Exact match.", |q, v| {
            q.filter(p::pay_template_id.eq(v))
        }),
    ],
    sorts: &[
        Sort::new("id", |q, d| d.order1(q, p::id)),
        Sort::new("uiOrder", |q, d| d.order(q, p::ui_order, p::id)),
        Sort::new("name", |q, d| d.order(q, p::name, p::id)),
        Sort::new("createdAt", |q, d| d.order(q, p::created_at, p::id)),
        Sort::new("modifiedAt", |q, d| d.order(q, p::modified_at, p::id)),
    ],
    default_sort: |q, d| d.order1(q, p::id),
    merchant: Some(|q, v| q.filter(p::merchant_uuid.eq(v))),
};
