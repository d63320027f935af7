//! What refund-service writes to its tables, and the rows' helpers (the rows read, and the
//! refund order inserted, are declared with their tables in schema.rs).

use diesel::prelude::*;

use super::schema::refund_checks;
pub use super::schema::{NewRefund, RefundRow};
use crate::domain::ConnectorInfo;

impl RefundRow {
    pub fn connector_info(&self) -> ConnectorInfo {
        self.connector
            .as_deref()
            .and_then(|c| serde_json::from_str(c).ok())
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refund_checks)]
pub struct CheckRow {
    pub attempts: i32,
}
