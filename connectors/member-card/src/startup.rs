//! Builds the member-card server: database (migrations), auth, the connector contract's
//! routes and the management API. `build` binds the listener (port 0 in tests) so the port
//! is known before running.

use actix_web::web;
use connector_contract::shared::config::Settings;
use connector_contract::shared::service::{Running, Service};
use connector_contract::shared::time::Clock;

use crate::connector::MemberCard;
use crate::db::MIGRATIONS;

pub const SERVICE: &str = "member_card";

/// The service, built by [`Application::build`] on the shared skeleton
/// (`payserver_shared::service`).
pub struct Application;

impl Application {
    pub async fn build(settings: &Settings) -> anyhow::Result<Running> {
        let service = Service::prepare(settings, SERVICE, &MIGRATIONS).await?;
        let clock = Clock::from_settings(settings);
        let connector = web::Data::new(MemberCard::new(service.db.clone(), clock));
        service.serve(move |cfg| {
            cfg.app_data(connector.clone());
            connector_contract::server::configure::<MemberCard>(cfg);
            crate::routes::config(cfg);
        })
    }
}
