//! Builds the alipay connector: database (migrations), the gateway client with the configured
//! keys, the worker that resolves pending trades, and the routes (the contract under
//! `/connector/*`, `/alipayMerchants` under `/api/v1.0.0` and `/api/v1`).

use actix_web::web;
use connector_contract::server;
use connector_contract::shared::config::{Environment, Settings};
use connector_contract::shared::service::{Running, Service};
use connector_contract::shared::time::Clock;

use crate::config::AlipaySettings;
use crate::connector::AlipayConnector;
use crate::db::MIGRATIONS;
use crate::gateway::Gateway;

/// The service name: `[services.alipay]` (port 6204), `[connectors.alipay]`.
pub const SERVICE: &str = "alipay";

/// The service, built by [`Application::build`] on the shared skeleton
/// (`payserver_shared::service`).
pub struct Application;

impl Application {
    pub async fn build(settings: &Settings) -> anyhow::Result<Running> {
        let service = Service::prepare(settings, SERVICE, &MIGRATIONS).await?;
        let alipay: AlipaySettings = settings.connector(SERVICE)?;
        let clock = Clock::from_settings(settings);
        let production = settings.environment == Environment::Production;
        let gateway = Gateway::new(&alipay, production)?;
        let connector = AlipayConnector::new(service.db.clone(), gateway, alipay, clock);
        let data = web::Data::new(connector.clone());
        let running = service.serve(move |cfg| {
            cfg.app_data(data.clone());
            server::configure::<AlipayConnector>(cfg);
            crate::routes::config(cfg);
        })?;
        // The worker resumes whatever a previous run left pending. Once the server has stopped
        // it winds down (the steps in flight record their outcome and give their leases back,
        // so another process resumes those trades).
        Ok(running.with_worker(|stopped| crate::worker::spawn(connector, stopped)))
    }
}
