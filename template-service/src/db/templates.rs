//! The payModeTemplates collection (rows are written by `repo::register` and `repo::seed`).

use diesel::prelude::*;
use payserver_shared::listing::Listing;

use super::models::TemplateRow;
use super::schema::pay_mode_templates;
use super::schema::pay_mode_templates::dsl as t;
use crate::domain::Status;

payserver_shared::row_query!(pay_mode_templates -> TemplateRow);

/// `/payModeTemplates` (API.md A.2): templates belong to no merchant.
pub static TEMPLATES: Listing<Query> = payserver_shared::listing! {
    t;
    filters: [
        one_of("status", "Exact match.", Status::ALL): status eq,
        text("name", "Exact match."): name eq,
        text("payChannel", "Exact match."): pay_channel eq,
        text("payTemplateId", "Exact match."): pay_template_id eq,
    ],
    sorts: ["name": name, "createdAt": created_at, "modifiedAt": modified_at],
};
