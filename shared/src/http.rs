//! HTTP wiring every binary shares: the request-id/tracing middleware, extractor error
//! handlers that answer with the envelope, envelope bodies for actix's bare 404/405, health
//! endpoints and server binding.

use std::net::TcpListener;
use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, ResponseError, web};
use tracing::Instrument;

use crate::db::Database;
use crate::error::ApiError;
use crate::ids;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The request's id: the client's own when valid, else a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

impl FromRequest for RequestId {
    type Error = ApiError;
    type Future = std::future::Ready<Result<RequestId, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let id = req
            .extensions()
            .get::<RequestId>()
            .cloned()
            .unwrap_or_else(|| RequestId(ids::new_uuid()));
        std::future::ready(Ok(id))
    }
}

/// The service a server belongs to, registered as app data: it labels the metrics.
#[derive(Debug, Clone, Copy)]
pub struct ServiceName(pub &'static str);

/// Maximum request body in bytes, registered as app data.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

/// Outermost middleware: assigns the request id, opens the request's tracing span, answers
/// actix's own empty 404/405 with the envelope, and logs status and latency.
pub async fn request_context(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| ids::is_request_id(v))
        .map(str::to_string)
        .unwrap_or_else(ids::new_uuid);
    req.extensions_mut().insert(RequestId(id.clone()));
    let span = tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.path());
    let started = Instant::now();
    let res = next.call(req).instrument(span.clone()).await?.map_into_boxed_body();
    let mut res = envelope_bare_errors(res);
    res.headers_mut().insert(
        REQUEST_ID,
        HeaderValue::from_str(&id).expect("request ids are header-safe"),
    );
    let status = res.status().as_u16();
    record_metrics(&res, status, started.elapsed());
    span.in_scope(|| {
        tracing::info!(
            status,
            latency_ms = started.elapsed().as_millis() as u64,
            "request done"
        )
    });
    Ok(res)
}

fn record_metrics(res: &ServiceResponse<BoxBody>, status: u16, took: std::time::Duration) {
    use crate::metrics::{HttpLabels, RouteLabels, metrics};
    let req = res.request();
    let service = req
        .app_data::<web::Data<ServiceName>>()
        .map_or("unknown", |s| s.0)
        .to_string();
    // The route's pattern, never the raw path: label values stay few.
    let route = req.match_pattern().unwrap_or_else(|| "unmatched".into());
    let m = metrics();
    m.http_requests
        .get_or_create(&HttpLabels {
            service: service.clone(),
            route: route.clone(),
            method: req.method().to_string(),
            status,
        })
        .inc();
    m.http_duration
        .get_or_create(&RouteLabels { service, route })
        .observe(took.as_secs_f64());
}

/// actix answers unknown paths and wrong methods with empty bodies; clients get envelopes.
fn envelope_bare_errors(res: ServiceResponse<BoxBody>) -> ServiceResponse<BoxBody> {
    if res.response().headers().contains_key(CONTENT_TYPE) {
        return res;
    }
    let error = match res.status() {
        StatusCode::NOT_FOUND => ApiError::not_found("no such resource"),
        StatusCode::METHOD_NOT_ALLOWED => ApiError::method_not_allowed(),
        _ => return res,
    };
    res.into_response(error.error_response())
}

/// Extractor configuration: JSON, query and path rejections answer with the envelope.
pub fn extractor_configs(cfg: &mut web::ServiceConfig, body_limit: usize) {
    cfg.app_data(web::Data::new(BodyLimit(body_limit)))
        .app_data(
            web::JsonConfig::default()
                .limit(body_limit)
                .error_handler(move |err, _req| {
                    use actix_web::error::JsonPayloadError as J;
                    let api = match &err {
                        J::Overflow { .. } | J::OverflowKnownLength { .. } => ApiError::payload_too_large(body_limit),
                        J::ContentType => ApiError::bad_request("Content-Type must be application/json"),
                        J::Deserialize(e) => ApiError::bad_request(format!("invalid JSON body: {e}")),
                        _ => ApiError::bad_request("unreadable JSON body"),
                    };
                    api.into()
                }),
        )
        .app_data(
            web::QueryConfig::default()
                .error_handler(|err, _req| ApiError::bad_request(format!("invalid query: {err}")).into()),
        )
        .app_data(
            web::PathConfig::default().error_handler(|_err, _req| ApiError::not_found("no such resource").into()),
        );
}

/// `/healthz`: the process is alive.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

/// `/readyz` for a service: its database answers.
pub async fn readyz(db: web::Data<Database>) -> Result<HttpResponse, ApiError> {
    if db.ping().await {
        Ok(HttpResponse::Ok().json(serde_json::json!({ "status": "ready" })))
    } else {
        Err(ApiError::unavailable("database unavailable"))
    }
}

/// `/metrics`: the process's metrics as Prometheus text, with this service's pool state.
pub async fn metrics(db: Option<web::Data<Database>>, name: Option<web::Data<ServiceName>>) -> HttpResponse {
    let m = crate::metrics::metrics();
    if let (Some(db), Some(name)) = (db, name) {
        let (in_use, idle) = db.pool_state();
        for (state, n) in [("in_use", in_use), ("idle", idle)] {
            let labels = crate::metrics::PoolLabels {
                service: name.0.to_string(),
                state: state.to_string(),
            };
            m.db_pool.get_or_create(&labels).set(i64::from(n));
        }
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(m.render())
}

/// Health and metrics routes, and extractor configuration, for a service with a database.
pub fn service_basics(body_limit: usize) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        extractor_configs(cfg, body_limit);
        cfg.route("/healthz", web::get().to(healthz))
            .route("/readyz", web::get().to(readyz))
            .route("/metrics", web::get().to(metrics));
    }
}

/// [`service_basics`] plus the service's name, which labels its metrics.
pub fn named_service_basics(service: &'static str, body_limit: usize) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.app_data(web::Data::new(ServiceName(service)));
        service_basics(body_limit)(cfg);
    }
}

/// Binds a listener; port 0 picks a free port (tests).
pub fn bind(host: &str, port: u16) -> std::io::Result<TcpListener> {
    TcpListener::bind((host, port))
}

/// A port free right now that this process has not handed out before (for port 0 in tests
/// and the one-process runner, which must know every port before anything starts). The probe
/// is released before the service binds it, so two systems starting at once in one process
/// could otherwise be told the same port by the kernel.
pub fn free_port(host: &str) -> std::io::Result<u16> {
    static HANDED_OUT: std::sync::Mutex<std::collections::BTreeSet<u16>> =
        std::sync::Mutex::new(std::collections::BTreeSet::new());
    let mut handed = HANDED_OUT.lock().unwrap_or_else(|p| p.into_inner());
    loop {
        let port = TcpListener::bind((host, 0))?.local_addr()?.port();
        if handed.insert(port) {
            return Ok(port);
        }
    }
}

/// actix workers: the configured number, else one per CPU.
pub fn workers(settings: &crate::config::Settings) -> usize {
    if settings.http.workers > 0 {
        settings.http.workers
    } else {
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2)
    }
}

/// The public API's version prefixes: `/api/v1.0.0` (the documented one) and its alias
/// `/api/v1`.
pub const API_PREFIXES: [&str; 2] = ["/api/v1.0.0", "/api/v1"];

/// Serves a service's public `routes` under each of [`API_PREFIXES`].
pub fn public_api(cfg: &mut web::ServiceConfig, routes: impl Fn(&mut web::ServiceConfig) + Clone) {
    for prefix in API_PREFIXES {
        cfg.service(web::scope(prefix).configure(routes.clone()));
    }
}

/// One path and the methods it answers: `cfg.service(endpoint("/payOrders").get(list))`.
/// Registered as one actix resource, so another method is a 405 envelope with an `Allow`
/// header naming the methods the path does answer, and every GET answers HEAD too (the same
/// handler; actix sends the headers without the body).
pub struct Endpoint {
    resource: actix_web::Resource,
    allow: Vec<&'static str>,
}

pub fn endpoint(path: &str) -> Endpoint {
    Endpoint {
        resource: web::resource(path),
        allow: Vec::new(),
    }
}

macro_rules! endpoint_method {
    ($($name:ident => $method:literal),*) => {
        $(
            pub fn $name<F, Args>(mut self, handler: F) -> Self
            where
                F: actix_web::Handler<Args>,
                Args: actix_web::FromRequest + 'static,
                F::Output: actix_web::Responder + 'static,
            {
                self.resource = self.resource.route(web::$name().to(handler));
                self.allow.push($method);
                self
            }
        )*
    };
}

impl Endpoint {
    /// GET, and HEAD with the same handler.
    pub fn get<F, Args>(mut self, handler: F) -> Self
    where
        F: actix_web::Handler<Args>,
        Args: actix_web::FromRequest + 'static,
        F::Output: actix_web::Responder + 'static,
    {
        self.resource = self
            .resource
            .route(web::get().to(handler.clone()))
            .route(web::head().to(handler));
        self.allow.extend(["GET", "HEAD"]);
        self
    }

    endpoint_method!(post => "POST", put => "PUT", delete => "DELETE", patch => "PATCH");
}

impl actix_web::dev::HttpServiceFactory for Endpoint {
    fn register(self, config: &mut actix_web::dev::AppService) {
        let allow = self.allow.join(", ");
        let resource = self.resource.default_service(web::to(move || {
            let allow = allow.clone();
            async move {
                let mut res = ApiError::method_not_allowed().error_response();
                if let Ok(v) = actix_web::http::header::HeaderValue::from_str(&allow) {
                    res.headers_mut().insert(actix_web::http::header::ALLOW, v);
                }
                res
            }
        }));
        actix_web::dev::HttpServiceFactory::register(resource, config);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::{App, middleware::from_fn, test};

    #[actix_web::test]
    async fn an_endpoint_answers_head_on_get_and_a_405_envelope_with_allow_otherwise() {
        async fn list() -> HttpResponse {
            HttpResponse::Ok().json(serde_json::json!({"items": []}))
        }
        let app = test::init_service(App::new().service(endpoint("/things").get(list).post(list))).await;
        let res = test::call_service(&app, test::TestRequest::get().uri("/things").to_request()).await;
        assert_eq!(res.status(), StatusCode::OK);
        let res = test::call_service(
            &app,
            test::TestRequest::default()
                .method(actix_web::http::Method::HEAD)
                .uri("/things")
                .to_request(),
        )
        .await;
        assert_eq!(res.status(), StatusCode::OK);
        let res = test::call_service(&app, test::TestRequest::delete().uri("/things").to_request()).await;
        assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(
            res.headers().get("allow").and_then(|v| v.to_str().ok()),
            Some("GET, HEAD, POST")
        );
        let body: ApiError = test::read_body_json(res).await;
        assert_eq!(body.code, 4050);
    }

    #[derive(serde::Deserialize)]
    struct Body {
        #[allow(dead_code)]
        n: i64,
    }

    async fn echo(_b: web::Json<Body>) -> HttpResponse {
        HttpResponse::Ok().finish()
    }

    #[actix_web::test]
    async fn malformed_json_unknown_paths_and_wrong_methods_get_envelopes() {
        let app = test::init_service(
            App::new()
                .wrap(from_fn(request_context))
                .configure(|cfg| extractor_configs(cfg, 64))
                .service(web::resource("/x").route(web::post().to(echo))),
        )
        .await;
        for (req, status, code) in [
            (
                test::TestRequest::post()
                    .uri("/x")
                    .insert_header(("content-type", "application/json"))
                    .set_payload("{"),
                400,
                4000,
            ),
            (
                test::TestRequest::post()
                    .uri("/x")
                    .insert_header(("content-type", "application/json"))
                    .set_payload(r#"{"n":"x"}"#),
                400,
                4000,
            ),
            (
                test::TestRequest::post()
                    .uri("/x")
                    .insert_header(("content-type", "application/json"))
                    .set_payload(format!(r#"{{"n":1,"pad":"{}"}}"#, "a".repeat(100))),
                413,
                4130,
            ),
            (test::TestRequest::get().uri("/nowhere"), 404, 4040),
            (test::TestRequest::get().uri("/x"), 405, 4050),
        ] {
            let res = test::call_service(&app, req.to_request()).await;
            assert_eq!(res.status().as_u16(), status);
            assert!(res.headers().contains_key("x-request-id"));
            let body: serde_json::Value = test::read_body_json(res).await;
            assert_eq!(body["code"], code, "{body}");
            assert_eq!(body["statusCode"], status);
        }
    }

    #[actix_web::test]
    async fn a_valid_client_request_id_is_kept() {
        let app = test::init_service(
            App::new()
                .wrap(from_fn(request_context))
                .route("/healthz", web::get().to(healthz)),
        )
        .await;
        // `/healthz` sent with the client's request id `id`.
        let with_id = |id: &'static str| {
            test::call_service(
                &app,
                test::TestRequest::get()
                    .uri("/healthz")
                    .insert_header(("x-request-id", id))
                    .to_request(),
            )
        };
        let res = with_id("pos-42.a").await;
        assert_eq!(res.headers().get("x-request-id").unwrap(), "pos-42.a");
        let res = with_id("bad id!").await;
        assert_ne!(res.headers().get("x-request-id").unwrap(), "bad id!");
    }
}
