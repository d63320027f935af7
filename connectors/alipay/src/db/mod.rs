//! The alipay connector's tables: `alipay_trades` (every pay and refund, keyed by tractionNo)
//! and `alipay_merchants` (each merchant's app_auth_token).

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
