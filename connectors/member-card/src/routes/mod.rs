//! HTTP routes of the management API, served under `/api/v1.0.0` and its alias `/api/v1`.
//! The connector contract's `/connector/...` routes come from `connector_contract::server`.

mod members;
mod view;

use actix_web::web;

pub fn config(cfg: &mut web::ServiceConfig) {
    for prefix in ["/api/v1.0.0", "/api/v1"] {
        cfg.service(web::scope(prefix).configure(members::config));
    }
}
