//! Whether a pay mode has pay orders, asked of payorder-service's internal list
//! (`GET /internal/v1/payOrders?payModeUUID=`) with the internal service token.

use payserver_shared::ApiError;
use payserver_shared::client::ServiceClient;
use payserver_shared::http::RequestId;
use payserver_shared::path::segment;
use serde::Deserialize;

#[derive(Clone)]
pub struct PayOrderProbe {
    client: ServiceClient,
    base: String,
}

#[derive(Deserialize)]
struct Page {
    size: i64,
}

impl PayOrderProbe {
    pub fn new(client: ServiceClient, base: &str) -> Self {
        Self {
            client,
            base: base.trim_end_matches('/').to_string(),
        }
    }

    /// `true` when the mode has at least one pay order. A payorder-service that cannot be
    /// asked is an error (503/504): a mode is never deleted on a guess.
    pub async fn has_orders(&self, mode_uuid: &str, rid: &RequestId) -> Result<bool, ApiError> {
        let url = format!(
            "{}/internal/v1/payOrders?payModeUUID={}&limit=1",
            self.base,
            segment(mode_uuid)
        );
        let page: Page = self.client.get_json(&url, Some(rid)).await?;
        Ok(page.size > 0)
    }
}
