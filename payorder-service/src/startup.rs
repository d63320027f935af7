//! Builds payorder-service: database, upstream clients, connector client, routes and the
//! resolver of `paying` orders.

use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use connector_contract::client::ConnectorClient;
use payserver_shared::auth::ServiceToken;
use payserver_shared::client::{ConnectorRegistry, ServiceClient};
use payserver_shared::config::{ResolverSettings, Settings};
use payserver_shared::db::Database;
use payserver_shared::service::{Running, Service};
use payserver_shared::time::Clock;

use crate::db::MIGRATIONS;
use crate::upstream::Upstreams;

pub const SERVICE: &str = "payorder";

pub struct AppState {
    pub db: Database,
    pub clock: Clock,
    pub upstreams: Upstreams,
    pub connectors: ConnectorClient,
    pub settings: ResolverSettings,
    /// Where asynchronous connectors post `/payNotify`.
    pub notify_url: String,
}

/// The service, built by [`Application::build`] on the shared skeleton
/// (`payserver_shared::service`).
pub struct Application;

impl Application {
    pub async fn build(settings: &Settings) -> anyhow::Result<Running> {
        let service = Service::prepare(settings, SERVICE, &MIGRATIONS).await?;
        // Calls to the other services are balanced over their instances (`services.<name>.url`).
        let services = ServiceClient::from_settings(settings)?;
        let token = Arc::new(ServiceToken::from_settings(settings)?);
        let connectors = ConnectorClient::new(
            ServiceClient::new(Duration::from_millis(settings.payorder.connector_timeout_ms), token),
            ConnectorRegistry::from_settings(settings),
        );
        let state = Arc::new(AppState {
            db: service.db.clone(),
            clock: Clock::from_settings(settings),
            upstreams: Upstreams::new(
                services,
                &settings.service("paymode").url,
                &settings.service("template").url,
            ),
            connectors,
            settings: settings.payorder.clone(),
            notify_url: format!("{}/api/v1.0.0/payNotify", service.self_url()),
        });
        let running = service.serve_state(web::Data::from(state.clone()), crate::routes::config)?;
        // Once the server has stopped, the resolver finishes the order in hand and ends.
        Ok(running.with_worker(|stopped| crate::core::resolver::spawn(state, stopped)))
    }
}
