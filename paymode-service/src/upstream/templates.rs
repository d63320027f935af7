//! template-service over HTTP: its `/internal/v1` reads, with the internal service token and
//! the request id. Every id put into a URL is encoded (`segment`), so no value can address
//! another route.

use std::sync::Arc;
use std::time::{Duration, Instant};

use payserver_shared::ApiError;
use payserver_shared::client::{ClientError, ServiceClient};
use payserver_shared::http::RequestId;
use payserver_shared::ids::is_uuid;
use payserver_shared::path::segment;
use serde::Deserialize;

use super::cache::TtlCache;
use crate::domain::fields::is_pay_template_id;
use crate::domain::{Template, TemplateStatus};

/// How long a template looked up by `payTemplateId` is reused for display (`expand`).
/// Decisions never read the cache: opening a mode and the internal mode answer (is the
/// template enabled now?) ask template-service each time.
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

/// Reads templates from template-service. For display, found templates are cached in process
/// for [`TEMPLATE_TTL`] (30 s), keyed by `payTemplateId`; misses are not cached.
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
        format!("{}/internal/v1/{path_and_query}", self.base)
    }

    /// The template with this `payTemplateId` as template-service has it now, `None` when
    /// there is none. For decisions (opening a mode).
    pub async fn current_by_pay_template_id(
        &self,
        id: &str,
        rid: Option<&RequestId>,
    ) -> Result<Option<Arc<TemplateEntry>>, ApiError> {
        if !is_pay_template_id(id) {
            return Ok(None);
        }
        let path = format!("payModeTemplates?payTemplateId={}&limit=1", segment(id));
        let page: Page = self.client.get_json(&self.url(&path), rid).await?;
        let Some(raw) = page.items.into_iter().next() else {
            return Ok(None);
        };
        let found = Arc::new(entry(raw)?);
        self.cache.insert(id, found.clone(), Instant::now());
        Ok(Some(found))
    }

    /// The template with this `payTemplateId`, possibly up to [`TEMPLATE_TTL`] old: for
    /// display only (`expand=payModeTemplate`).
    pub async fn by_pay_template_id(
        &self,
        id: &str,
        rid: Option<&RequestId>,
    ) -> Result<Option<Arc<TemplateEntry>>, ApiError> {
        if let Some(hit) = self.cache.get(id, Instant::now()) {
            return Ok(Some(hit));
        }
        self.current_by_pay_template_id(id, rid).await
    }

    /// The template with this uuid as template-service has it now; an unknown one is
    /// template-service's 404 envelope.
    pub async fn by_uuid(&self, uuid: &str, rid: Option<&RequestId>) -> Result<Template, ApiError> {
        self.find_by_uuid(uuid, rid)
            .await?
            .ok_or_else(|| ApiError::not_found("payModeTemplate not found"))
    }

    /// The template with this uuid as template-service has it now, `None` when unknown.
    pub async fn find_by_uuid(&self, uuid: &str, rid: Option<&RequestId>) -> Result<Option<Template>, ApiError> {
        if !is_uuid(uuid) {
            return Ok(None);
        }
        let raw: Option<serde_json::Value> = self
            .client
            .get_optional(&self.url(&format!("payModeTemplates/{}", segment(uuid))), rid)
            .await?;
        raw.map(|raw| entry(raw).map(|e| e.template)).transpose()
    }

    /// Every enabled template, walking template-service's pages of 100.
    pub async fn enabled(&self, rid: Option<&RequestId>) -> Result<Vec<Template>, ApiError> {
        let mut all = Vec::new();
        loop {
            let path = format!(
                "payModeTemplates?status={}&orderBy=id&limit={PAGE}&offset={}",
                TemplateStatus::Enabled,
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

    /// The service client, for checkEnvUrl calls (which carry a credential only to a
    /// registered connector's URL, and then only that connector's own).
    pub fn service_client(&self) -> &ServiceClient {
        &self.client
    }
}
