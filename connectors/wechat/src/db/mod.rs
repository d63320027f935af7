//! The connector's tables: `wechat_merchants` (per-merchant settings) and `wechat_trades`
//! (one row per pay or refund, keyed by tractionNo, with the state the background worker
//! resumes from after a restart).

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
