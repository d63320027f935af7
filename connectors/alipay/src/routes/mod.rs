//! HTTP routes under `/api/v1.0.0` and its alias `/api/v1` (the contract's `/connector/*`
//! routes come from `connector_contract::server`).

pub(crate) mod merchants;

use actix_web::web;
use connector_contract::shared::http::public_api;

pub fn config(cfg: &mut web::ServiceConfig) {
    public_api(cfg, |cfg| {
        cfg.configure(merchants::config);
    });
}
