//! Helpers for the integration tests of every crate: test settings, fresh databases (a
//! temporary SQLite file, or a new PostgreSQL database when `TEST_DATABASE_URL` is set) and
//! tokens. Not used by the binaries.

use std::path::PathBuf;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use secrecy::SecretString;

use crate::auth::{Role, claims_for, mint_hs256};
use crate::config::Settings;
use crate::ids::new_uuid;

/// The HS256 secret test settings use.
pub const TEST_SECRET: &str = "integration-test-secret-0123456789abcdef";

/// Settings for an in-process test app: the test secret, one worker, a private data dir.
pub fn settings() -> Settings {
    crate::telemetry::init_for_tests();
    let mut s = Settings::default();
    s.auth.jwt_secret = Some(SecretString::from(TEST_SECRET));
    s.http.workers = 1;
    s.data_dir = temp_dir();
    // Many test apps run at once against one PostgreSQL and its connection limit.
    for svc in s.services.values_mut() {
        svc.pool_size = 4;
    }
    s
}

/// A fresh private directory under the system temp dir.
pub fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join("payserver-tests").join(new_uuid());
    std::fs::create_dir_all(&dir).expect("create test dir");
    dir
}

/// A database URL for one test: a new database on `TEST_DATABASE_URL`'s server, or a new
/// SQLite file.
pub fn database_url(settings: &Settings, name: &str) -> String {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let db = format!("pstest_{}_{}", name, new_uuid().to_lowercase());
            let mut admin = PgConnection::establish(&admin_url).expect("connect to TEST_DATABASE_URL");
            admin
                .batch_execute(&format!("CREATE DATABASE {db}"))
                .expect("create test database");
            replace_database(&admin_url, &db)
        }
        _ => format!("sqlite://{}", settings.data_dir.join(format!("{name}.db")).display()),
    }
}

/// `postgres://u@h:5432/postgres?x=y` with the database name replaced.
fn replace_database(url: &str, db: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_part = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{host_part}/{db}?{q}"),
        None => format!("{host_part}/{db}"),
    }
}

/// A bearer token for tests.
pub fn token(merchant: Option<&str>, roles: &[Role]) -> String {
    let settings = settings();
    let claims = claims_for("test-user", merchant, roles, 3600, &settings);
    mint_hs256(&SecretString::from(TEST_SECRET), &claims).expect("sign test token")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_database_name() {
        assert_eq!(
            replace_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            replace_database("postgres://postgres@127.0.0.1:5432", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            replace_database("postgres://h/db?sslmode=disable", "t1"),
            "postgres://h/t1?sslmode=disable"
        );
    }
}
