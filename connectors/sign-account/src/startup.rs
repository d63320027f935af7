//! Builds the sign-account server: database (migrations), auth, the connector contract at
//! `/connector/*` and the management API. `build` binds the listener (port 0 in tests) so the
//! port is known before running.

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use connector_contract::shared::auth::JwtVerifier;
use connector_contract::shared::config::Settings;
use connector_contract::shared::db::Database;
use connector_contract::shared::href::PublicUrlConfig;
use connector_contract::shared::http::{bind, named_service_basics, request_context, workers};
use connector_contract::shared::time::Clock;

use crate::connector::SignAccount;
use crate::db::MIGRATIONS;

/// The service's name in the configuration (`[services.sign_account]`, its database file).
pub const SERVICE: &str = "sign_account";

pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        let svc = settings.service(SERVICE);
        let db = Database::open(settings.database_url(SERVICE), svc.pool_size, &MIGRATIONS).await?;

        let verifier = web::Data::new(JwtVerifier::from_settings(settings)?);
        let public = web::Data::new(PublicUrlConfig {
            public_url: settings.public_url.clone(),
        });
        let connector = web::Data::new(SignAccount::new(db.clone(), Clock::from_settings(settings)));
        let db = web::Data::new(db);
        let body_limit = settings.http.body_limit;

        let listener = bind(&svc.host, svc.port)?;
        let port = listener.local_addr()?.port();
        let server = HttpServer::new(move || {
            App::new()
                .wrap(from_fn(request_context))
                .app_data(verifier.clone())
                .app_data(public.clone())
                .app_data(connector.clone())
                .app_data(db.clone())
                .configure(named_service_basics(SERVICE, body_limit))
                .configure(connector_contract::server::configure::<SignAccount>)
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
