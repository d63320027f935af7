//! member-card's tables and queries: `repo` for the management API, `trade` for the connector's
//! money movements.

pub mod models;
pub mod repo;
pub mod schema;
pub mod trade;

use connector_contract::shared::db::Migrations;

pub static MIGRATIONS: Migrations = connector_contract::shared::migrations!["2026-11-06-000001_create_member_card"];
