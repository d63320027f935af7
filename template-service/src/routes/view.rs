//! The JSON shape of a payModeTemplate (API.md A.2, the seed's field names), and its schema in
//! the OpenAPI document (`PayModeTemplate`).

use payserver_shared::href::{BaseUrl, Link};
use payserver_shared::time::Clock;
use serde::Serialize;

use crate::db::models::TemplateRow;
use crate::domain::Status;

/// A payment method the platform supports.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PayModeTemplate)]
pub struct TemplateView {
    /// Absolute public URL of this resource, through the gateway.
    #[schema(format = "uri")]
    pub href: String,
    /// The row's integer id.
    pub id: i64,
    /// 22 characters of [0-9A-Za-z] (nanoid).
    #[schema(pattern = "^[0-9A-Za-z]{22}$", example = "irAl37TewwGEchYrXUWsfA")]
    pub uuid: String,
    /// The template's public id (1-64 of [0-9A-Za-z_-]; the seed uses upper-case GUIDs).
    #[schema(example = "A2E7AB90-BB11-11E8-8BAF-4BFA221DACF5")]
    pub pay_template_id: String,
    #[schema(example = "会员储值")]
    pub name: String,
    #[schema(required = true)]
    pub description: Option<String>,
    /// Connector URL called before a merchant opens a mode from this template.
    #[schema(required = true)]
    pub check_env_url: Option<String>,
    /// Connector pay URL.
    #[schema(required = true)]
    pub pay_url: Option<String>,
    /// Connector refund URL.
    #[schema(required = true)]
    pub refund_url: Option<String>,
    /// Connector query URL (addition to the seed).
    #[schema(required = true)]
    pub query_url: Option<String>,
    #[schema(required = true)]
    pub icon_href: Option<String>,
    /// Hours a pay order stays payable.
    #[schema(minimum = 1, maximum = 8760, example = 24)]
    pub order_valid_time: i32,
    /// 1: a connector is called (payUrl); 0: offline (cash, card terminal).
    #[schema(minimum = 0, maximum = 1)]
    pub is_online: i32,
    #[schema(minimum = 0, maximum = 1)]
    pub is_sign_account: i32,
    /// 1: the connector reports the outcome later through /payNotify.
    #[schema(minimum = 0, maximum = 1)]
    pub is_async_notify: i32,
    /// Third-party channel (seed spelling).
    #[schema(minimum = 0, maximum = 1)]
    pub is_thrid_pay: i32,
    #[schema(required = true, example = "微信")]
    pub pay_channel: Option<String>,
    #[schema(required = true, example = "扫码枪")]
    pub pay_way: Option<String>,
    #[schema(inline)]
    pub status: Status,
    /// Time `YYYY-MM-DD HH:mm:ss` in the display offset (default +08:00).
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", example = "2018-07-12 13:01:30")]
    pub created_at: String,
    /// Time `YYYY-MM-DD HH:mm:ss` in the display offset (default +08:00).
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", example = "2018-07-12 13:01:30")]
    pub modified_at: String,
    pub pay_modes: Link,
    pub pay_orders: Link,
    pub refund_orders: Link,
    pub trade_records: Link,
}

impl TemplateView {
    pub fn new(r: TemplateRow, base: &BaseUrl, clock: &Clock) -> Self {
        let href = base.api(&format!("payModeTemplates/{}", r.uuid));
        let sub = |name: &str| Link::to(format!("{href}/{name}"));
        Self {
            pay_modes: sub("payModes"),
            pay_orders: sub("payOrders"),
            refund_orders: sub("refundOrders"),
            trade_records: sub("tradeRecords"),
            href,
            id: r.id,
            uuid: r.uuid,
            pay_template_id: r.pay_template_id,
            name: r.name,
            description: r.description,
            check_env_url: r.check_env_url,
            pay_url: r.pay_url,
            refund_url: r.refund_url,
            query_url: r.query_url,
            icon_href: r.icon_href,
            order_valid_time: r.order_valid_time,
            is_online: r.is_online,
            is_sign_account: r.is_sign_account,
            is_async_notify: r.is_async_notify,
            is_thrid_pay: r.is_thrid_pay,
            pay_channel: r.pay_channel,
            pay_way: r.pay_way,
            status: r.status,
            created_at: clock.render(r.created_at),
            modified_at: clock.render(r.modified_at),
        }
    }
}
