//! Plain refund types and rules: no actix, no diesel.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `orderBy` whitelist (API.md A.1).
pub const ORDER_FIELDS: [&str; 4] = ["id", "createdAt", "refundAmount", "refundFinishAt"];

pub const MAX_AMOUNT: i64 = 1_000_000_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefundStatus {
    UnRefund,
    Refunding,
    Refunded,
    RefundFailed,
}

impl RefundStatus {
    pub const ALL: [&'static str; 4] = ["unRefund", "refunding", "refunded", "refundFailed"];

    pub fn as_str(self) -> &'static str {
        match self {
            RefundStatus::UnRefund => "unRefund",
            RefundStatus::Refunding => "refunding",
            RefundStatus::Refunded => "refunded",
            RefundStatus::RefundFailed => "refundFailed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "unRefund" => Some(Self::UnRefund),
            "refunding" => Some(Self::Refunding),
            "refunded" => Some(Self::Refunded),
            "refundFailed" => Some(Self::RefundFailed),
            _ => None,
        }
    }
}

/// The refund's `businessRet`, from the pay order's.
pub fn business_ret(pay_business_ret: &str) -> &'static str {
    match pay_business_ret {
        "offlinePay" => "offlineRefund",
        "asyncOnlinePay" => "asyncOnlineRefund",
        _ => "syncOnlineRefund",
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

/// `POST /refund` as sent.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundBody {
    pub pay_traction_no: Option<String>,
    pub client_refund_no: Option<String>,
    pub is_cancel: Option<i64>,
    pub refund_amount: Option<i64>,
    pub client_extra_params: Option<Map<String, Value>>,
    /// Only for admin and service callers refunding on a merchant's behalf.
    #[serde(rename = "merchantUUID")]
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

fn is_client_no(s: &str) -> bool {
    (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
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
        if !is_client_no(&client_refund_no) {
            return Err("clientRefundNo must be 1-64 characters of [0-9A-Za-z_-]".into());
        }
        let is_cancel = match self.is_cancel.unwrap_or(0) {
            0 => false,
            1 => true,
            _ => return Err("isCancel must be 0 or 1".into()),
        };
        if let Some(a) = self.refund_amount
            && !(1..=MAX_AMOUNT).contains(&a)
        {
            return Err(format!(
                "refundAmount must be an integer number of fen from 1 to {MAX_AMOUNT}"
            ));
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
        assert_eq!(business_ret("offlinePay"), "offlineRefund");
        assert_eq!(business_ret("asyncOnlinePay"), "asyncOnlineRefund");
        assert_eq!(business_ret("syncOnlinePay"), "syncOnlineRefund");
    }
}
