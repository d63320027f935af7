//! template-service over HTTP, with the service token and the request id.

use std::sync::Arc;
use std::time::{Duration, Instant};

use payserver_shared::ApiError;
use payserver_shared::client::{ClientError, ServiceClient};
use payserver_shared::http::RequestId;
use payserver_shared::ids::is_uuid;
use serde::Deserialize;

use super::cache::TtlCache;
use crate::domain::Template;
use crate::domain::fields::is_pay_template_id;

/// How long a template looked up by `payTemplateId` is reused. Opening a pay mode and
/// expanding `payModeTemplate` read templates through this cache, so a change made in
/// template-service (disabling a template, a new payUrl) is seen here at most 30 s later.
pub const TEMPLATE_TTL: Duration = Duration::from_secs(30);

/// template-service's page size limit, used to walk the enabled templates.
const PAGE: usize = 100;

/// A template as parsed, and as template-service sent it (embedded by `expand`).
#[derive(Debug, Clone)]
pub struct TemplateEntry {
    pub template: Template,
    pub raw: serde_json::Value,
}

#[derive(Deserialize)]
struct Page {
    size: i64,
    items: Vec<serde_json::Value>,
}

fn entry(raw: serde_json::Value) -> Result<TemplateEntry, ApiError> {
    let template = serde_json::from_value(raw.clone())
        .map_err(|e| ApiError::from(ClientError::Decode(format!("payModeTemplate: {e}"))))?;
    Ok(TemplateEntry { template, raw })
}

/// Reads templates from template-service. Found templates are cached in process for
/// [`TEMPLATE_TTL`] (30 s), keyed by `payTemplateId`; misses are not cached, so a template
/// registered a moment ago can be opened at once.
pub struct TemplateClient {
    client: ServiceClient,
    base: String,
    cache: TtlCache<Arc<TemplateEntry>>,
}

impl TemplateClient {
    /// `base` is template-service's own URL (`settings.service("template").url`).
    pub fn new(client: ServiceClient, base: &str) -> Self {
        Self {
            client,
            base: base.trim_end_matches('/').to_string(),
            cache: TtlCache::new(TEMPLATE_TTL),
        }
    }

    fn url(&self, path_and_query: &str) -> String {
        format!("{}/api/v1.0.0/{path_and_query}", self.base)
    }

    /// The template with this `payTemplateId`, `None` when there is none.
    pub async fn by_pay_template_id(
        &self,
        id: &str,
        rid: Option<&RequestId>,
    ) -> Result<Option<Arc<TemplateEntry>>, ApiError> {
        if let Some(hit) = self.cache.get(id, Instant::now()) {
            return Ok(Some(hit));
        }
        if !is_pay_template_id(id) {
            return Ok(None);
        }
        let page: Page = self
            .client
            .get_json(&self.url(&format!("payModeTemplates?payTemplateId={id}")), rid)
            .await?;
        let Some(raw) = page.items.into_iter().next() else {
            return Ok(None);
        };
        let found = Arc::new(entry(raw)?);
        self.cache.insert(id, found.clone(), Instant::now());
        Ok(Some(found))
    }

    /// The template with this uuid; an unknown one is template-service's 404 envelope.
    pub async fn by_uuid(&self, uuid: &str, rid: Option<&RequestId>) -> Result<Template, ApiError> {
        if !is_uuid(uuid) {
            return Err(ApiError::not_found("payModeTemplate not found"));
        }
        let raw: serde_json::Value = self
            .client
            .get_json(&self.url(&format!("payModeTemplates/{uuid}")), rid)
            .await?;
        Ok(entry(raw)?.template)
    }

    /// Every enabled template, walking template-service's pages of 100.
    pub async fn enabled(&self, rid: Option<&RequestId>) -> Result<Vec<Template>, ApiError> {
        let mut all = Vec::new();
        loop {
            let path = format!(
                "payModeTemplates?status=enabled&orderBy=id&limit={PAGE}&offset={}",
                all.len()
            );
            let page: Page = self.client.get_json(&self.url(&path), rid).await?;
            let got = page.items.len();
            for raw in page.items {
                all.push(entry(raw)?.template);
            }
            if got < PAGE || all.len() as i64 >= page.size {
                return Ok(all);
            }
        }
    }

    /// The service client, for checkEnvUrl calls (which carry the token only to trusted URLs).
    pub fn service_client(&self) -> &ServiceClient {
        &self.client
    }
}
