//! paymode-service's table and queries.

pub mod models;
pub mod pay_modes;
pub mod repo;
pub mod schema;

use payserver_shared::db::Migrations;

pub static MIGRATIONS: Migrations = payserver_shared::migrations!["2026-11-02-000001_create_pay_modes"];
