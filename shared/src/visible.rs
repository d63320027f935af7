//! Resources a caller may see: another merchant's resource answers exactly as an unknown one
//! (404), so that ids cannot be probed across merchants.

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};

/// `Ok` when the caller may see a `what` owned by `owner` (`None`: no such `what`), else the
/// 404 `"{what} not found"`.
pub fn owned_by(caller: &Caller, owner: Option<&str>, what: &str) -> ApiResult<()> {
    match owner {
        Some(m) if caller.may_see(m) => Ok(()),
        _ => Err(ApiError::not_found(format!("{what} not found"))),
    }
}

/// `row` when the caller may see it (`owner` reads its merchant), else the 404
/// `"{what} not found"`, as when there is no row.
pub fn visible<R>(caller: &Caller, row: Option<R>, owner: impl Fn(&R) -> &str, what: &str) -> ApiResult<R> {
    row.filter(|r| caller.may_see(owner(r)))
        .ok_or_else(|| ApiError::not_found(format!("{what} not found")))
}
