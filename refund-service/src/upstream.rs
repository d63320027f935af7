//! The services refund-service calls: payorder-service's saga steps (reserve, confirm,
//! release — each keyed by the refund tractionNo and safe to repeat) and the lookups that
//! check the parents of sub-collections.

use payserver_shared::ApiError;
use payserver_shared::client::{ClientError, ServiceClient};
use payserver_shared::http::RequestId;
use payserver_shared::path::segment;
use serde::Deserialize;
use serde_json::{Value, json};

/// The outcome of a saga step.
pub enum Step<T> {
    Done(T),
    /// payorder-service said no (unknown order, not refundable, invalid): definite.
    Refused(ApiError),
    /// No answer (timeout, unavailable): the step may or may not have happened; repeat it.
    Unknown(String),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HeldOrder {
    pub uuid: String,
    #[serde(rename = "merchantUUID")]
    pub merchant_uuid: String,
    #[serde(rename = "payModeUUID")]
    pub pay_mode_uuid: String,
    pub pay_template_id: Option<String>,
    pub pay_amount: i64,
    pub business_ret: String,
    pub third_pay_no: Option<String>,
    pub payee: Option<String>,
    pub refund_url: Option<String>,
    pub query_url: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Held {
    pub amount: i64,
    pub pay_order: HeldOrder,
    /// Whether this very call took the step; `false` when an earlier or a concurrent call of
    /// the same step did (payorder-service answers the opposite step with 409).
    #[serde(default)]
    pub applied: Option<bool>,
    /// What the reservation is after the call: `reserved`, `confirmed` or `released`.
    #[serde(default)]
    pub state: Option<String>,
}

/// A reservation's state on the pay order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reservation {
    Reserved,
    Confirmed,
    Released,
}

impl Held {
    /// What the reservation is after a call that asked for `step`: what the answer says,
    /// whichever call took it; the step itself from a payorder-service too old to say.
    pub fn after(&self, step: Reservation) -> Reservation {
        match self.state.as_deref() {
            Some("reserved") => Reservation::Reserved,
            Some("confirmed") => Reservation::Confirmed,
            Some("released") => Reservation::Released,
            _ => step,
        }
    }
}

pub struct Upstreams {
    client: ServiceClient,
    payorder: String,
    paymode: String,
    template: String,
}

fn step<T>(r: Result<T, ClientError>) -> Step<T> {
    match r {
        Ok(v) => Step::Done(v),
        // An envelope below 500, or a business rule (>= 9000), is payorder-service's verdict.
        Err(ClientError::Status(status, Some(e))) if status < 500 || e.code >= 9000 => Step::Refused(e),
        Err(e) => Step::Unknown(e.to_string()),
    }
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

    pub async fn reserve(&self, body: &Value, rid: &RequestId) -> Step<Held> {
        step(
            self.client
                .post_json(
                    &format!("{}/internal/v1/refunds/reserve", self.payorder),
                    body,
                    Some(rid),
                )
                .await,
        )
    }

    pub async fn confirm(
        &self,
        traction_no: &str,
        third_no: Option<&str>,
        finished_at: Option<i64>,
        rid: &RequestId,
    ) -> Step<Held> {
        let body = json!({"refundTractionNo": traction_no, "thirdRefundNo": third_no, "finishedAt": finished_at});
        step(
            self.client
                .post_json(
                    &format!("{}/internal/v1/refunds/confirm", self.payorder),
                    &body,
                    Some(rid),
                )
                .await,
        )
    }

    pub async fn release(&self, traction_no: &str, rid: &RequestId) -> Step<Held> {
        let body = json!({"refundTractionNo": traction_no});
        step(
            self.client
                .post_json(
                    &format!("{}/internal/v1/refunds/release", self.payorder),
                    &body,
                    Some(rid),
                )
                .await,
        )
    }

    /// The merchant owning a pay order, `None` when payorder-service does not know it. Asked
    /// on the internal route: public routes refuse the service token.
    pub async fn pay_order_owner(&self, uuid: &str, rid: &RequestId) -> Result<Option<String>, ApiError> {
        let url = format!("{}/internal/v1/payOrders/{}", self.payorder, segment(uuid));
        self.client.owner_of(&url, Some(rid)).await
    }

    /// The merchant owning a pay mode, `None` when unknown.
    pub async fn pay_mode_owner(&self, uuid: &str, rid: &RequestId) -> Result<Option<String>, ApiError> {
        let url = format!("{}/internal/v1/payModes/{}", self.paymode, segment(uuid));
        self.client.owner_of(&url, Some(rid)).await
    }

    /// The `payTemplateId` of a template uuid, `None` when unknown.
    pub async fn template_pay_id(&self, uuid: &str, rid: &RequestId) -> Result<Option<String>, ApiError> {
        self.client.template_pay_id(&self.template, uuid, Some(rid)).await
    }
}
