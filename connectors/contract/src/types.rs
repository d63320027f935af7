//! The bodies of the contract, with the seed's field names.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The outcome of a pay or refund as the connector knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ret {
    /// Done: the money moved.
    Success,
    /// Not finished (the customer is entering a password, the channel is slow): ask again
    /// through `queryUrl` or wait for the notification.
    Running,
    /// Definitely not done: no money moved.
    Failed,
}

/// `POST payUrl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PayRequest {
    #[serde(default)]
    pub payer: Option<String>,
    #[serde(default)]
    pub payee: Option<String>,
    /// Fen, > 0.
    pub pay_amount: i64,
    /// The platform serial number; the idempotency key.
    pub traction_no: String,
    pub client_pay_no: String,
    pub order_start_at: String,
    pub order_expired_at: String,
    #[serde(default)]
    pub pay_params: Map<String, Value>,
    #[serde(default)]
    pub client_extra_params: Map<String, Value>,
    pub pay_start_at: String,
    /// Where an asynchronous connector posts `/payNotify`.
    #[serde(default)]
    pub notify_url: Option<String>,
    #[serde(rename = "merchantUUID")]
    pub merchant_uuid: String,
    #[serde(default)]
    pub pay_template_id: Option<String>,
}

/// The answer to pay, refund and query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TradeAnswer {
    pub traction_no: String,
    pub ret: Ret,
    #[serde(default)]
    pub third_order_no: Option<String>,
    #[serde(default)]
    pub third_error_reason: Option<String>,
    /// `YYYY-MM-DD HH:mm:ss` in the display offset, when finished.
    #[serde(default)]
    pub trade_finished_at: Option<String>,
}

impl TradeAnswer {
    pub fn success(traction_no: &str, third_order_no: impl Into<String>, finished_at: String) -> Self {
        Self {
            ret: Ret::Success,
            third_order_no: Some(third_order_no.into()),
            trade_finished_at: Some(finished_at),
            ..Self::running(traction_no)
        }
    }

    pub fn failed(traction_no: &str, reason: impl Into<String>) -> Self {
        Self {
            ret: Ret::Failed,
            third_error_reason: Some(reason.into()),
            ..Self::running(traction_no)
        }
    }

    /// The answer with nothing known yet, which the other two start from.
    pub fn running(traction_no: &str) -> Self {
        Self {
            traction_no: traction_no.to_string(),
            ret: Ret::Running,
            third_order_no: None,
            third_error_reason: None,
            trade_finished_at: None,
        }
    }
}

/// `POST refundUrl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundRequest {
    pub client_refund_no: String,
    /// The refund's own serial number; the idempotency key.
    pub traction_no: String,
    pub pay_traction_no: String,
    #[serde(default)]
    pub third_pay_no: Option<String>,
    #[serde(default)]
    pub payee: Option<String>,
    pub pay_amount: i64,
    pub refund_amount: i64,
    /// 1: cancel (撤销) the whole remaining amount.
    #[serde(default)]
    pub is_cancel: i32,
    #[serde(default)]
    pub notify_url: Option<String>,
    #[serde(default)]
    pub client_extra_params: Map<String, Value>,
    #[serde(rename = "merchantUUID")]
    pub merchant_uuid: String,
}

/// `POST checkEnvUrl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckEnvRequest {
    #[serde(rename = "merchantUUID")]
    pub merchant_uuid: String,
    #[serde(default)]
    pub pay_template_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckEnvAnswer {
    pub ret: bool,
    #[serde(rename = "merchantUUID")]
    pub merchant_uuid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QueryKind {
    Pay,
    Refund,
}

/// `POST queryUrl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryRequest {
    pub traction_no: String,
    pub kind: QueryKind,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seeds_connector_answer_parses() {
        let a: TradeAnswer = serde_json::from_str(
            r#"{"tractionNo":"1531820383201847","ret":"success","thirdOrderNo":"4200000184201808173250265573","thirdErrorReason":"","tradeFinishedAt":"2018-9-10 12:00:00"}"#,
        )
        .unwrap();
        assert_eq!(a.ret, Ret::Success);
        let r: Result<TradeAnswer, _> = serde_json::from_str(r#"{"tractionNo":"1","ret":"maybe"}"#);
        assert!(r.is_err(), "an unknown ret is garbage, not a failure");
    }

    #[test]
    fn pay_requests_use_the_seed_names() {
        let v = serde_json::to_value(PayRequest {
            payer: Some("A".into()),
            payee: None,
            pay_amount: 50,
            traction_no: "1".into(),
            client_pay_no: "c".into(),
            order_start_at: "s".into(),
            order_expired_at: "e".into(),
            pay_params: Map::new(),
            client_extra_params: Map::new(),
            pay_start_at: "p".into(),
            notify_url: None,
            merchant_uuid: "m".into(),
            pay_template_id: None,
        })
        .unwrap();
        for key in [
            "payAmount",
            "tractionNo",
            "clientPayNo",
            "orderExpiredAt",
            "payParams",
            "merchantUUID",
            "notifyUrl",
        ] {
            assert!(v.get(key).is_some(), "{key}");
        }
    }
}
