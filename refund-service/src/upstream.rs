//! The services refund-service calls: payorder-service's saga steps (reserve, confirm,
//! release — each keyed by the refund tractionNo and safe to repeat) and the lookups that
//! check the parents of sub-collections.

use payserver_shared::ApiError;
use payserver_shared::client::{ClientError, ServiceClient};
use payserver_shared::http::RequestId;
use payserver_shared::path::segment;
use refund_saga::{CONFIRM, Held, RELEASE, RESERVE, Reserve};

/// The outcome of a saga step.
pub enum Step<T> {
    Done(T),
    /// payorder-service said no (unknown order, not refundable, invalid): definite.
    Refused(ApiError),
    /// No answer (timeout, unavailable): the step may or may not have happened; repeat it.
    Unknown(String),
}

pub struct Upstreams {
    client: ServiceClient,
    payorder: String,
    paymode: String,
    template: String,
}

impl Upstreams {
    pub fn new(client: ServiceClient, payorder: &str, paymode: &str, template: &str) -> Self {
        let trim = |u: &str| u.trim_end_matches('/').to_string();
        Self {
            client,
            payorder: trim(payorder),
            paymode: trim(paymode),
            template: trim(template),
        }
    }

    async fn step(&self, path: &str, body: &impl serde::Serialize, rid: &RequestId) -> Step<Held> {
        let url = format!("{}{path}", self.payorder);
        match self.client.post_json(&url, body, Some(rid)).await {
            Ok(held) => Step::Done(held),
            // An envelope below 500, or a business rule (>= 9000), is payorder-service's verdict.
            Err(ClientError::Status(status, Some(e))) if status < 500 || e.code >= 9000 => Step::Refused(e),
            Err(e) => Step::Unknown(e.to_string()),
        }
    }

    pub async fn reserve(&self, body: &Reserve, rid: &RequestId) -> Step<Held> {
        self.step(RESERVE, body, rid).await
    }

    pub async fn confirm(
        &self,
        traction_no: &str,
        third_no: Option<&str>,
        finished_at: Option<i64>,
        rid: &RequestId,
    ) -> Step<Held> {
        let body = refund_saga::Step {
            refund_traction_no: traction_no.to_string(),
            third_refund_no: third_no.map(str::to_string),
            finished_at,
        };
        self.step(CONFIRM, &body, rid).await
    }

    pub async fn release(&self, traction_no: &str, rid: &RequestId) -> Step<Held> {
        let body = refund_saga::Step {
            refund_traction_no: traction_no.to_string(),
            third_refund_no: None,
            finished_at: None,
        };
        self.step(RELEASE, &body, rid).await
    }

    /// The merchant owning a pay order, `None` when payorder-service does not know it. Asked
    /// on the internal route: public routes refuse the service token.
    pub async fn pay_order_owner(&self, uuid: &str, rid: &RequestId) -> Result<Option<String>, ApiError> {
        let url = format!("{}/internal/v1/payOrders/{}", self.payorder, segment(uuid));
        self.client.owner_of(&url, Some(rid)).await
    }

    /// The merchant owning a pay mode, `None` when unknown.
    pub async fn pay_mode_owner(&self, uuid: &str, rid: &RequestId) -> Result<Option<String>, ApiError> {
        let url = format!("{}{}", self.paymode, paymode_lookup::path(&segment(uuid)));
        self.client.owner_of(&url, Some(rid)).await
    }

    /// The `payTemplateId` of the template with this uuid (404 when unknown: the parent of a
    /// sub-collection).
    pub async fn template_pay_id(&self, uuid: &str, rid: &RequestId) -> Result<String, ApiError> {
        self.client
            .template_pay_id(&self.template, uuid, Some(rid))
            .await?
            .ok_or_else(|| ApiError::not_found("payModeTemplate not found"))
    }
}
