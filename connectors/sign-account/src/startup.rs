//! Builds the sign-account server: database (migrations), auth, the connector contract at
//! `/connector/*` and the management API. `build` binds the listener (port 0 in tests) so the
//! port is known before running.

use actix_web::web;
use connector_contract::shared::config::Settings;
use connector_contract::shared::service::{Running, Service};
use connector_contract::shared::time::Clock;

use crate::connector::SignAccount;
use crate::db::MIGRATIONS;

/// The service's name in the configuration (`[services.sign_account]`, its database file).
pub const SERVICE: &str = "sign_account";

/// The service, built by [`Application::build`] on the shared skeleton
/// (`payserver_shared::service`).
pub struct Application;

impl Application {
    pub async fn build(settings: &Settings) -> anyhow::Result<Running> {
        let service = Service::prepare(settings, SERVICE, &MIGRATIONS).await?;
        let connector = web::Data::new(SignAccount::new(service.db.clone(), Clock::from_settings(settings)));
        service.serve(move |cfg| {
            cfg.app_data(connector.clone());
            connector_contract::server::configure::<SignAccount>(cfg);
            crate::routes::config(cfg);
        })
    }
}
