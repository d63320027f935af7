//! template-service's tables and queries.

pub mod models;
pub mod repo;
pub mod schema;
pub mod templates;

use payserver_shared::db::Migrations;

const SQLITE: diesel_migrations::EmbeddedMigrations = diesel_migrations::embed_migrations!("migrations/sqlite");
const POSTGRES: diesel_migrations::EmbeddedMigrations = diesel_migrations::embed_migrations!("migrations/postgres");

pub static MIGRATIONS: Migrations = Migrations {
    sqlite: || SQLITE,
    postgres: || POSTGRES,
};
