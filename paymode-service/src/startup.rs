//! Builds the paymode-service server: database (migrations), the template-service client,
//! auth and routes. `build` binds the listener (port 0 in tests) so the port is known before
//! running.

use actix_web::web;
use payserver_shared::client::{ConnectorRegistry, ServiceClient};
use payserver_shared::config::Settings;
use payserver_shared::db::{Database, DbConnection};
use payserver_shared::service::{Running, Service};
use payserver_shared::time::Clock;
use payserver_shared::{ApiError, ApiResult};

use crate::db::MIGRATIONS;
use crate::domain::UrlPolicy;
use crate::error::Error;
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

impl AppState {
    /// Runs blocking repo work on a pooled connection (`Database::run`), its error answered as
    /// the error envelope.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut DbConnection) -> Result<T, Error> + Send + 'static,
    ) -> ApiResult<T> {
        self.db.run(work).await.map_err(ApiError::from)
    }
}

/// The service, built by [`Application::build`] on the shared skeleton
/// (`payserver_shared::service`).
pub struct Application;

impl Application {
    pub async fn build(settings: &Settings) -> anyhow::Result<Running> {
        let service = Service::prepare(settings, SERVICE, &MIGRATIONS).await?;
        let client = ServiceClient::from_settings(settings)?;
        let pay_orders = PayOrderProbe::new(client.clone(), &settings.service("payorder").url);
        let templates = TemplateClient::new(client, &settings.service(TEMPLATE_SERVICE).url);
        let state = web::Data::new(AppState {
            db: service.db.clone(),
            clock: Clock::from_settings(settings),
            templates,
            pay_orders,
            trusted: ConnectorRegistry::from_settings(settings),
            urls: UrlPolicy::new(settings.allowed_connector_url_prefixes()),
        });
        service.serve_state(state, crate::routes::config)
    }
}
