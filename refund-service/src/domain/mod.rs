//! Plain refund types and rules: no actix; the statuses are text columns (`text_enum!`).

use payserver_shared::amount::Amount;
use payserver_shared::fields::is_token;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

payserver_shared::text_enum! {
    /// A refund order's status: `unRefund → refunding → refunded | refundFailed`.
    pub enum RefundStatus {
        UnRefund = "unRefund",
        Refunding = "refunding",
        Refunded = "refunded",
        RefundFailed = "refundFailed",
    }
}

payserver_shared::text_enum! {
    /// A refund's `businessRet`, from its pay order's.
    #[allow(clippy::enum_variant_names)]
    pub enum RefundBusinessRet {
        SyncOnlineRefund = "syncOnlineRefund",
        AsyncOnlineRefund = "asyncOnlineRefund",
        OfflineRefund = "offlineRefund",
    }
}

/// The refund's `businessRet`, from the pay order's.
pub fn business_ret(pay_business_ret: &str) -> RefundBusinessRet {
    match pay_business_ret {
        "offlinePay" => RefundBusinessRet::OfflineRefund,
        "asyncOnlinePay" => RefundBusinessRet::AsyncOnlineRefund,
        _ => RefundBusinessRet::SyncOnlineRefund,
    }
}

payserver_shared::text_enum! {
    /// A connector's definite word on a refund (`connector_ret`), recorded once.
    pub enum ConnectorRet {
        Success = "success",
        Failed = "failed",
    }
}

/// Machine-readable `resultCode`s this service sets on failed refunds.
pub mod result_code {
    pub const CONNECTOR_FAILED: &str = "CONNECTOR_FAILED";
    pub const CONNECTOR_REJECTED: &str = "CONNECTOR_REJECTED";
    pub const NOT_REFUNDABLE: &str = "NOT_REFUNDABLE";
    /// The refund's window ended and the channel has no record of it: nothing was refunded.
    pub const EXPIRED: &str = "EXPIRED";
}

/// How long after its start a refund the channel never received is sent again. Past it, a
/// channel that has no record of the refund means it failed (nothing was refunded) and its
/// hold is freed. Ten of the resolver's longest waits, so a refund gets many tries however
/// the resolver is tuned, and never less than four connector timeouts, so an answer still on
/// its way is not overtaken.
pub fn resend_window_ms(resolver_backoff_max_ms: u64, connector_timeout_ms: u64) -> i64 {
    let window = resolver_backoff_max_ms
        .saturating_mul(10)
        .max(connector_timeout_ms.saturating_mul(4));
    i64::try_from(window).unwrap_or(i64::MAX)
}

/// What the saga needs to call the connector, taken from the pay order at reservation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectorInfo {
    pub refund_url: Option<String>,
    pub query_url: Option<String>,
    pub pay_amount: i64,
    pub third_pay_no: Option<String>,
    pub payee: Option<String>,
}

// `POST /refund` as sent; `validate` checks it. The doc comments are the schema's.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(
    as = RefundRequest,
    description = "Body of `POST /refund`. Successful plus in-flight refunds never exceed the pay amount."
)]
pub struct RefundBody {
    /// The pay order's numeric tractionNo (at most 32 digits).
    #[schema(value_type = String, pattern = "^[0-9]{1,32}$", example = "1531367230400202")]
    pub pay_traction_no: Option<String>,
    /// 1-64 of [0-9A-Za-z_-], unique per merchant: the idempotency key.
    #[schema(value_type = String, pattern = "^[0-9A-Za-z_-]{1,64}$", example = "T201807120134")]
    pub client_refund_no: Option<String>,
    /// 1: cancel the whole remaining amount (refundAmount absent or equal to it).
    #[schema(schema_with = crate::api_doc::is_cancel_schema)]
    pub is_cancel: Option<i64>,
    /// Fen, 1 to 10^12; default everything not yet refunded.
    #[schema(value_type = i64, required = false, minimum = 1, maximum = 1_000_000_000_000_i64)]
    pub refund_amount: Option<i64>,
    pub client_extra_params: Option<Map<String, Value>>,
    /// Admins and services: the merchant to act for; default the token's.
    #[serde(rename = "merchantUUID")]
    #[schema(value_type = String, required = false)]
    pub merchant_uuid: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidRefund {
    pub pay_traction_no: String,
    pub client_refund_no: String,
    pub is_cancel: bool,
    pub refund_amount: Option<i64>,
    pub client_extra_params: Map<String, Value>,
    pub merchant_uuid: Option<String>,
}

impl RefundBody {
    pub fn validate(self) -> Result<ValidRefund, String> {
        let pay_traction_no = self.pay_traction_no.ok_or("payTractionNo is required")?;
        if pay_traction_no.is_empty()
            || pay_traction_no.len() > 32
            || !pay_traction_no.bytes().all(|b| b.is_ascii_digit())
        {
            return Err("payTractionNo must be the pay order's numeric tractionNo".into());
        }
        let client_refund_no = self.client_refund_no.ok_or("clientRefundNo is required")?;
        if !is_token(&client_refund_no) {
            return Err("clientRefundNo must be 1-64 characters of [0-9A-Za-z_-]".into());
        }
        let is_cancel = match self.is_cancel.unwrap_or(0) {
            0 => false,
            1 => true,
            _ => return Err("isCancel must be 0 or 1".into()),
        };
        if let Some(a) = self.refund_amount {
            Amount::of("refundAmount", a).map_err(|e| e.message)?;
        }
        Ok(ValidRefund {
            pay_traction_no,
            client_refund_no,
            is_cancel,
            refund_amount: self.refund_amount,
            client_extra_params: self.client_extra_params.unwrap_or_default(),
            merchant_uuid: self.merchant_uuid.filter(|m| !m.is_empty()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(v: Value) -> Result<ValidRefund, String> {
        serde_json::from_value::<RefundBody>(v)
            .map_err(|e| e.to_string())?
            .validate()
    }

    #[test]
    fn the_seed_example_is_valid_and_refunds_everything_left() {
        let r = body(
            json!({"payTractionNo": "1531367230400202", "clientRefundNo": "T201807120134", "isCancel": 1,
            "clientExtraParams": {"orderNo": "P201807050001"}}),
        )
        .unwrap();
        assert!(r.is_cancel);
        assert_eq!(r.refund_amount, None);
    }

    #[test]
    fn bad_fields_are_rejected() {
        let ok = json!({"payTractionNo": "1531367230400202", "clientRefundNo": "T1"});
        for (k, v) in [
            ("payTractionNo", json!("abc")),
            ("clientRefundNo", json!("has space")),
            ("isCancel", json!(2)),
            ("refundAmount", json!(0)),
            ("refundAmount", json!(1.5)),
            ("refundAmount", json!("5")),
        ] {
            let mut b = ok.clone();
            b[k] = v.clone();
            assert!(body(b).is_err(), "{k}={v}");
        }
    }

    #[test]
    fn the_resend_window_spans_many_resolver_waits_and_several_timeouts() {
        assert_eq!(resend_window_ms(300_000, 10_000), 3_000_000);
        assert_eq!(resend_window_ms(400, 500), 4_000);
        assert_eq!(resend_window_ms(100, 2_000), 8_000);
        assert_eq!(resend_window_ms(u64::MAX, 0), i64::MAX);
    }

    #[test]
    fn business_ret_follows_the_pay() {
        assert_eq!(business_ret("offlinePay").as_str(), "offlineRefund");
        assert_eq!(business_ret("asyncOnlinePay").as_str(), "asyncOnlineRefund");
        assert_eq!(business_ret("syncOnlinePay").as_str(), "syncOnlineRefund");
    }
}
