//! The tables of template-service and the rows they read.

use crate::domain::Status;

// A template row is its identity, the pay method it defines (`name` to `pay_way`), its status
// and its times.
payserver_shared::pay_method_table! {
    /// One pay-mode template.
    pay_mode_templates (id) -> TemplateRow {
        id: i64 [BigInt],
        uuid: String [Text],
        pay_template_id: String [Text],
    } with_pay_method {
        status: Status [Text],
        created_at: i64 [BigInt],
        modified_at: i64 [BigInt],
    }
}
