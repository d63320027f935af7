//! sign-account's tables and queries: `repo` for the management API, `ledger` for the money
//! movements of the connector.

pub mod ledger;
pub mod models;
pub mod repo;
pub mod schema;

use connector_contract::shared::db::Migrations;

const SQLITE: diesel_migrations::EmbeddedMigrations = diesel_migrations::embed_migrations!("migrations/sqlite");
const POSTGRES: diesel_migrations::EmbeddedMigrations = diesel_migrations::embed_migrations!("migrations/postgres");

pub static MIGRATIONS: Migrations = Migrations {
    sqlite: || SQLITE,
    postgres: || POSTGRES,
};
