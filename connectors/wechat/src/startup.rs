//! Builds the wechat connector: database (migrations), the WeChat Pay client, the background
//! worker that finishes pending trades (resuming those a previous run left), auth and routes.
//! `build` binds the listener (port 0 in tests) so the port is known before running.

use std::sync::Arc;

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

use crate::connector::WechatConnector;
use crate::db::MIGRATIONS;
use crate::notify::Notifier;
use crate::settings::WechatSettings;
use crate::wxpay::WxClient;

/// The service name: `[services.wechat]` (port 6203) and `[connectors.wechat]`.
pub const SERVICE: &str = "wechat";

pub struct Application {
    port: u16,
    server: Server,
    stop: watch::Sender<bool>,
}

impl Application {
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        let wechat: WechatSettings = settings.connector(SERVICE)?;
        wechat.validate(settings.environment == Environment::Production)?;
        match wechat.incomplete() {
            Some(why) => tracing::warn!(why, "every WeChat Pay payment will fail until this is fixed"),
            None => {
                tracing::info!(base_url = %wechat.base_url, sign_type = wechat.sign_type.as_str(), "WeChat Pay configured")
            }
        }
        let svc = settings.service(SERVICE);
        let db = Database::open(settings.database_url(SERVICE), svc.pool_size, &MIGRATIONS).await?;
        let wx = WxClient::new(&wechat)?;
        let notifier = Notifier::from_settings(settings, wechat.request_timeout_ms);
        let connector = Arc::new(WechatConnector::new(
            db.clone(),
            wx,
            Clock::from_settings(settings),
            notifier,
        ));

        // The worker resumes whatever a previous run left pending.
        let (stop, stopped) = watch::channel(false);
        crate::worker::spawn(connector.clone(), stopped);

        let verifier = web::Data::new(JwtVerifier::from_settings(settings)?);
        let public = web::Data::new(PublicUrlConfig {
            public_url: settings.public_url.clone(),
        });
        let connector = web::Data::from(connector);
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
                .configure(server::configure::<WechatConnector>)
                .configure(crate::routes::config)
        })
        .listen(listener)?
        .workers(workers(settings))
        .shutdown_timeout(settings.http.shutdown_grace_secs)
        .run();
        Ok(Self { port, server, stop })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until the server stops, then stops the worker (pending trades stay in the
    /// database for the next start).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        let _ = self.stop.send(true);
        result
    }
}
