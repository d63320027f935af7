//! `/internal/v1`: the template reads other services make (paymode-service, payorder-service,
//! refund-service), with the same handlers and answers as the public ones. Only internal
//! service tokens get here (the `Caller` extractor), and the gateway forwards no `/internal`.

use actix_web::web;

use super::templates::{get, list};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/payModeTemplates").route(web::get().to(list)))
        .service(web::resource("/payModeTemplates/{uuid}").route(web::get().to(get)));
}
