//! payorder-service's tables and queries.

pub mod checks;
pub mod models;
pub mod orders;
pub mod refunds;
pub mod schema;
pub mod trades;

use payserver_shared::db::Migrations;

pub static MIGRATIONS: Migrations = payserver_shared::migrations![
    "2026-11-03-000001_create_pay_orders",
    "2026-11-04-000001_refund_reservations",
    "2026-11-25-000001_expiry_cancels"
];
