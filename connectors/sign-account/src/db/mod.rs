//! sign-account's tables and queries: `repo` for the management API, `ledger` for the money
//! movements of the connector.

pub mod ledger;
pub mod models;
pub mod repo;
pub mod schema;

use connector_contract::shared::db::Migrations;

pub static MIGRATIONS: Migrations = connector_contract::shared::migrations!["2026-11-05-000001_create_sign_account"];
