//! HTTP routes, served under `/api/v1.0.0` and its alias `/api/v1`, plus the internal read
//! under `/internal/v1` (never exposed by the gateway, which only forwards `/api/...`).

mod internal;
pub(crate) mod pay_modes;
pub(crate) mod view;

use actix_web::web;

pub fn config(cfg: &mut web::ServiceConfig) {
    payserver_shared::http::public_api(cfg, |cfg| {
        cfg.configure(pay_modes::config);
    });
    cfg.service(web::scope("/internal/v1").configure(internal::config));
}
