//! One diesel code path for SQLite and PostgreSQL, chosen by the database URL.
//!
//! [`DbConnection`] is a diesel `MultiConnection` over both backends. We build connections
//! ourselves ([`Manager`]) instead of letting the derive guess: the URL's scheme decides the
//! backend, anything else is refused, and a failed connect reports the real error. SQLite runs
//! in WAL mode with a busy timeout; migrations are embedded per backend in each binary and run
//! at start (under an advisory lock on PostgreSQL, so replicas starting together are safe).

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};
use diesel::{PgConnection, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness};

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

pub type Pool = r2d2::Pool<Manager>;

/// The diesel backend of [`DbConnection`], for boxed queries.
pub type DbBackend = <DbConnection as Connection>::Backend;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database url {0:?}: use postgres://... or sqlite://path")]
    Url(String),
    #[error("cannot connect to the database: {0}")]
    Connect(#[from] diesel::ConnectionError),
    #[error("database error: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("database pool: {0}")]
    Pool(#[from] r2d2::PoolError),
    #[error("migrations failed: {0}")]
    Migration(String),
    #[error("database task was cancelled")]
    Canceled,
}

impl DbError {
    pub fn is_unique_violation(&self) -> bool {
        matches!(
            self,
            DbError::Query(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _
            ))
        )
    }
}

/// Splits a database URL into its backend and what the driver is given.
pub fn parse_url(url: &str) -> Result<(Backend, String), DbError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok((Backend::Postgres, url.to_string()));
    }
    if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))
        && !path.is_empty()
        && path != ":memory:"
    {
        return Ok((Backend::Sqlite, path.to_string()));
    }
    // Never echo the URL itself: it may carry a password.
    let scheme = url.split(':').next().unwrap_or_default();
    Err(DbError::Url(format!("{scheme}:...")))
}

/// Builds connections of one backend for the r2d2 pool.
#[derive(Debug, Clone)]
pub struct Manager {
    backend: Backend,
    target: String,
}

/// A PostgreSQL connection. libpq speaks TLS through the OpenSSL built into this binary, and
/// OpenSSL's default clean-up at process exit frees its state while pool threads may still be
/// connecting, which crashed a test binary at exit (SIGSEGV after all its tests passed;
/// openssl/openssl#3505). `openssl_sys::init` initialises OpenSSL without that clean-up, once,
/// before the first connection.
pub fn establish_pg(url: &str) -> diesel::ConnectionResult<PgConnection> {
    openssl_sys::init();
    PgConnection::establish(url)
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        match self.backend {
            Backend::Postgres => establish_pg(&self.target)
                .map(DbConnection::Pg)
                .map_err(r2d2::Error::ConnectionError),
            Backend::Sqlite => {
                let mut conn = SqliteConnection::establish(&self.target).map_err(r2d2::Error::ConnectionError)?;
                // WAL lets readers run beside the single writer; the busy timeout makes a
                // writer wait for the lock instead of failing at once.
                conn.batch_execute(
                    "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; \
                     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                )
                .map_err(r2d2::Error::QueryError)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1").map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

/// The migrations of one service, written once: `migrations/<date>_<name>/{up,down}.sql` in the
/// SQL both backends speak, except that a generated key is written `BIGSERIAL PRIMARY KEY`
/// (PostgreSQL's spelling; SQLite gets `INTEGER PRIMARY KEY AUTOINCREMENT`, see
/// [`for_sqlite`]). Build it with [`migrations!`](crate::migrations), which lists the folders:
/// `pub static MIGRATIONS: Migrations = payserver_shared::migrations!["2026-11-01-000001_x"];`
pub struct Migrations {
    /// The folder as `embed_migrations!("migrations")` read it at compile time; PostgreSQL
    /// runs these as written, and their names check the list of `sqlite`.
    pub postgres: fn() -> EmbeddedMigrations,
    /// The same files, included by name, rewritten for SQLite when they run.
    pub sqlite: &'static [SqlMigration],
}

/// `Migrations` of the calling crate's `migrations/` folder; name every migration folder, in
/// order (the service refuses to start when a folder is not named, on either backend).
#[macro_export]
macro_rules! migrations {
    ($($name:literal),+ $(,)?) => {
        $crate::db::Migrations {
            postgres: || {
                const FOLDER: diesel_migrations::EmbeddedMigrations = diesel_migrations::embed_migrations!("migrations");
                FOLDER
            },
            sqlite: &[$($crate::db::SqlMigration {
                name: $name,
                up: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/", $name, "/up.sql")),
                down: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/", $name, "/down.sql")),
            }),+],
        }
    };
}

/// One migration's text, run on SQLite through [`for_sqlite`].
pub struct SqlMigration {
    pub name: &'static str,
    pub up: &'static str,
    pub down: &'static str,
}

/// The one dialect difference the migrations have: PostgreSQL's generated 64-bit key as
/// SQLite's rowid alias (AUTOINCREMENT: a key is never reused after a delete, as with a
/// sequence).
pub fn for_sqlite(sql: &str) -> String {
    sql.replace("BIGSERIAL PRIMARY KEY", "INTEGER PRIMARY KEY AUTOINCREMENT")
}

struct FolderName(&'static str);

impl std::fmt::Display for FolderName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl diesel::migration::MigrationName for FolderName {
    fn version(&self) -> diesel::migration::MigrationVersion<'_> {
        // diesel's own rule: the date part before the first `_`, without dashes.
        self.0.split('_').next().unwrap_or(self.0).replace('-', "").into()
    }
}

struct SqliteMigration(&'static SqlMigration, FolderName);

impl diesel::migration::MigrationMetadata for SqliteMigration {}

impl diesel::migration::Migration<diesel::sqlite::Sqlite> for SqliteMigration {
    fn run(
        &self,
        conn: &mut dyn diesel::connection::BoxableConnection<diesel::sqlite::Sqlite>,
    ) -> diesel::migration::Result<()> {
        Ok(conn.batch_execute(&for_sqlite(self.0.up))?)
    }

    fn revert(
        &self,
        conn: &mut dyn diesel::connection::BoxableConnection<diesel::sqlite::Sqlite>,
    ) -> diesel::migration::Result<()> {
        Ok(conn.batch_execute(&for_sqlite(self.0.down))?)
    }

    fn metadata(&self) -> &dyn diesel::migration::MigrationMetadata {
        self
    }

    fn name(&self) -> &dyn diesel::migration::MigrationName {
        &self.1
    }
}

impl diesel::migration::MigrationSource<diesel::sqlite::Sqlite> for &Migrations {
    fn migrations(
        &self,
    ) -> diesel::migration::Result<Vec<Box<dyn diesel::migration::Migration<diesel::sqlite::Sqlite>>>> {
        Ok(self
            .sqlite
            .iter()
            .map(|m| Box::new(SqliteMigration(m, FolderName(m.name))) as Box<_>)
            .collect())
    }
}

impl Migrations {
    /// Every folder the compile-time scan found must be in the `migrations!` list, in order.
    fn check_listed(&self) -> Result<(), DbError> {
        use diesel::migration::MigrationSource;
        let found: Vec<String> = MigrationSource::<diesel::pg::Pg>::migrations(&(self.postgres)())
            .map_err(|e| DbError::Migration(e.to_string()))?
            .iter()
            .map(|m| m.name().to_string())
            .collect();
        let listed: Vec<&str> = self.sqlite.iter().map(|m| m.name).collect();
        if found != listed {
            return Err(DbError::Migration(format!(
                "the migrations! list {listed:?} does not name the folders of migrations/ {found:?}"
            )));
        }
        Ok(())
    }
}

/// Arbitrary constant key of the PostgreSQL advisory lock held while migrating.
const MIGRATION_LOCK_KEY: i64 = 7_231_500_101;

fn run_migrations(conn: &mut DbConnection, migrations: &Migrations) -> Result<(), DbError> {
    migrations.check_listed()?;
    let migrate = |r: Result<_, Box<dyn std::error::Error + Send + Sync>>| {
        r.map(|_| ()).map_err(|e| DbError::Migration(e.to_string()))
    };
    match conn {
        DbConnection::Pg(c) => {
            c.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})"))?;
            let result = migrate(c.run_pending_migrations((migrations.postgres)()));
            c.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})"))?;
            result
        }
        DbConnection::Sqlite(c) => migrate(c.run_pending_migrations(migrations)),
    }
}

/// A pool plus the knowledge of which backend it talks to.
#[derive(Clone)]
pub struct Database {
    pool: Pool,
    backend: Backend,
}

impl Database {
    /// Connects, runs the migrations and builds the pool. Blocking: call it from
    /// [`Database::open`] or a blocking context.
    pub fn connect_blocking(url: &str, pool_size: u32, migrations: &Migrations) -> Result<Self, DbError> {
        let (backend, target) = parse_url(url)?;
        if backend == Backend::Sqlite
            && let Some(dir) = std::path::Path::new(&target).parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)
                .map_err(|e| DbError::Migration(format!("cannot create {}: {e}", dir.display())))?;
        }
        let manager = Manager { backend, target };
        // One explicit connection first, so that a wrong URL or a down server is reported as
        // itself and not as a pool timeout.
        let mut first = manager.connect().map_err(|e| match e {
            r2d2::Error::ConnectionError(c) => DbError::Connect(c),
            r2d2::Error::QueryError(q) => DbError::Query(q),
        })?;
        // SQLite answers "database is locked" at once (busy timeout or not) when a migration's
        // deferred transaction meets another writer; that passes, so try a few times.
        let mut attempt = 0;
        loop {
            match run_migrations(&mut first, migrations) {
                Err(DbError::Migration(m)) if backend == Backend::Sqlite && m.contains("locked") && attempt < 20 => {
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(100));
                }
                other => break other?,
            }
        }
        drop(first);
        // Connections are opened as load needs them (min_idle 1), not all up front: many pools
        // share one PostgreSQL's connection limit.
        let pool = r2d2::Pool::builder()
            .max_size(pool_size.max(1))
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(10))
            .build(manager)?;
        Ok(Self { pool, backend })
    }

    /// [`Database::connect_blocking`] on a blocking thread.
    pub async fn open(url: String, pool_size: u32, migrations: &'static Migrations) -> Result<Self, DbError> {
        tokio::task::spawn_blocking(move || Self::connect_blocking(&url, pool_size, migrations))
            .await
            .map_err(|_| DbError::Canceled)?
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Runs blocking diesel work on the blocking thread pool with a pooled connection.
    pub async fn run<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(DbError::from)?;
            f(&mut conn)
        })
        .await
        .map_err(|_| E::from(DbError::Canceled))?
    }

    /// `true` when a connection can be had and answers.
    pub async fn ping(&self) -> bool {
        self.run(|conn| conn.batch_execute("SELECT 1").map_err(DbError::from))
            .await
            .is_ok()
    }

    /// Connections in use and idle, for metrics.
    pub fn pool_state(&self) -> (u32, u32) {
        let s = self.pool.state();
        (s.connections - s.idle_connections, s.idle_connections)
    }
}

/// A write transaction. On SQLite it starts with `BEGIN IMMEDIATE`, taking the write lock up
/// front: a deferred transaction that reads and then writes can fail with `SQLITE_BUSY`
/// without waiting, which would turn concurrent money movements into spurious errors.
/// Do not nest it.
pub fn write_tx<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<DbError>,
{
    match conn {
        DbConnection::Pg(_) => {
            let mut out = None;
            let r = conn.transaction::<(), diesel::result::Error, _>(|c| match f(c) {
                Ok(v) => {
                    out = Some(Ok(v));
                    Ok(())
                }
                Err(e) => {
                    out = Some(Err(e));
                    Err(diesel::result::Error::RollbackTransaction)
                }
            });
            match (r, out) {
                (_, Some(result)) => result,
                (Err(e), None) => Err(E::from(DbError::Query(e))),
                (Ok(()), None) => unreachable!("the transaction closure always sets its result"),
            }
        }
        DbConnection::Sqlite(_) => {
            conn.batch_execute("BEGIN IMMEDIATE").map_err(DbError::from)?;
            match f(conn) {
                Ok(v) => match conn.batch_execute("COMMIT") {
                    Ok(()) => Ok(v),
                    Err(e) => {
                        let _ = conn.batch_execute("ROLLBACK");
                        Err(E::from(DbError::from(e)))
                    }
                },
                Err(e) => {
                    let _ = conn.batch_execute("ROLLBACK");
                    Err(e)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_their_backend() {
        assert_eq!(parse_url("postgres://u@h/db").unwrap().0, Backend::Postgres);
        assert_eq!(parse_url("postgresql://u@h/db").unwrap().0, Backend::Postgres);
        assert_eq!(
            parse_url("sqlite://data/x.db").unwrap(),
            (Backend::Sqlite, "data/x.db".into())
        );
        assert_eq!(parse_url("sqlite:///tmp/x.db").unwrap().1, "/tmp/x.db");
    }

    #[test]
    fn unknown_and_empty_urls_are_refused_without_echoing_secrets() {
        for url in [
            "",
            "mysql://root:hunter2@h/db",
            "sqlite://",
            "sqlite::memory:",
            "data/x.db",
        ] {
            let err = parse_url(url).unwrap_err().to_string();
            assert!(!err.contains("hunter2"), "{err}");
        }
    }

    #[test]
    fn a_generated_key_is_spelled_for_sqlite_and_versions_follow_diesel() {
        assert_eq!(
            for_sqlite("CREATE TABLE t (\n    id BIGSERIAL PRIMARY KEY,\n    n BIGINT NOT NULL\n);"),
            "CREATE TABLE t (\n    id INTEGER PRIMARY KEY AUTOINCREMENT,\n    n BIGINT NOT NULL\n);"
        );
        use diesel::migration::MigrationName;
        let name = FolderName("2026-11-03-000001_create_pay_orders");
        assert_eq!(name.version().to_string(), "20261103000001");
        assert_eq!(name.to_string(), "2026-11-03-000001_create_pay_orders");
    }

    #[test]
    fn sqlite_runs_the_one_set_and_refuses_an_unlisted_folder() {
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        let good = SqlMigration {
            name: "2026-01-01-000001_t",
            up: "CREATE TABLE t (id BIGSERIAL PRIMARY KEY, v TEXT NOT NULL);",
            down: "DROP TABLE t;",
        };
        let listed: &'static [SqlMigration] = Box::leak(Box::new([good]));
        let none = Migrations {
            postgres: || EmbeddedMigrations::new(&[]),
            sqlite: listed,
        };
        let err = none.check_listed().unwrap_err().to_string();
        assert!(err.contains("2026-01-01-000001_t"), "{err}");
        conn.run_pending_migrations(&none).unwrap();
        conn.batch_execute("INSERT INTO t (v) VALUES ('a'); INSERT INTO t (v) VALUES ('b');")
            .unwrap();
        let ids: Vec<i64> = diesel::dsl::sql::<diesel::sql_types::BigInt>("SELECT id FROM t ORDER BY id")
            .load(&mut conn)
            .unwrap();
        assert_eq!(ids, vec![1, 2]);
    }
}
