//! HTTP routes, served under `/api/v1.0.0` and its alias `/api/v1`.

mod internal;
mod orders;
mod pay;
mod trades;
pub mod view;

use actix_web::web;
use payserver_shared::ApiError;
use payserver_shared::auth::Caller;
use payserver_shared::params::Params;

pub fn config(cfg: &mut web::ServiceConfig) {
    for prefix in ["/api/v1.0.0", "/api/v1"] {
        cfg.service(
            web::scope(prefix)
                .configure(pay::config)
                .configure(orders::config)
                .configure(trades::config),
        );
    }
    cfg.service(web::scope("/internal/v1").configure(internal::config));
}

/// The merchant a list is scoped to, from `merchantUUID`/`merchantHref` or the token (every
/// merchant for an admin or service naming none). The caller's role is checked by the
/// handler: `merchant`/`admin` on public routes, `service` on internal ones.
fn list_scope(caller: &Caller, params: &Params) -> Result<Option<String>, ApiError> {
    caller.list_scope(params.named_merchant()?.as_deref())
}
