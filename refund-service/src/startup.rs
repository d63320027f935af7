//! Builds refund-service: database, the saga's clients, routes and the refund resolver, on the
//! order services' skeleton (`payserver_shared::order_service`).

use connector_contract::client::ConnectorClient;
use payserver_shared::order_service::{OrderService, OrderState};

use crate::db::MIGRATIONS;
use crate::upstream::Upstreams;

pub const SERVICE: &str = "refund";

payserver_shared::order_application! {
    /// Its connectors post `/refundNotify`.
    AppState = OrderState<Upstreams, ConnectorClient>,
    OrderService {
        name: SERVICE,
        migrations: &MIGRATIONS,
        settings: |s| &s.refund,
        notify: "refundNotify",
        upstreams: |services, s| {
            let url = |name| s.service(name).url;
            Upstreams::new(services, &url("payorder"), &url("paymode"), &url("template"))
        },
        connectors: ConnectorClient::new,
        routes: crate::routes::config,
        resolver: crate::core::resolver::spawn,
    },
}
