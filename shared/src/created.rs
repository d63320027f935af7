//! The answer to a `POST` that created a resource: `201 Created` with its `Location`, the
//! same href its body carries, so a client can follow either.

use actix_web::HttpResponse;
use actix_web::http::header::LOCATION;
use serde::Serialize;

/// `201` with `Location: href` and `view` as the JSON body.
pub fn created(href: &str, view: &impl Serialize) -> HttpResponse {
    HttpResponse::Created().insert_header((LOCATION, href)).json(view)
}
