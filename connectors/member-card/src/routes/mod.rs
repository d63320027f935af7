//! HTTP routes of the management API, served under `/api/v1.0.0` and its alias `/api/v1`.
//! The connector contract's `/connector/...` routes come from `connector_contract::server`.

pub(crate) mod members;
pub(crate) mod view;

use actix_web::web;
use connector_contract::shared::http::public_api;

pub fn config(cfg: &mut web::ServiceConfig) {
    public_api(cfg, |cfg| {
        cfg.configure(members::config);
    });
}
