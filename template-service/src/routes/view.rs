//! The JSON shape of a payModeTemplate (API.md A.2, the seed's field names), and its schema in
//! the OpenAPI document (`PayModeTemplate`).

use payserver_shared::href::{BaseUrl, Link};
use payserver_shared::time::Clock;
use serde::Serialize;

use crate::db::models::TemplateRow;
use crate::domain::Status;

payserver_shared::resource_view! {
    /// A payment method the platform supports.
    #[derive(Debug, Serialize, utoipa::ToSchema)]
    #[serde(rename_all = "camelCase")]
    #[schema(as = PayModeTemplate)]
    pub struct TemplateView {
        href;
        id;
        uuid;
        /// The template's public id (1-64 of [0-9A-Za-z_-]; the seed uses upper-case GUIDs).
        #[schema(example = "A2E7AB90-BB11-11E8-8BAF-4BFA221DACF5")]
        pub pay_template_id: String,
    } with (pay_method) {
        #[schema(inline)]
        pub status: Status,
    } with (created_at, modified_at) {
        pub pay_modes: Link,
        pub pay_orders: Link,
        pub refund_orders: Link,
        pub trade_records: Link,
    }
}

impl TemplateView {
    pub fn new(r: TemplateRow, base: &BaseUrl, clock: &Clock) -> Self {
        let href = base.api(&format!("payModeTemplates/{}", r.uuid));
        let sub = |name: &str| Link::to(format!("{href}/{name}"));
        payserver_shared::resource_moved!(r, href, clock => pay_method Self {
            pay_modes: sub("payModes"),
            pay_orders: sub("payOrders"),
            refund_orders: sub("refundOrders"),
            trade_records: sub("tradeRecords"),
            pay_template_id: r.pay_template_id,
            status: r.status,
        })
    }
}
