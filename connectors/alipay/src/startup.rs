//! Builds the alipay connector: database (migrations), the gateway client with the configured
//! keys, the recovery loop of pending trades, and the routes (the contract under
//! `/connector/*`, `/alipayMerchants` under `/api/v1.0.0` and `/api/v1`).

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use connector_contract::server;
use connector_contract::shared::auth::JwtVerifier;
use connector_contract::shared::config::{Environment, Settings};
use connector_contract::shared::db::Database;
use connector_contract::shared::href::PublicUrlConfig;
use connector_contract::shared::http::{bind, named_service_basics, request_context, workers};
use connector_contract::shared::time::Clock;
use tokio::sync::watch;

use crate::config::AlipaySettings;
use crate::connector::AlipayConnector;
use crate::db::MIGRATIONS;
use crate::gateway::Gateway;

/// The service name: `[services.alipay]` (port 6204), `[connectors.alipay]`.
pub const SERVICE: &str = "alipay";

pub struct AppState {
    pub db: Database,
    pub clock: Clock,
}

pub struct Application {
    port: u16,
    server: Server,
    shutdown: watch::Sender<bool>,
}

impl Application {
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        let svc = settings.service(SERVICE);
        let db = Database::open(settings.database_url(SERVICE), svc.pool_size, &MIGRATIONS).await?;
        let alipay: AlipaySettings = settings.connector(SERVICE)?;
        let clock = Clock::from_settings(settings);
        let production = settings.environment == Environment::Production;
        let gateway = Gateway::new(&alipay, production)?;
        let (shutdown, stopping) = watch::channel(false);
        let connector = AlipayConnector::new(db.clone(), gateway, alipay, clock, stopping);
        connector.start_recovery();

        let verifier = web::Data::new(JwtVerifier::from_settings(settings)?);
        let public = web::Data::new(PublicUrlConfig {
            public_url: settings.public_url.clone(),
        });
        let state = web::Data::new(AppState { db: db.clone(), clock });
        let connector = web::Data::new(connector);
        let db = web::Data::new(db);
        let body_limit = settings.http.body_limit;

        let listener = bind(&svc.host, svc.port)?;
        let port = listener.local_addr()?.port();
        let server = HttpServer::new(move || {
            App::new()
                .wrap(from_fn(request_context))
                .app_data(verifier.clone())
                .app_data(public.clone())
                .app_data(state.clone())
                .app_data(db.clone())
                .app_data(connector.clone())
                .configure(named_service_basics(SERVICE, body_limit))
                .configure(server::configure::<AlipayConnector>)
                .configure(crate::routes::config)
        })
        .listen(listener)?
        .workers(workers(settings))
        .shutdown_timeout(settings.http.shutdown_grace_secs)
        .run();
        Ok(Self { port, server, shutdown })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until stopped, then winds the background work down (drivers give their leases
    /// back, so another process resumes their trades at once).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let Application { server, shutdown, .. } = self;
        let result = server.await;
        let _ = shutdown.send(true);
        result
    }
}
