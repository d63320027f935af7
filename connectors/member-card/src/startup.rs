//! Builds the member-card server: database (migrations), auth, the connector contract's
//! routes and the management API. `build` binds the listener (port 0 in tests) so the port
//! is known before running.

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use connector_contract::shared::auth::JwtVerifier;
use connector_contract::shared::config::Settings;
use connector_contract::shared::db::Database;
use connector_contract::shared::href::PublicUrlConfig;
use connector_contract::shared::http::{bind, named_service_basics, request_context, workers};
use connector_contract::shared::time::Clock;

use crate::connector::MemberCard;
use crate::db::MIGRATIONS;

pub const SERVICE: &str = "member_card";

pub struct AppState {
    pub db: Database,
    pub clock: Clock,
}

pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        let svc = settings.service(SERVICE);
        let db = Database::open(settings.database_url(SERVICE), svc.pool_size, &MIGRATIONS).await?;
        let clock = Clock::from_settings(settings);

        let verifier = web::Data::new(JwtVerifier::from_settings(settings)?);
        let public = web::Data::new(PublicUrlConfig {
            public_url: settings.public_url.clone(),
        });
        let connector = web::Data::new(MemberCard::new(db.clone(), clock));
        let state = web::Data::new(AppState { db: db.clone(), clock });
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
                .configure(connector_contract::server::configure::<MemberCard>)
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
