//! `/internal/v1`: the template reads other services make (paymode-service, payorder-service,
//! refund-service), with the same handlers and answers as the public ones. Only internal
//! service tokens get here (the `Caller` extractor), and the gateway forwards no `/internal`.

use actix_web::web;
use payserver_shared::http::endpoint;

use super::templates::{get, list};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(endpoint("/payModeTemplates").get(list))
        .service(endpoint("/payModeTemplates/{uuid}").get(get));
}
