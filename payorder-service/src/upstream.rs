//! Reads from the services payorder-service depends on, on their `/internal/v1` routes with the
//! internal service token: pay modes (paymode-service) and templates (template-service).
//!
//! Nothing is cached. A pay checks its mode and the mode's template as they are at that moment,
//! so closing a mode or disabling a template refuses the very next pay on every replica
//! (API.md A.1 "Trust boundary"); a stale cache would let a closed mode take pays for its TTL.
//! Every id put into a URL is encoded as one path segment or query value (`segment`), so a
//! decoded `%2F` in a path parameter can never address another route.

use paymode_lookup::PayModeNow;
use payserver_shared::ApiError;
use payserver_shared::client::ServiceClient;
use payserver_shared::http::RequestId;
use payserver_shared::path::segment;

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
    pub async fn pay_mode(&self, uuid: &str, rid: &RequestId) -> Result<Option<PayModeNow>, ApiError> {
        let url = format!("{}{}", self.paymode_url, paymode_lookup::path(&segment(uuid)));
        self.client.get_optional::<PayModeNow>(&url, Some(rid)).await
    }

    /// The `payTemplateId` of the template with this uuid (404 when unknown: the parent of a
    /// sub-collection).
    pub async fn template_pay_id(&self, uuid: &str, rid: &RequestId) -> Result<String, ApiError> {
        self.client
            .template_pay_id(&self.template_url, uuid, Some(rid))
            .await?
            .ok_or_else(|| ApiError::not_found("payModeTemplate not found"))
    }
}
