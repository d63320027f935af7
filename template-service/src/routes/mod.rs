//! HTTP routes, served under `/api/v1.0.0` and its alias `/api/v1`, and the template reads
//! for other services under `/internal/v1` (internal service tokens only: the `Caller`
//! extractor admits nothing else there, and the gateway never forwards `/internal`).

mod internal;
pub(crate) mod templates;
pub(crate) mod view;

use actix_web::web;

pub fn config(cfg: &mut web::ServiceConfig) {
    payserver_shared::http::public_api(cfg, |cfg| {
        cfg.configure(templates::config);
    });
    cfg.service(web::scope("/internal/v1").configure(internal::config));
}
