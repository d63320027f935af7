//! HTTP routes, served under `/api/v1.0.0` and its alias `/api/v1`.

mod orders;
mod refund;
pub mod view;

use actix_web::web;
use payserver_shared::ApiError;
use payserver_shared::auth::Caller;
use payserver_shared::params::Params;

pub fn config(cfg: &mut web::ServiceConfig) {
    for prefix in ["/api/v1.0.0", "/api/v1"] {
        cfg.service(web::scope(prefix).configure(refund::config).configure(orders::config));
    }
}

/// The merchant a list is scoped to, from `merchantUUID`/`merchantHref` or the token.
fn list_scope(caller: &Caller, params: &Params) -> Result<Option<String>, ApiError> {
    caller.require_merchant_or_admin()?;
    caller.list_scope(params.named_merchant()?.as_deref())
}
