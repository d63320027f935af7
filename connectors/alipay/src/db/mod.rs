//! The alipay connector's tables: `alipay_trades` (every pay and refund, keyed by tractionNo)
//! and `alipay_merchants` (each merchant's app_auth_token).

pub mod repo;
pub mod schema;

use connector_contract::shared::db::Migrations;

pub static MIGRATIONS: Migrations = connector_contract::shared::migrations!["2026-11-20-000001_create_alipay"];
