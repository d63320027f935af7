//! Reads from the services payorder-service depends on: pay modes (paymode-service's internal
//! read) and templates (template-service), each cached briefly in process. A cached mode may
//! be up to `payorder.mode_cache_ttl_ms` (10 s) stale: a mode closed a moment ago may still
//! take a pay within that window.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use payserver_shared::ApiError;
use payserver_shared::client::ServiceClient;
use payserver_shared::http::RequestId;
use serde::Deserialize;

/// What payorder-service needs of a pay mode.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PayMode {
    pub uuid: String,
    #[serde(rename = "merchantUUID")]
    pub merchant_uuid: String,
    pub name: String,
    pub pay_template_id: Option<String>,
    pub pay_channel: Option<String>,
    pub pay_way: Option<String>,
    pub pay_url: Option<String>,
    pub refund_url: Option<String>,
    pub query_url: Option<String>,
    pub is_online: i32,
    pub is_async_notify: i32,
    pub is_opened: i32,
    pub order_valid_time: i32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Template {
    status: String,
}

#[derive(Debug, Clone, Deserialize)]
struct TemplatePage {
    items: Vec<Template>,
}

struct Cache<T> {
    ttl: Duration,
    entries: Mutex<HashMap<String, (Instant, T)>>,
}

impl<T: Clone> Cache<T> {
    fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn get(&self, key: &str) -> Option<T> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(key)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, v)| v.clone())
    }

    fn put(&self, key: &str, value: T) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() > 10_000 {
            entries.retain(|_, (at, _)| at.elapsed() < self.ttl);
        }
        entries.insert(key.to_string(), (Instant::now(), value));
    }
}

pub struct Upstreams {
    client: ServiceClient,
    paymode_url: String,
    template_url: String,
    refund_url: String,
    modes: Cache<Option<Arc<PayMode>>>,
    templates: Cache<Option<String>>,
    /// payTemplateId → whether the template is enabled.
    enabled: Cache<Option<bool>>,
}

impl Upstreams {
    pub fn new(client: ServiceClient, paymode_url: &str, template_url: &str, refund_url: &str, ttl: Duration) -> Self {
        Self {
            client,
            paymode_url: paymode_url.trim_end_matches('/').to_string(),
            template_url: template_url.trim_end_matches('/').to_string(),
            refund_url: refund_url.trim_end_matches('/').to_string(),
            modes: Cache::new(ttl),
            templates: Cache::new(ttl),
            enabled: Cache::new(ttl),
        }
    }

    /// The pay mode, `None` when paymode-service does not know it.
    pub async fn pay_mode(&self, uuid: &str, rid: &RequestId) -> Result<Option<Arc<PayMode>>, ApiError> {
        if let Some(hit) = self.modes.get(uuid) {
            return Ok(hit);
        }
        let url = format!("{}/internal/v1/payModes/{uuid}", self.paymode_url);
        let mode = self
            .client
            .get_optional::<PayMode>(&url, Some(rid))
            .await?
            .map(Arc::new);
        self.modes.put(uuid, mode.clone());
        Ok(mode)
    }

    /// The `payTemplateId` of the template with this uuid, `None` when unknown.
    pub async fn template_pay_id(&self, uuid: &str, rid: &RequestId) -> Result<Option<String>, ApiError> {
        if let Some(hit) = self.templates.get(uuid) {
            return Ok(hit);
        }
        let id = self.client.template_pay_id(&self.template_url, uuid, Some(rid)).await?;
        self.templates.put(uuid, id.clone());
        Ok(id)
    }

    /// The merchant owning a refund order (refund-service), `None` when unknown. Not cached:
    /// it guards a read.
    pub async fn refund_order_owner(&self, uuid: &str, rid: &RequestId) -> Result<Option<String>, ApiError> {
        let url = format!("{}/api/v1.0.0/refundOrders/{uuid}", self.refund_url);
        self.client.owner_of(&url, Some(rid)).await
    }

    /// Whether the template with this `payTemplateId` is enabled; `None` when template-service
    /// does not know it (a template deleted since the mode was opened).
    pub async fn template_enabled(&self, pay_template_id: &str, rid: &RequestId) -> Result<Option<bool>, ApiError> {
        if let Some(hit) = self.enabled.get(pay_template_id) {
            return Ok(hit);
        }
        let url = format!(
            "{}/api/v1.0.0/payModeTemplates?payTemplateId={pay_template_id}&limit=1",
            self.template_url
        );
        let page: TemplatePage = self.client.get_json(&url, Some(rid)).await?;
        let enabled = page.items.first().map(|t| t.status == "enabled");
        self.enabled.put(pay_template_id, enabled);
        Ok(enabled)
    }
}
