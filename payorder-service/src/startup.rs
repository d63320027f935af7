//! Builds payorder-service: database, upstream clients, connector client, routes and the
//! resolver of `paying` orders, on the order services' skeleton
//! (`payserver_shared::order_service`).

use connector_contract::client::ConnectorClient;
use payserver_shared::order_service::{OrderService, OrderState};

use crate::db::MIGRATIONS;
use crate::upstream::Upstreams;

pub const SERVICE: &str = "payorder";

payserver_shared::order_application! {
    /// Its connectors post `/payNotify`.
    AppState = OrderState<Upstreams, ConnectorClient>,
    OrderService {
        name: SERVICE,
        migrations: &MIGRATIONS,
        settings: |s| &s.payorder,
        notify: "payNotify",
        upstreams: |services, s| Upstreams::new(services, &s.service("paymode").url, &s.service("template").url),
        connectors: ConnectorClient::new,
        routes: crate::routes::config,
        resolver: crate::core::resolver::spawn,
    },
}
