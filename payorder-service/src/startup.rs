//! Builds payorder-service: database, upstream clients, connector client, routes and the
//! resolver of `paying` orders.

use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use connector_contract::client::ConnectorClient;
use payserver_shared::auth::{JwtVerifier, ServiceToken};
use payserver_shared::client::{ConnectorRegistry, ServiceClient};
use payserver_shared::config::{PayorderSettings, Settings};
use payserver_shared::db::Database;
use payserver_shared::href::PublicUrlConfig;
use payserver_shared::http::{bind, named_service_basics, request_context, workers};
use payserver_shared::time::Clock;

use crate::db::MIGRATIONS;
use crate::upstream::Upstreams;

pub const SERVICE: &str = "payorder";

pub struct AppState {
    pub db: Database,
    pub clock: Clock,
    pub upstreams: Upstreams,
    pub connectors: ConnectorClient,
    pub settings: PayorderSettings,
    /// Where asynchronous connectors post `/payNotify`.
    pub notify_url: String,
}

pub struct Application {
    port: u16,
    server: Server,
    resolver: tokio::task::JoinHandle<()>,
}

impl Application {
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        let svc = settings.service(SERVICE);
        let db = Database::open(settings.database_url(SERVICE), svc.pool_size, &MIGRATIONS).await?;
        let listener = bind(&svc.host, svc.port)?;
        let port = listener.local_addr()?.port();
        let self_url = if svc.port == 0 {
            format!("http://127.0.0.1:{port}")
        } else {
            svc.url.clone()
        };

        let token = Arc::new(ServiceToken::from_settings(settings)?);
        let services = ServiceClient::new(Duration::from_millis(settings.http.client_timeout_ms), token.clone());
        let connectors = ConnectorClient::new(
            ServiceClient::new(Duration::from_millis(settings.payorder.connector_timeout_ms), token),
            ConnectorRegistry::from_settings(settings),
        );
        let state = Arc::new(AppState {
            db: db.clone(),
            clock: Clock::from_settings(settings),
            upstreams: Upstreams::new(
                services,
                &settings.service("paymode").url,
                &settings.service("template").url,
            ),
            connectors,
            settings: settings.payorder.clone(),
            notify_url: format!("{self_url}/api/v1.0.0/payNotify"),
        });

        let verifier = web::Data::new(JwtVerifier::from_settings(settings)?);
        let public = web::Data::new(PublicUrlConfig {
            public_url: settings.public_url.clone(),
        });
        let data = web::Data::from(state.clone());
        let db = web::Data::new(db);
        let body_limit = settings.http.body_limit;
        let server = HttpServer::new(move || {
            App::new()
                .wrap(from_fn(request_context))
                .app_data(verifier.clone())
                .app_data(public.clone())
                .app_data(data.clone())
                .app_data(db.clone())
                .configure(named_service_basics(SERVICE, body_limit))
                .configure(crate::routes::config)
        })
        .listen(listener)?
        .workers(workers(settings))
        .shutdown_timeout(settings.http.shutdown_grace_secs)
        .run();
        let resolver = crate::core::resolver::spawn(state);
        Ok(Self { port, server, resolver })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        self.resolver.abort();
        result
    }
}
