//! The API's own documentation, served by the gateway without a token: the OpenAPI document at
//! `{prefix}/openapi.json` and a Swagger UI page at `{prefix}/docs`. The document and every
//! asset of the page are embedded in the binary (`gateway/openapi/`), so the page works
//! offline: it loads nothing but what these routes serve.
//!
//! The routes must be registered before the proxy's catch-all `{prefix}/{tail:.*}`: actix
//! matches resources in registration order.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, web};
use payserver_shared::ApiError;

/// The OpenAPI 3.1 description of the public API, generated from the services' code
/// (`cargo run -- openapi`; the root `tests/openapi.rs` checks the committed file is current).
pub const OPENAPI_JSON: &[u8] = include_bytes!("../openapi/openapi.json");

const INDEX_HTML: &[u8] = include_bytes!("../openapi/index.html");

/// The page's assets, served under `{prefix}/docs/`: name, content type, bytes. Swagger UI
/// comes from the npm package `swagger-ui-dist` (see `gateway/openapi/README.md`).
const ASSETS: [(&str, &str, &[u8]); 3] = [
    (
        "swagger-ui.css",
        "text/css; charset=utf-8",
        include_bytes!("../openapi/swagger-ui/swagger-ui.css"),
    ),
    (
        "swagger-ui-bundle.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../openapi/swagger-ui/swagger-ui-bundle.js"),
    ),
    (
        "swagger-initializer.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../openapi/swagger-initializer.js"),
    ),
];

/// The page may load only from the gateway itself (Swagger UI sets inline styles and uses
/// `data:` images); "Try it out" calls go to the same origin.
const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                        img-src 'self' data:; connect-src 'self'; font-src 'self' data:; \
                        base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Routes for the document and the page under `prefix` (e.g. `/payServer`). They answer GET and
/// HEAD; another method is a 405 envelope, never forwarded.
pub fn config(prefix: &str) -> impl FnOnce(&mut web::ServiceConfig) {
    let prefix = prefix.trim_end_matches('/').to_string();
    move |cfg| {
        cfg.service(read_only(format!("{prefix}/openapi.json"), openapi))
            .service(read_only(format!("{prefix}/docs"), page))
            .service(read_only(format!("{prefix}/docs/"), to_page))
            .service(read_only(format!("{prefix}/docs/{{asset}}"), asset));
    }
}

fn read_only<F, Args>(path: String, handler: F) -> actix_web::Resource
where
    F: actix_web::Handler<Args> + Clone,
    Args: actix_web::FromRequest + 'static,
    F::Output: actix_web::Responder + 'static,
{
    web::resource(path)
        .route(web::get().to(handler.clone()))
        .route(web::head().to(handler))
}

fn respond(content_type: &'static str, cache: &'static str, body: &'static [u8]) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, HeaderValue::from_static(content_type)))
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static(cache)))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .body(body)
}

async fn openapi() -> HttpResponse {
    respond("application/json", "no-cache", OPENAPI_JSON)
}

async fn page() -> HttpResponse {
    let mut resp = respond("text/html; charset=utf-8", "no-cache", INDEX_HTML);
    resp.headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(PAGE_CSP));
    resp
}

/// `{prefix}/docs/` → `{prefix}/docs`, relative so that it holds behind an outer proxy prefix.
async fn to_page() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, "../docs"))
        .finish()
}

async fn asset(name: web::Path<String>) -> Result<HttpResponse, ApiError> {
    ASSETS
        .iter()
        .find(|(n, _, _)| *n == name.as_str())
        .map(|(_, content_type, body)| respond(content_type, "public, max-age=86400", body))
        .ok_or_else(|| ApiError::not_found("no such documentation asset"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_document_is_json_and_the_page_names_only_served_assets() {
        let doc: serde_json::Value = serde_json::from_slice(OPENAPI_JSON).expect("openapi.json parses");
        assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
        let html = std::str::from_utf8(INDEX_HTML).unwrap();
        for (name, _, body) in ASSETS {
            assert!(!body.is_empty(), "{name}");
            if name.ends_with(".js") || name.ends_with(".css") {
                assert!(html.contains(&format!("\"docs/{name}\"")), "the page loads {name}");
            }
        }
    }
}
