//! The row of `pay_modes` as domain data, and the columns paymode-service writes.

use diesel::prelude::*;

pub use super::schema::PayModeRow;
use super::schema::pay_modes;
use crate::domain::PayModeData;

impl PayModeRow {
    pub fn data(&self) -> PayModeData {
        let r = self.clone();
        payserver_shared::pay_method_moved!(r => PayModeData {
            is_fast_pay: r.is_fast_pay,
            is_opened: r.is_opened,
            ui_order: r.ui_order,
        })
    }
}

/// The columns a client may change, as a tuple of assignments: for updates, and for inserts
/// (with [`PayModeIdentity`]).
macro_rules! pay_mode_columns {
    ($data:expr, $merchant_href:expr, $now:expr) => {{
        use $crate::db::schema::pay_modes::dsl as p;
        let d: &$crate::domain::PayModeData = $data;
        (
            payserver_shared::pay_method_columns!(p, d),
            p::is_fast_pay.eq(d.is_fast_pay),
            p::is_opened.eq(d.is_opened),
            p::ui_order.eq(d.ui_order),
            p::merchant_href.eq($merchant_href),
            p::modified_at.eq($now),
        )
    }};
}
pub(crate) use pay_mode_columns;

/// The columns fixed at creation.
#[derive(Debug, Insertable)]
#[diesel(table_name = pay_modes)]
pub struct PayModeIdentity<'a> {
    pub uuid: &'a str,
    pub merchant_uuid: &'a str,
    pub pay_template_id: Option<&'a str>,
    pub template_uuid: Option<&'a str>,
    pub created_at: i64,
}
