//! Creating or replacing the one row of a key (a merchant's settings) when two first writes
//! may race: each runs "update, else insert" in a write transaction; on PostgreSQL both can
//! find nothing to update, and the loser's insert breaks the unique key. Its second try finds
//! the winner's row and becomes an update, so both writes succeed, the last one winning.

use crate::db::{DbConnection, DbError, write_tx};

/// Runs `write` (update the key's row, else insert it) in a write transaction, once more when
/// `is_duplicate` says it lost the race for the unique key.
pub fn create_or_replace<T, E: From<DbError>>(
    conn: &mut DbConnection,
    is_duplicate: fn(&E) -> bool,
    write: impl Fn(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E> {
    match write_tx(conn, &write) {
        Err(e) if is_duplicate(&e) => write_tx(conn, &write),
        other => other,
    }
}
