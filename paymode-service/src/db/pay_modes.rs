//! The payModes collection: `/payModes`, `/payModeTemplates/{uuid}/payModes` and the modes half
//! of `/listAllPayModes` (rows are written by `repo`).

use diesel::prelude::*;
use payserver_shared::listing::Listing;

use super::models::PayModeRow;
use super::schema::pay_modes;
use super::schema::pay_modes::dsl as p;

payserver_shared::row_query!(pay_modes -> PayModeRow);

/// The modes opened from the template with this uuid (the base of its sub-collection).
pub fn of_template(template_uuid: &str) -> Query {
    all().filter(p::template_uuid.eq(template_uuid.to_string()))
}

/// `/payModes` and its sub-collection under a template (API.md A.3). Modes belong to a
/// merchant: merchants see their own, admins all or the one they name.
pub static PAY_MODES: Listing<Query> = payserver_shared::listing! {
    p;
    filters: [
        flag("isOpened", "Exact match."): is_opened eq,
        text("payTemplateId", "Exact match."): pay_template_id eq,
    ],
    sorts: ["uiOrder": ui_order, "name": name, "createdAt": created_at, "modifiedAt": modified_at],
    merchant: merchant_uuid,
};
