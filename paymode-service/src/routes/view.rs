//! The JSON shapes of a pay mode (API.md A.3, the seed's field names) and of the items of
//! `listAllPayModes`.

use payserver_shared::href::{BaseUrl, Link};
use payserver_shared::time::Clock;
use serde::Serialize;
use serde_json::Value;

use crate::api_doc::{one_schema, pay_mode_template_schema, zero_schema};
use crate::db::models::PayModeRow;
use crate::domain::Template;

fn template_href(base: &BaseUrl, template_uuid: &str) -> String {
    base.api(&format!("payModeTemplates/{template_uuid}"))
}

/// A payment method a merchant has opened. `merchant.href` is the merchant's own link (outside
/// this system), null when none was given.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(
    as = PayMode,
    description = "A payment method a merchant has opened. `merchant.href` is the merchant's own link (outside this system), null when none was given."
)]
pub struct PayModeView {
    /// Absolute public URL of this resource, through the gateway.
    #[schema(format = "uri")]
    pub href: String,
    /// The row's integer id.
    pub id: i64,
    /// 22 characters of [0-9A-Za-z] (nanoid).
    #[schema(pattern = "^[0-9A-Za-z]{22}$", example = "irAl37TewwGEchYrXUWsfA")]
    pub uuid: String,
    /// The template it was opened from; null for a custom mode.
    #[schema(required = true)]
    pub pay_template_id: Option<String>,
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
    #[schema(minimum = 0, maximum = 1)]
    pub is_fast_pay: i32,
    /// 0: closed (a mode with pay orders is closed instead of deleted).
    #[schema(minimum = 0, maximum = 1)]
    pub is_opened: i32,
    /// Display order.
    pub ui_order: i32,
    /// The merchant's uuid (1-64 of [0-9A-Za-z_-]).
    #[serde(rename = "merchantUUID")]
    pub merchant_uuid: String,
    /// Time `YYYY-MM-DD HH:mm:ss` in the display offset (default +08:00).
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", example = "2018-07-12 13:01:30")]
    pub created_at: String,
    /// Time `YYYY-MM-DD HH:mm:ss` in the display offset (default +08:00).
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", example = "2018-07-12 13:01:30")]
    pub modified_at: String,
    pub merchant: Link,
    /// `{href}` (null for custom modes), or the template itself with `expand=payModeTemplate`.
    #[schema(schema_with = pay_mode_template_schema)]
    pub pay_mode_template: Value,
    pub pay_orders: Link,
    pub refund_orders: Link,
    pub trade_records: Link,
}

impl PayModeView {
    pub fn new(r: PayModeRow, base: &BaseUrl, clock: &Clock) -> Self {
        let href = base.api(&format!("payModes/{}", r.uuid));
        let sub = |name: &str| Link::to(format!("{href}/{name}"));
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
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ListAllCreatedItem, description = "A mode the merchant has opened, with `hasCreated` 1.")]
pub struct CreatedItem {
    #[serde(flatten)]
    pub mode: PayModeView,
    #[schema(schema_with = one_schema)]
    pub has_created: i32,
}

/// An enabled template the merchant has not opened: no `uuid` key, closed, not a fast pay.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(
    as = ListAllUnopenedItem,
    description = "An enabled template the merchant has not opened: no `uuid` key, `hasCreated` 0."
)]
pub struct UnopenedItem {
    /// The template's public id (1-64 of [0-9A-Za-z_-]; the seed uses upper-case GUIDs).
    #[schema(example = "A2E7AB90-BB11-11E8-8BAF-4BFA221DACF5")]
    pub pay_template_id: String,
    /// The merchant's uuid (1-64 of [0-9A-Za-z_-]).
    #[serde(rename = "merchantUUID")]
    pub merchant_uuid: String,
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
    #[schema(schema_with = zero_schema)]
    pub is_fast_pay: i32,
    #[schema(schema_with = zero_schema)]
    pub is_opened: i32,
    #[schema(schema_with = zero_schema)]
    pub ui_order: i32,
    #[schema(schema_with = zero_schema)]
    pub has_created: i32,
    pub pay_mode_template: Link,
}

impl UnopenedItem {
    pub fn new(t: Template, merchant_uuid: &str, base: &BaseUrl) -> Self {
        Self {
            pay_mode_template: Link::to(template_href(base, &t.uuid)),
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

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum ListAllItem {
    Created(Box<CreatedItem>),
    Unopened(Box<UnopenedItem>),
}

/// `listAllPayModes`: `{size, items}`, not paged.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(
    as = ListAllPayModes,
    description = "Not paged: the merchant's modes, then the enabled templates it has not opened."
)]
pub struct ListAll {
    /// Number of items.
    pub size: usize,
    #[schema(inline)]
    pub items: Vec<ListAllItem>,
}
