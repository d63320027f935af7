//! member-card's tables and queries: `repo` for the management API, `trade` for the connector's
//! money movements.

pub mod models;
pub mod repo;
pub mod schema;
pub mod trade;

use connector_contract::shared::db::Migrations;

const SQLITE: diesel_migrations::EmbeddedMigrations = diesel_migrations::embed_migrations!("migrations/sqlite");
const POSTGRES: diesel_migrations::EmbeddedMigrations = diesel_migrations::embed_migrations!("migrations/postgres");

pub static MIGRATIONS: Migrations = Migrations {
    sqlite: || SQLITE,
    postgres: || POSTGRES,
};
