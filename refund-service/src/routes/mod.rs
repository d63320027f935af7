//! HTTP routes, served under `/api/v1.0.0` and its alias `/api/v1`.

pub(crate) mod orders;
pub(crate) mod refund;
pub mod view;

use actix_web::web;

pub fn config(cfg: &mut web::ServiceConfig) {
    payserver_shared::http::public_api(cfg, |cfg| {
        cfg.configure(refund::config).configure(orders::config);
    });
}
