//! The skeleton of an order service (payorder-service, refund-service): the same state (the
//! database, the clock, the clients of the other services and of the connectors, the
//! resolver's settings and the URL connectors post their notifications to) and the same
//! build (the shared [`Service`] skeleton, its routes, then the resolver as its worker). The
//! two services used to declare and build this state each by hand, field for field; what
//! tells them apart is in [`OrderService`].

use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::auth::ServiceToken;
use crate::client::{ConnectorRegistry, ServiceClient};
use crate::config::{ResolverSettings, Settings};
use crate::db::{Database, Migrations};
use crate::service::{Running, Service};
use crate::time::Clock;

/// The state of an order service's handlers and resolver: `U` its clients of the other
/// services, `C` its connector client.
pub struct OrderState<U, C> {
    pub db: Database,
    pub clock: Clock,
    pub upstreams: U,
    pub connectors: C,
    pub settings: ResolverSettings,
    /// Where asynchronous connectors post their notification (`/payNotify`, `/refundNotify`).
    pub notify_url: String,
}

/// Starts an order service's resolver on its state; it ends once the receiver turns true.
pub type SpawnResolver<U, C> = fn(Arc<OrderState<U, C>>, watch::Receiver<bool>) -> JoinHandle<()>;

/// What one order service is made of.
pub struct OrderService<U: 'static, C: 'static> {
    /// The service's name in the settings (`services.<name>`).
    pub name: &'static str,
    pub migrations: &'static Migrations,
    /// Its resolver's settings (`settings.payorder`, `settings.refund`).
    pub settings: fn(&Settings) -> &ResolverSettings,
    /// The path, under `/api/v1.0.0/`, connectors post their notifications to.
    pub notify: &'static str,
    /// Its clients of the other services, over `services` (balanced over their instances).
    pub upstreams: fn(ServiceClient, &Settings) -> U,
    /// Its connector client, over a client with the resolver's `connector_timeout_ms`.
    pub connectors: fn(ServiceClient, ConnectorRegistry) -> C,
    pub routes: fn(&mut web::ServiceConfig),
    /// Starts the resolver; it ends once `stopped` turns true.
    pub resolver: SpawnResolver<U, C>,
}

impl<U: Send + Sync + 'static, C: Send + Sync + 'static> OrderService<U, C> {
    /// Opens the database, builds the clients and the state, serves the routes and starts the
    /// resolver; once the server has stopped, the resolver finishes the order in hand and ends.
    pub async fn build(&self, settings: &Settings) -> anyhow::Result<Running> {
        let service = Service::prepare(settings, self.name, self.migrations).await?;
        // Calls to the other services are balanced over their instances (`services.<name>.url`).
        let services = ServiceClient::from_settings(settings)?;
        let token = Arc::new(ServiceToken::from_settings(settings)?);
        let resolver = (self.settings)(settings);
        let connectors = (self.connectors)(
            ServiceClient::new(Duration::from_millis(resolver.connector_timeout_ms), token),
            ConnectorRegistry::from_settings(settings),
        );
        let state = Arc::new(OrderState {
            db: service.db.clone(),
            clock: Clock::from_settings(settings),
            upstreams: (self.upstreams)(services, settings),
            connectors,
            settings: resolver.clone(),
            notify_url: format!("{}/api/v1.0.0/{}", service.self_url(), self.notify),
        });
        let running = service.serve_state(web::Data::from(state.clone()), self.routes)?;
        let spawn = self.resolver;
        Ok(running.with_worker(|stopped| spawn(state, stopped)))
    }
}

/// Declares an order service's state type (an [`OrderState`] of its clients) and its
/// `Application`, whose `build(&settings)` builds the [`OrderService`] given: the declarations
/// payorder-service and refund-service both make.
///
/// ```ignore
/// payserver_shared::order_application! {
///     /// Its connectors post `/payNotify`.
///     AppState = OrderState<Upstreams, ConnectorClient>,
///     OrderService { name: SERVICE, /* ... */ }
/// }
/// ```
#[macro_export]
macro_rules! order_application {
    ($(#[$meta:meta])* $state:ident = $state_ty:ty, $service:expr $(,)?) => {
        $(#[$meta])*
        pub type $state = $state_ty;

        /// The service, built by [`Application::build`] on the order services' skeleton
        /// (`payserver_shared::order_service`).
        pub struct Application;

        impl Application {
            pub async fn build(
                settings: &$crate::config::Settings,
            ) -> anyhow::Result<$crate::service::Running> {
                $service.build(settings).await
            }
        }
    };
}
