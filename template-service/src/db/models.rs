//! The row of `pay_mode_templates` as domain data, and the columns template-service writes.

pub use super::schema::TemplateRow;
use crate::domain::TemplateData;

impl TemplateRow {
    pub fn data(&self) -> TemplateData {
        let r = self.clone();
        payserver_shared::pay_method_moved!(r => TemplateData {
            pay_template_id: r.pay_template_id,
            status: r.status,
        })
    }
}

/// Every writable column of a template's data, as a tuple of assignments: for full updates,
/// and for inserts (with uuid and `created_at`).
macro_rules! template_columns {
    ($data:expr, $now:expr) => {{
        use diesel::ExpressionMethods as _;
        use $crate::db::schema::pay_mode_templates::dsl as t;
        let d: &$crate::domain::TemplateData = $data;
        (
            payserver_shared::pay_method_columns!(t, d),
            t::pay_template_id.eq(d.pay_template_id.as_str()),
            t::status.eq(d.status),
            t::modified_at.eq($now),
        )
    }};
}
pub(crate) use template_columns;
