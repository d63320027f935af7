//! The management API (API.md A.7), served under `/api/v1.0.0` and its alias `/api/v1`.
//! The connector contract's own routes come from `connector_contract::server::configure`.

mod accounters;
mod persons;
mod statement;
mod view;

use actix_web::web;
use connector_contract::shared::ApiResult;
use connector_contract::shared::auth::Caller;
use connector_contract::shared::params::Params;

use crate::domain::fields::named_merchant;
use crate::error::Error;

pub fn config(cfg: &mut web::ServiceConfig) {
    for prefix in ["/api/v1.0.0", "/api/v1"] {
        cfg.service(
            web::scope(prefix)
                .configure(accounters::config)
                .configure(persons::config)
                .configure(statement::config),
        );
    }
}

/// The merchant whose accounters a caller may address by uuid: `None` for admins and
/// services (all). A caller that is neither privileged nor bound to a merchant sees nothing:
/// every uuid is a 404.
fn owner(caller: &Caller) -> ApiResult<Option<String>> {
    if caller.is_privileged() {
        return Ok(None);
    }
    caller
        .merchant_uuid
        .clone()
        .map(Some)
        .ok_or_else(|| Error::NotFound("signAccounter").into())
}

/// The merchant a GET names through `merchantUUID`/`merchantHref`.
fn named(params: &Params) -> ApiResult<Option<String>> {
    Ok(named_merchant(params.str("merchantUUID"), params.str("merchantHref"))?)
}
