//! Builds the gateway server.

use std::time::Duration;

use actix_cors::Cors;
use actix_web::http::header;
use actix_web::middleware::{Condition, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};
use payserver_shared::ApiError;
use payserver_shared::auth::JwtVerifier;
use payserver_shared::config::Settings;
use payserver_shared::http::{ServiceName, bind, extractor_configs, healthz, request_context, workers};
use payserver_shared::service::Running;

use crate::edge::{envelope_errors, head_limits};
use crate::limits::Limits;
use crate::proxy::{Proxy, forward, split_public_url};
use crate::routing::RouteTable;

/// The gateway, built by [`Application::build`]; it runs as a `payserver_shared::service::Running`.
pub struct Application;

/// How long a client may take to send a request. For the head of a connection's first
/// request actix enforces it and answers a bare 408 (it has no hook for an envelope); its
/// default of 5 s cut slow but legitimate clients (issue 11). For the body the gateway
/// enforces it and answers the 408 envelope. 60 s is nginx's default for both.
pub const CLIENT_REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

impl Application {
    pub fn build(settings: &Settings) -> anyhow::Result<Running> {
        Self::build_with_client_timeout(settings, CLIENT_REQUEST_TIMEOUT)
    }

    /// [`Application::build`] with another [`CLIENT_REQUEST_TIMEOUT`] (tests).
    pub fn build_with_client_timeout(settings: &Settings, client_timeout: Duration) -> anyhow::Result<Running> {
        let g = &settings.gateway;
        let prefix = format!("/{}", g.prefix.trim_matches('/'));
        let public = settings
            .public_url
            .as_deref()
            .filter(|u| !u.is_empty())
            .map(|u| split_public_url(u).ok_or_else(|| anyhow::anyhow!("public_url {u:?} is not an absolute URL")));
        let proxy = web::Data::new(Proxy {
            routes: RouteTable::from_settings(g),
            limits: Limits::new(&g.rate_limit),
            instance_cooldown_ms: g.instance_cooldown_ms as i64,
            client: Proxy::client(Duration::from_millis(g.upstream_timeout_ms)),
            prefix: prefix.clone(),
            body_limit: settings.http.body_limit,
            body_timeout: client_timeout,
            public: public.transpose()?,
            trust_forwarded: g.trust_forwarded_headers,
        });
        let verifier = web::Data::new(JwtVerifier::from_settings(settings)?);
        let body_limit = settings.http.body_limit;

        // Idle rate-limit buckets are dropped every minute so memory stays bounded.
        let pruned = proxy.clone();
        let pruning = tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(60));
            loop {
                every.tick().await;
                pruned.limits.prune();
            }
        });
        let origins = g.cors_origins.clone();

        let listener = bind(&g.host, g.port)?;
        let port = listener.local_addr()?.port();
        let server = HttpServer::new(move || {
            // Outermost last: the request id and log first, then the head limits, then the
            // envelope for whatever error answer CORS or a route gives without one.
            App::new()
                .wrap(Condition::new(!origins.is_empty(), cors(&origins)))
                .wrap(from_fn(envelope_errors))
                .wrap(from_fn(head_limits))
                .wrap(from_fn(request_context))
                .app_data(proxy.clone())
                .app_data(verifier.clone())
                .configure(|cfg| extractor_configs(cfg, body_limit))
                .route("/healthz", web::get().to(healthz))
                .route("/readyz", web::get().to(readyz))
                .route("/metrics", web::get().to(payserver_shared::http::metrics))
                .app_data(web::Data::new(ServiceName("gateway")))
                .configure(crate::docs::config(&prefix))
                .service(web::resource(format!("{prefix}/{{tail:.*}}")).to(forward))
        })
        .listen(listener)?
        .client_request_timeout(client_timeout)
        .workers(workers(settings))
        // Our shutdown, not actix's (payserver_shared::service): SIGINT would be a forced stop.
        .disable_signals()
        .shutdown_timeout(settings.http.shutdown_grace_secs)
        .run();
        Ok(Running::new("gateway", port, server).with_job(pruning))
    }
}

/// CORS for browser clients of the configured origins: preflights are answered before any
/// token check; `X-Request-Id` is readable by scripts.
fn cors(origins: &[String]) -> Cors {
    origins
        .iter()
        .fold(Cors::default(), |c, o| c.allowed_origin(o))
        .allowed_methods(["GET", "POST", "PUT", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::HeaderName::from_static("x-request-id"),
        ])
        .expose_headers([header::HeaderName::from_static("x-request-id"), header::RETRY_AFTER])
        .max_age(600)
}

/// Ready when at least one instance of every deployed upstream answers its `/readyz` (an
/// upstream configured with no instances, `gateway.upstreams.<name> = []`, is not deployed).
async fn readyz(proxy: web::Data<Proxy>) -> Result<HttpResponse, ApiError> {
    let mut report = serde_json::Map::new();
    let mut ready = true;
    for upstream in proxy.routes.upstreams().filter(|u| !u.instances().is_empty()) {
        let mut up = false;
        for base in upstream.instances() {
            let ok = proxy
                .client
                .get(format!("{base}/readyz"))
                .timeout(Duration::from_secs(2))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if ok {
                up = true;
                break;
            }
        }
        ready &= up;
        report.insert(
            upstream.name.clone(),
            serde_json::Value::from(if up { "ready" } else { "unavailable" }),
        );
    }
    if ready {
        Ok(HttpResponse::Ok().json(serde_json::json!({ "status": "ready", "upstreams": report })))
    } else {
        let names: Vec<_> = report
            .iter()
            .filter(|(_, v)| *v == "unavailable")
            .map(|(k, _)| k.as_str())
            .collect();
        Err(ApiError::unavailable(format!(
            "upstreams unavailable: {}",
            names.join(", ")
        )))
    }
}
