//! The connector's tables: `wechat_merchants` (per-merchant settings) and `wechat_trades`
//! (one row per pay or refund, keyed by tractionNo, with the state the background worker
//! resumes from after a restart).

pub mod models;
pub mod repo;
pub mod schema;

use connector_contract::shared::db::Migrations;

pub static MIGRATIONS: Migrations = connector_contract::shared::migrations!["2026-11-20-000001_create_wechat"];
