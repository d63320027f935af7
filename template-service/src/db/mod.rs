//! template-service's tables and queries.

pub mod models;
pub mod repo;
pub mod schema;
pub mod templates;

use payserver_shared::db::Migrations;

pub static MIGRATIONS: Migrations = payserver_shared::migrations!["2026-11-01-000001_create_templates"];
