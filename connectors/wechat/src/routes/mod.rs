//! HTTP routes: the management API under `/api/v1.0.0` and its alias `/api/v1` (the contract
//! URLs `/connector/...` come from `connector_contract::server`).

mod merchants;

use actix_web::web;

pub fn config(cfg: &mut web::ServiceConfig) {
    for prefix in ["/api/v1.0.0", "/api/v1"] {
        cfg.service(web::scope(prefix).configure(merchants::config));
    }
}
