//! The JSON shapes of a pay mode (API.md A.3, the seed's field names) and of the items of
//! `listAllPayModes`.

use payserver_shared::href::BaseUrl;
use payserver_shared::time::Clock;
use serde::Serialize;
use serde_json::Value;

use crate::db::models::PayModeRow;
use crate::domain::Template;

#[derive(Debug, Serialize)]
pub struct Link {
    pub href: Option<String>,
}

fn template_href(base: &BaseUrl, template_uuid: &str) -> String {
    base.api(&format!("payModeTemplates/{template_uuid}"))
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PayModeView {
    pub href: String,
    pub id: i64,
    pub uuid: String,
    pub pay_template_id: Option<String>,
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
    pub is_fast_pay: i32,
    pub is_opened: i32,
    pub ui_order: i32,
    #[serde(rename = "merchantUUID")]
    pub merchant_uuid: String,
    pub created_at: String,
    pub modified_at: String,
    pub merchant: Link,
    /// `{href}` (null for custom modes), or the template itself with `expand=payModeTemplate`.
    pub pay_mode_template: Value,
    pub pay_orders: Link,
    pub refund_orders: Link,
    pub trade_records: Link,
}

impl PayModeView {
    pub fn new(r: PayModeRow, base: &BaseUrl, clock: &Clock) -> Self {
        let href = base.api(&format!("payModes/{}", r.uuid));
        let sub = |name: &str| Link {
            href: Some(format!("{href}/{name}")),
        };
        let template = Link {
            href: r.template_uuid.as_deref().map(|u| template_href(base, u)),
        };
        Self {
            merchant: Link { href: r.merchant_href },
            pay_mode_template: serde_json::to_value(template).unwrap_or(Value::Null),
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
            is_fast_pay: r.is_fast_pay,
            is_opened: r.is_opened,
            ui_order: r.ui_order,
            merchant_uuid: r.merchant_uuid,
            created_at: clock.render(r.created_at),
            modified_at: clock.render(r.modified_at),
        }
    }

    /// Embeds the template as template-service sent it, its hrefs rebased on this request's
    /// public base (template-service built them for the internal call).
    pub fn embed_template(&mut self, raw: &Value, base: &BaseUrl) {
        let mut embedded = raw.clone();
        if let (Value::Object(map), Some(uuid)) = (&mut embedded, raw.get("uuid").and_then(Value::as_str)) {
            let href = template_href(base, uuid);
            for link in ["payModes", "payOrders", "refundOrders", "tradeRecords"] {
                if map.contains_key(link) {
                    map.insert(
                        link.to_string(),
                        serde_json::json!({ "href": format!("{href}/{link}") }),
                    );
                }
            }
            map.insert("href".to_string(), Value::String(href));
        }
        self.pay_mode_template = embedded;
    }
}

/// A mode the merchant has created, as listed by `listAllPayModes`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedItem {
    #[serde(flatten)]
    pub mode: PayModeView,
    pub has_created: i32,
}

/// An enabled template the merchant has not opened: no `uuid` key, closed, not a fast pay.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UnopenedItem {
    pub pay_template_id: String,
    #[serde(rename = "merchantUUID")]
    pub merchant_uuid: String,
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
    pub is_fast_pay: i32,
    pub is_opened: i32,
    pub ui_order: i32,
    pub has_created: i32,
    pub pay_mode_template: Link,
}

impl UnopenedItem {
    pub fn new(t: Template, merchant_uuid: &str, base: &BaseUrl) -> Self {
        Self {
            pay_mode_template: Link {
                href: Some(template_href(base, &t.uuid)),
            },
            pay_template_id: t.pay_template_id,
            merchant_uuid: merchant_uuid.to_string(),
            name: t.name,
            description: t.description,
            check_env_url: t.check_env_url,
            pay_url: t.pay_url,
            refund_url: t.refund_url,
            query_url: t.query_url,
            icon_href: t.icon_href,
            order_valid_time: t.order_valid_time,
            is_online: t.is_online,
            is_sign_account: t.is_sign_account,
            is_async_notify: t.is_async_notify,
            is_thrid_pay: t.is_thrid_pay,
            pay_channel: t.pay_channel,
            pay_way: t.pay_way,
            is_fast_pay: 0,
            is_opened: 0,
            ui_order: 0,
            has_created: 0,
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum ListAllItem {
    Created(Box<CreatedItem>),
    Unopened(Box<UnopenedItem>),
}

/// `listAllPayModes`: `{size, items}`, not paged.
#[derive(Debug, Serialize)]
pub struct ListAll {
    pub size: usize,
    pub items: Vec<ListAllItem>,
}
