//! HTTP routes, served under `/api/v1.0.0` and its alias `/api/v1`.

mod internal;
mod listed;
pub(crate) mod orders;
pub(crate) mod pay;
pub(crate) mod trades;
pub mod view;

use actix_web::web;

pub fn config(cfg: &mut web::ServiceConfig) {
    payserver_shared::http::public_api(cfg, |cfg| {
        cfg.configure(pay::config)
            .configure(orders::config)
            .configure(trades::config);
    });
    cfg.configure(internal::config);
}
