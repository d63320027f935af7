//! The refund saga's steps on a pay order, served by payorder-service under `/internal/v1` and
//! called by refund-service: one type per body and answer, so the two sides cannot drift.
//! Every step is keyed by the refund's tractionNo and safe to repeat.

use serde::{Deserialize, Serialize};

/// `POST /internal/v1/refunds/reserve`: hold `amount` (all that is left when absent) of the
/// pay order for this refund.
pub const RESERVE: &str = "/internal/v1/refunds/reserve";
/// `POST /internal/v1/refunds/confirm`: the channel refunded; the held amount is refunded.
pub const CONFIRM: &str = "/internal/v1/refunds/confirm";
/// `POST /internal/v1/refunds/release`: the refund failed; the hold is freed.
pub const RELEASE: &str = "/internal/v1/refunds/release";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reserve {
    pub pay_traction_no: String,
    pub refund_traction_no: String,
    #[serde(rename = "refundOrderUUID")]
    pub refund_order_uuid: String,
    /// Fen; `None` refunds everything left.
    pub amount: Option<i64>,
    /// 1: the expiry cancel of an unpaid order (no refund order of a merchant's).
    #[serde(default)]
    pub is_cancel: i32,
    /// The merchant asking, checked against the order's owner; `None` for the platform.
    #[serde(rename = "merchantUUID")]
    pub merchant_uuid: Option<String>,
}

/// The body of `confirm` and `release`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub refund_traction_no: String,
    #[serde(default)]
    pub third_refund_no: Option<String>,
    /// Epoch ms of the refund's completion (confirm); now when absent.
    #[serde(default)]
    pub finished_at: Option<i64>,
}

/// What a reservation is after a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Reservation {
    Reserved,
    Confirmed,
    Released,
}

impl Reservation {
    pub fn as_str(self) -> &'static str {
        match self {
            Reservation::Reserved => "reserved",
            Reservation::Confirmed => "confirmed",
            Reservation::Released => "released",
        }
    }
}

/// The pay order a reservation holds, as refund-service needs it to call the channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HeldOrder {
    pub uuid: String,
    pub traction_no: String,
    #[serde(rename = "merchantUUID")]
    pub merchant_uuid: String,
    #[serde(rename = "payModeUUID")]
    pub pay_mode_uuid: String,
    pub pay_template_id: Option<String>,
    pub pay_amount: i64,
    pub refund_amount: i64,
    pub refund_reserved: i64,
    pub status: String,
    pub business_ret: String,
    pub third_pay_no: Option<String>,
    pub payee: Option<String>,
    pub refund_url: Option<String>,
    pub query_url: Option<String>,
}

/// Every step's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Held {
    /// The reserved amount, fen.
    pub amount: i64,
    /// Whether this very call took the step; `false` when an earlier or a concurrent call of
    /// the same step did (the opposite step answers 409).
    pub applied: bool,
    pub state: Reservation,
    pub pay_order: HeldOrder,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wire_names_are_the_internal_apis() {
        let held = Held {
            amount: 5,
            applied: true,
            state: Reservation::Confirmed,
            pay_order: HeldOrder {
                uuid: "u".into(),
                traction_no: "t".into(),
                merchant_uuid: "m".into(),
                pay_mode_uuid: "p".into(),
                pay_template_id: None,
                pay_amount: 5,
                refund_amount: 5,
                refund_reserved: 0,
                status: "refunded".into(),
                business_ret: "SUCCESS".into(),
                third_pay_no: None,
                payee: None,
                refund_url: Some("http://c/refund".into()),
                query_url: None,
            },
        };
        let v = serde_json::to_value(&held).unwrap();
        assert_eq!(v["state"], "confirmed");
        assert_eq!(v["payOrder"]["merchantUUID"], "m");
        assert_eq!(v["payOrder"]["payModeUUID"], "p");
        assert_eq!(serde_json::from_value::<Held>(v).unwrap(), held);
        let r: Reserve = serde_json::from_value(serde_json::json!({
            "payTractionNo": "a", "refundTractionNo": "b", "refundOrderUUID": "c", "amount": null
        }))
        .unwrap();
        assert_eq!((r.is_cancel, r.merchant_uuid), (0, None));
    }
}
