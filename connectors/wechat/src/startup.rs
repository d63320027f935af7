//! Builds the wechat connector: database (migrations), the WeChat Pay client, the background
//! worker that finishes pending trades (resuming those a previous run left), auth and routes.
//! `build` binds the listener (port 0 in tests) so the port is known before running.

use std::sync::Arc;

use actix_web::web;
use connector_contract::server;
use connector_contract::shared::config::{Environment, Settings};
use connector_contract::shared::service::{Running, Service};
use connector_contract::shared::time::Clock;

use crate::connector::WechatConnector;
use crate::db::MIGRATIONS;
use crate::notify::Notifier;
use crate::settings::WechatSettings;
use crate::wxpay::WxClient;

/// The service name: `[services.wechat]` (port 6203) and `[connectors.wechat]`.
pub const SERVICE: &str = "wechat";

/// The service, built by [`Application::build`] on the shared skeleton
/// (`payserver_shared::service`).
pub struct Application;

impl Application {
    pub async fn build(settings: &Settings) -> anyhow::Result<Running> {
        let wechat: WechatSettings = settings.connector(SERVICE)?;
        wechat.validate(settings.environment == Environment::Production)?;
        match wechat.incomplete() {
            Some(why) => tracing::warn!(why, "every WeChat Pay payment will fail until this is fixed"),
            None => {
                tracing::info!(base_url = %wechat.base_url, sign_type = wechat.sign_type.as_str(), "WeChat Pay configured")
            }
        }
        let service = Service::prepare(settings, SERVICE, &MIGRATIONS).await?;
        let wx = WxClient::new(&wechat)?;
        let notifier = Notifier::from_settings(settings, wechat.request_timeout_ms);
        let connector = Arc::new(WechatConnector::new(
            service.db.clone(),
            wx,
            Clock::from_settings(settings),
            notifier,
        ));

        let data = web::Data::from(connector.clone());
        let running = service.serve(move |cfg| {
            cfg.app_data(data.clone());
            server::configure::<WechatConnector>(cfg);
            crate::routes::config(cfg);
        })?;
        // The worker resumes whatever a previous run left pending; once the server has stopped
        // it winds down, and pending trades stay in the database for the next start.
        Ok(running.with_worker(|stopped| crate::worker::spawn(connector, stopped)))
    }
}
