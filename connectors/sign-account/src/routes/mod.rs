//! The management API (API.md A.7), served under `/api/v1.0.0` and its alias `/api/v1`.
//! The connector contract's own routes come from `connector_contract::server::configure`.
//! Every route needs the merchant or admin role; every `{uuid}` goes through
//! `shared::path::path_id`, since actix has percent-decoded it and a `%2F` would otherwise
//! reach the database as a `/`.

pub(crate) mod accounters;
pub(crate) mod persons;
pub(crate) mod statement;
pub(crate) mod view;

use actix_web::web;
use connector_contract::shared::ApiResult;
use connector_contract::shared::auth::{Caller, Role};
use connector_contract::shared::http::public_api;

use crate::error::Error;

pub fn config(cfg: &mut web::ServiceConfig) {
    public_api(cfg, |cfg| {
        cfg.configure(accounters::config)
            .configure(persons::config)
            .configure(statement::config);
    });
}

/// The merchant whose accounters a caller may address by uuid: `None` for admins (all). Only
/// the merchant and admin roles manage accounters (403 otherwise); a merchant token bound to
/// no merchant sees nothing: every uuid is a 404. (Service tokens never reach these public
/// routes: the `Caller` extractor refuses them.)
fn owner(caller: &Caller) -> ApiResult<Option<String>> {
    caller.require_merchant_or_admin()?;
    if caller.has(Role::Admin) {
        return Ok(None);
    }
    caller
        .merchant_uuid
        .clone()
        .map(Some)
        .ok_or_else(|| Error::NotFound("signAccounter").into())
}
