//! refund-service's tables and queries.

pub mod checks;
pub mod models;
pub mod refunds;
pub mod schema;

use payserver_shared::db::Migrations;

pub static MIGRATIONS: Migrations = payserver_shared::migrations!["2026-11-05-000001_create_refund_orders"];
