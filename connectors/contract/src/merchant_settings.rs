//! What the channels' per-merchant settings routes (`/wechatMerchants/{merchantUUID}`,
//! `/alipayMerchants/{merchantUUID}`) share. Which channel account a merchant is paid into is
//! an operator's decision, so only admins write; a merchant reads its own entry, and another
//! merchant's entry answers exactly like a missing one.

use actix_web::HttpResponse;

use crate::shared::auth::{Caller, Role};
use crate::shared::{ApiError, ApiResult};

/// Reading `merchant`'s entry: the merchant itself, or an admin (other roles are a 403).
/// Another merchant's is `not_found`.
pub fn may_read(caller: &Caller, merchant: &str, not_found: impl Into<ApiError>) -> ApiResult<()> {
    caller.require_merchant_or_admin()?;
    if caller.has(Role::Admin) || caller.merchant_uuid.as_deref() == Some(merchant) {
        Ok(())
    } else {
        Err(not_found.into())
    }
}

/// The answer to a `DELETE`: `204` when there was an entry to remove, else `not_found`.
pub fn deleted(found: bool, not_found: impl Into<ApiError>) -> ApiResult<HttpResponse> {
    if found {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(not_found.into())
    }
}
