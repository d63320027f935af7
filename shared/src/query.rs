//! A diesel query from async code in one call: [`run`].

use diesel::QueryResult;

use crate::db::{Database, DbConnection, DbError};
use crate::error::{ApiError, ApiResult};

/// Runs the blocking diesel `query` on a pooled connection, off the async workers
/// ([`Database::run`]), and answers its error as every database error is answered (not found
/// 404, unique violation 409, pool trouble 503; see [`DbError`]).
///
/// ```ignore
/// let row = query::run(&state.db, move |c| refunds::by_uuid(c, &uuid)).await?;
/// ```
pub async fn run<T: Send + 'static>(
    db: &Database,
    query: impl FnOnce(&mut DbConnection) -> QueryResult<T> + Send + 'static,
) -> ApiResult<T> {
    db.run(move |conn| query(conn).map_err(DbError::from))
        .await
        .map_err(ApiError::from)
}
