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

payserver_shared::resource_view! {
    /// A payment method a merchant has opened. `merchant.href` is the merchant's own link (outside
    /// this system), null when none was given.
    #[derive(Debug, Serialize, utoipa::ToSchema)]
    #[serde(rename_all = "camelCase")]
    #[schema(
        as = PayMode,
        description = "A payment method a merchant has opened. `merchant.href` is the merchant's own link (outside this system), null when none was given."
    )]
    pub struct PayModeView {
        href;
        id;
        uuid;
        /// The template it was opened from; null for a custom mode.
        #[schema(required = true)]
        pub pay_template_id: Option<String>,
    } with (pay_method) {
        #[schema(minimum = 0, maximum = 1)]
        pub is_fast_pay: i32,
        /// 0: closed (a mode with pay orders is closed instead of deleted).
        #[schema(minimum = 0, maximum = 1)]
        pub is_opened: i32,
        /// Display order.
        pub ui_order: i32,
    } with (merchant_uuid, created_at, modified_at) {
        pub merchant: Link,
        /// `{href}` (null for custom modes), or the template itself with `expand=payModeTemplate`.
        #[schema(schema_with = pay_mode_template_schema)]
        pub pay_mode_template: Value,
        pub pay_orders: Link,
        pub refund_orders: Link,
        pub trade_records: Link,
    }
}

impl PayModeView {
    pub fn new(r: PayModeRow, base: &BaseUrl, clock: &Clock) -> Self {
        let href = base.api(&format!("payModes/{}", r.uuid));
        let sub = |name: &str| Link::to(format!("{href}/{name}"));
        let template = Link {
            href: r.template_uuid.as_deref().map(|u| template_href(base, u)),
        };
        payserver_shared::resource_moved!(r, href, clock => pay_method Self {
            merchant: Link { href: r.merchant_href },
            pay_mode_template: serde_json::to_value(template).unwrap_or(Value::Null),
            pay_orders: sub("payOrders"),
            refund_orders: sub("refundOrders"),
            trade_records: sub("tradeRecords"),
            pay_template_id: r.pay_template_id,
            is_fast_pay: r.is_fast_pay,
            is_opened: r.is_opened,
            ui_order: r.ui_order,
            merchant_uuid: r.merchant_uuid,
        })
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

payserver_shared::resource_view! {
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
    } with (merchant_uuid, pay_method) {
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
}

impl UnopenedItem {
    pub fn new(t: Template, merchant_uuid: &str, base: &BaseUrl) -> Self {
        payserver_shared::pay_method_moved!(t => Self {
            pay_mode_template: Link::to(template_href(base, &t.uuid)),
            pay_template_id: t.pay_template_id,
            merchant_uuid: merchant_uuid.to_string(),
            is_fast_pay: 0,
            is_opened: 0,
            ui_order: 0,
            has_created: 0,
        })
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
