//! The JSON shape of a payModeTemplate (API.md A.2, the seed's field names).

use payserver_shared::href::BaseUrl;
use payserver_shared::time::Clock;
use serde::Serialize;

use crate::db::models::TemplateRow;

#[derive(Debug, Serialize)]
pub struct Link {
    pub href: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TemplateView {
    pub href: String,
    pub id: i64,
    pub uuid: String,
    pub pay_template_id: String,
    pub name: String,
    pub description: Option<String>,
    pub check_env_url: Option<String>,
    pub pay_url: Option<String>,
    pub refund_url: Option<String>,
    pub query_url: Option<String>,
    pub icon_href: Option<String>,
    pub order_valid_time: i32,
    pub is_online: i32,
    pub is_sign_account: i32,
    pub is_async_notify: i32,
    pub is_thrid_pay: i32,
    pub pay_channel: Option<String>,
    pub pay_way: Option<String>,
    pub status: String,
    pub created_at: String,
    pub modified_at: String,
    pub pay_modes: Link,
    pub pay_orders: Link,
    pub refund_orders: Link,
    pub trade_records: Link,
}

impl TemplateView {
    pub fn new(r: TemplateRow, base: &BaseUrl, clock: &Clock) -> Self {
        let href = base.api(&format!("payModeTemplates/{}", r.uuid));
        let sub = |name: &str| Link {
            href: format!("{href}/{name}"),
        };
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
