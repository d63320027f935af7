//! Reads from the services payorder-service depends on, on their `/internal/v1` routes with the
//! internal service token: pay modes (paymode-service) and templates (template-service).
//!
//! Nothing is cached. A pay checks its mode and the mode's template as they are at that moment,
//! so closing a mode or disabling a template refuses the very next pay on every replica
//! (API.md A.1 "Trust boundary"); a stale cache would let a closed mode take pays for its TTL.
//! Every id put into a URL is encoded as one path segment or query value (`segment`), so a
//! decoded `%2F` in a path parameter can never address another route.

use payserver_shared::ApiError;
use payserver_shared::client::ServiceClient;
use payserver_shared::http::RequestId;
use payserver_shared::path::segment;
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
    /// The template's status as paymode-service read it for this answer (`enabled`,
    /// `disabled`, `missing`); `None` for a custom mode.
    #[serde(default)]
    pub template_status: Option<String>,
}

impl PayMode {
    /// Whether the mode's template is enabled now; `None` for a custom mode, or when
    /// template-service no longer knows the template (not a refusal).
    pub fn template_enabled(&self) -> Option<bool> {
        match self.template_status.as_deref() {
            Some("enabled") => Some(true),
            Some("disabled") => Some(false),
            _ => None,
        }
    }
}

pub struct Upstreams {
    client: ServiceClient,
    paymode_url: String,
    template_url: String,
}

impl Upstreams {
    pub fn new(client: ServiceClient, paymode_url: &str, template_url: &str) -> Self {
        Self {
            client,
            paymode_url: paymode_url.trim_end_matches('/').to_string(),
            template_url: template_url.trim_end_matches('/').to_string(),
        }
    }

    /// The pay mode as it is now, `None` when paymode-service does not know it.
    pub async fn pay_mode(&self, uuid: &str, rid: &RequestId) -> Result<Option<PayMode>, ApiError> {
        let url = format!("{}/internal/v1/payModes/{}", self.paymode_url, segment(uuid));
        self.client.get_optional::<PayMode>(&url, Some(rid)).await
    }

    /// The `payTemplateId` of the template with this uuid, `None` when unknown.
    pub async fn template_pay_id(&self, uuid: &str, rid: &RequestId) -> Result<Option<String>, ApiError> {
        self.client.template_pay_id(&self.template_url, uuid, Some(rid)).await
    }
}
