//! Builds the paymode-service server: database (migrations), the template-service client,
//! auth and routes. `build` binds the listener (port 0 in tests) so the port is known before
//! running.

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use payserver_shared::auth::JwtVerifier;
use payserver_shared::client::{ConnectorRegistry, ServiceClient};
use payserver_shared::config::Settings;
use payserver_shared::db::Database;
use payserver_shared::href::PublicUrlConfig;
use payserver_shared::http::{bind, named_service_basics, request_context, workers};
use payserver_shared::time::Clock;

use crate::db::MIGRATIONS;
use crate::domain::UrlPolicy;
use crate::upstream::{PayOrderProbe, TemplateClient};

pub const SERVICE: &str = "paymode";

/// The name under which template-service is configured (`services.template.url`).
pub const TEMPLATE_SERVICE: &str = "template";

pub struct AppState {
    pub db: Database,
    pub clock: Clock,
    pub templates: TemplateClient,
    /// Asks payorder-service whether a mode has pay orders before it is deleted.
    pub pay_orders: PayOrderProbe,
    /// The registered connectors: a checkEnvUrl under one of them gets that connector's own
    /// call token, any other none.
    pub trusted: ConnectorRegistry,
    /// Where a custom mode's connector URLs may point (`connectors.allowed_url_prefixes`).
    pub urls: UrlPolicy,
}

pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        let svc = settings.service(SERVICE);
        let db = Database::open(settings.database_url(SERVICE), svc.pool_size, &MIGRATIONS).await?;
        let client = ServiceClient::from_settings(settings)?;
        let pay_orders = PayOrderProbe::new(client.clone(), &settings.service("payorder").url);
        let templates = TemplateClient::new(client, &settings.service(TEMPLATE_SERVICE).url);

        let verifier = web::Data::new(JwtVerifier::from_settings(settings)?);
        let public = web::Data::new(PublicUrlConfig {
            public_url: settings.public_url.clone(),
        });
        let state = web::Data::new(AppState {
            db: db.clone(),
            clock: Clock::from_settings(settings),
            templates,
            pay_orders,
            trusted: ConnectorRegistry::from_settings(settings),
            urls: UrlPolicy::new(settings.allowed_connector_url_prefixes()),
        });
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
                .configure(named_service_basics(SERVICE, body_limit))
                .configure(crate::routes::config)
        })
        .listen(listener)?
        .workers(workers(settings))
        .shutdown_timeout(settings.http.shutdown_grace_secs)
        .run();
        Ok(Self { port, server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
