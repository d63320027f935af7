//! What Alipay's answers mean for a trade. Pure functions over a verified answer node, so every
//! rule of the protocol is unit-tested without HTTP.
//!
//! Public codes: `10000` success; `10003` waiting for the user (pay only); `20000` service
//! unavailable, outcome unknown; `20001` authorization (app_auth_token) invalid; `40001`
//! missing arguments; `40002` invalid arguments (a bad signature among them); `40003`
//! insufficient ISV permissions; `40004` business failure (`sub_code` says which); `40006`
//! insufficient permissions.

use serde_json::{Map, Value};

/// The verified `..._response` object of an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub fields: Map<String, Value>,
}

impl Node {
    pub fn new(fields: Map<String, Value>) -> Self {
        Self { fields }
    }

    /// A non-empty string field.
    pub fn str(&self, key: &str) -> Option<&str> {
        match self.fields.get(key) {
            Some(Value::String(s)) if !s.is_empty() => Some(s.as_str()),
            _ => None,
        }
    }

    pub fn code(&self) -> &str {
        self.str("code").unwrap_or("")
    }

    pub fn sub_code(&self) -> Option<&str> {
        self.str("sub_code")
    }

    /// `sub_msg (sub_code)`, else `msg (code)`: why Alipay refused.
    pub fn reason(&self) -> String {
        match (self.str("sub_msg"), self.sub_code()) {
            (Some(m), Some(c)) => format!("{m} ({c})"),
            (None, Some(c)) => format!("{} ({c})", self.str("msg").unwrap_or("Business Failed")),
            (Some(m), None) => format!("{m} ({})", self.code()),
            (None, None) => format!("{} ({})", self.str("msg").unwrap_or("no message"), self.code()),
        }
    }

    fn retry_flag(&self) -> bool {
        self.str("retry_flag") == Some("Y")
    }
}

/// Codes with which the gateway refuses a request before any trade exists: a definite "no".
/// Alipay may send these unsigned (it could not identify the application), so they are the
/// only answers accepted without a signature.
pub fn is_gateway_rejection(code: &str) -> bool {
    matches!(code, "20001" | "40001" | "40002" | "40003" | "40006")
}

/// A business failure that is really "ask again": the trade may exist.
fn is_system_error(node: &Node) -> bool {
    node.sub_code() == Some("ACQ.SYSTEM_ERROR")
}

/// A paid trade, as far as the answer tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paid {
    pub trade_no: Option<String>,
    /// Alipay's `yyyy-MM-dd HH:mm:ss` (Beijing time), when given.
    pub paid_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayDecision {
    Paid(Paid),
    /// No money moved, and none will.
    Failed(String),
    /// 10003, 20000, ACQ.SYSTEM_ERROR or anything unexpected: query before deciding.
    Unknown {
        trade_no: Option<String>,
    },
}

/// The answer to `alipay.trade.pay`.
pub fn after_pay(node: &Node) -> PayDecision {
    let trade_no = node.str("trade_no").map(str::to_string);
    match node.code() {
        "10000" => PayDecision::Paid(Paid {
            trade_no,
            paid_at: node.str("gmt_payment").map(str::to_string),
        }),
        "40004" if node.sub_code() == Some("ACQ.TRADE_HAS_SUCCESS") => PayDecision::Paid(Paid {
            trade_no,
            paid_at: node.str("gmt_payment").map(str::to_string),
        }),
        "40004" if is_system_error(node) => PayDecision::Unknown { trade_no },
        "40004" => PayDecision::Failed(node.reason()),
        c if is_gateway_rejection(c) => PayDecision::Failed(node.reason()),
        _ => PayDecision::Unknown { trade_no },
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryDecision {
    Paid(Paid),
    /// TRADE_CLOSED: not paid (or fully refunded); no money is kept.
    Closed,
    /// WAIT_BUYER_PAY, ACQ.TRADE_NOT_EXIST (not created yet), an error: ask again.
    Waiting,
}

/// The answer to `alipay.trade.query`.
pub fn after_query(node: &Node) -> QueryDecision {
    if node.code() != "10000" {
        return QueryDecision::Waiting;
    }
    match node.str("trade_status") {
        Some("TRADE_SUCCESS") | Some("TRADE_FINISHED") => QueryDecision::Paid(Paid {
            trade_no: node.str("trade_no").map(str::to_string),
            paid_at: node.str("send_pay_date").map(str::to_string),
        }),
        Some("TRADE_CLOSED") => QueryDecision::Closed,
        _ => QueryDecision::Waiting,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CancelDecision {
    /// Cancelled: `close` (never paid) or `refund` (paid, money returned). Either way the
    /// trade has failed.
    Cancelled { action: Option<String> },
    /// The trade does not exist at Alipay: nothing to cancel, nothing was paid.
    NoSuchTrade,
    /// `retry_flag=Y`, 20000, ACQ.SYSTEM_ERROR or anything unexpected: call cancel again.
    Retry,
    /// Alipay refused the cancel for good (too late, ...): look at the trade again.
    Refused(String),
}

/// The answer to `alipay.trade.cancel`.
pub fn after_cancel(node: &Node) -> CancelDecision {
    if node.retry_flag() {
        return CancelDecision::Retry;
    }
    match node.code() {
        "10000" => CancelDecision::Cancelled {
            action: node.str("action").map(str::to_string),
        },
        "40004" if node.sub_code() == Some("ACQ.TRADE_NOT_EXIST") => CancelDecision::NoSuchTrade,
        "40004" if is_system_error(node) => CancelDecision::Retry,
        "40004" => CancelDecision::Refused(node.reason()),
        c if is_gateway_rejection(c) => CancelDecision::Refused(node.reason()),
        _ => CancelDecision::Retry,
    }
}

/// A refund that happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refunded {
    pub trade_no: Option<String>,
    pub refunded_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundDecision {
    Refunded(Refunded),
    /// 10000 with `fund_change=N`: the refund was already made (a repeated `out_request_no`)
    /// or is still being made; `alipay.trade.fastpay.refund.query` tells.
    AskRefundQuery,
    Failed(String),
    /// 20000, ACQ.SYSTEM_ERROR, anything unexpected: query, then send the same refund again.
    Unknown,
}

/// The answer to `alipay.trade.refund`.
pub fn after_refund(node: &Node) -> RefundDecision {
    match node.code() {
        "10000" if node.str("fund_change") == Some("Y") => RefundDecision::Refunded(Refunded {
            trade_no: node.str("trade_no").map(str::to_string),
            refunded_at: node.str("gmt_refund_pay").map(str::to_string),
        }),
        "10000" => RefundDecision::AskRefundQuery,
        "40004" if is_system_error(node) => RefundDecision::Unknown,
        "40004" => RefundDecision::Failed(node.reason()),
        c if is_gateway_rejection(c) => RefundDecision::Failed(node.reason()),
        _ => RefundDecision::Unknown,
    }
}

/// The answer to `alipay.trade.fastpay.refund.query`: `Some` when the refund succeeded. A
/// 10000 without refund details means Alipay has no such refund (yet).
pub fn after_refund_query(node: &Node, out_request_no: &str) -> Option<Refunded> {
    if node.code() != "10000" {
        return None;
    }
    let matches_request = node.str("out_request_no").is_none_or(|r| r == out_request_no);
    let succeeded = match node.str("refund_status") {
        Some(s) => s == "REFUND_SUCCESS",
        // Older answers carry no status: details present means done.
        None => node.str("refund_amount").is_some(),
    };
    (matches_request && succeeded).then(|| Refunded {
        trade_no: node.str("trade_no").map(str::to_string),
        refunded_at: node.str("gmt_refund_pay").map(str::to_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node(v: Value) -> Node {
        Node::new(v.as_object().unwrap().clone())
    }

    #[test]
    fn pay_codes_decide_the_outcome() {
        let paid = node(json!({"code":"10000","msg":"Success","trade_no":"T1","gmt_payment":"2026-01-01 10:00:00"}));
        assert_eq!(
            after_pay(&paid),
            PayDecision::Paid(Paid {
                trade_no: Some("T1".into()),
                paid_at: Some("2026-01-01 10:00:00".into())
            })
        );
        let has_success = node(
            json!({"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_HAS_SUCCESS","sub_msg":"交易已被支付"}),
        );
        assert!(matches!(after_pay(&has_success), PayDecision::Paid(_)));
        for unknown in [
            json!({"code":"10003","msg":" order success pay inprocess","trade_no":"T2"}),
            json!({"code":"20000","msg":"Service Currently Unavailable","sub_code":"isp.unknow-error"}),
            json!({"code":"40004","msg":"Business Failed","sub_code":"ACQ.SYSTEM_ERROR","sub_msg":"系统错误"}),
            json!({"code":"99999"}),
        ] {
            assert!(
                matches!(after_pay(&node(unknown.clone())), PayDecision::Unknown { .. }),
                "{unknown}"
            );
        }
        let balance = node(
            json!({"code":"40004","msg":"Business Failed","sub_code":"ACQ.BUYER_BALANCE_NOT_ENOUGH","sub_msg":"买家余额不足"}),
        );
        assert_eq!(
            after_pay(&balance),
            PayDecision::Failed("买家余额不足 (ACQ.BUYER_BALANCE_NOT_ENOUGH)".into())
        );
        let bad_sign = node(
            json!({"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-signature","sub_msg":"验签出错"}),
        );
        assert_eq!(
            after_pay(&bad_sign),
            PayDecision::Failed("验签出错 (isv.invalid-signature)".into())
        );
        assert_eq!(
            after_pay(&node(
                json!({"code":"40004","msg":"Business Failed","sub_code":"ACQ.X"})
            )),
            PayDecision::Failed("Business Failed (ACQ.X)".into())
        );
    }

    #[test]
    fn query_statuses_decide_the_outcome() {
        let q = |s: &str| after_query(&node(json!({"code":"10000","trade_status":s,"trade_no":"T"})));
        assert!(matches!(q("TRADE_SUCCESS"), QueryDecision::Paid(_)));
        assert!(matches!(q("TRADE_FINISHED"), QueryDecision::Paid(_)));
        assert_eq!(q("TRADE_CLOSED"), QueryDecision::Closed);
        assert_eq!(q("WAIT_BUYER_PAY"), QueryDecision::Waiting);
        let missing = node(json!({"code":"40004","sub_code":"ACQ.TRADE_NOT_EXIST"}));
        assert_eq!(after_query(&missing), QueryDecision::Waiting);
    }

    #[test]
    fn cancel_is_retried_while_retry_flag_says_so() {
        let c = |v: Value| after_cancel(&node(v));
        assert_eq!(
            c(json!({"code":"10000","retry_flag":"N","action":"close"})),
            CancelDecision::Cancelled {
                action: Some("close".into())
            }
        );
        assert_eq!(
            c(json!({"code":"10000","retry_flag":"N","action":"refund"})),
            CancelDecision::Cancelled {
                action: Some("refund".into())
            }
        );
        assert_eq!(
            c(json!({"code":"40004","sub_code":"ACQ.SYSTEM_ERROR","retry_flag":"Y"})),
            CancelDecision::Retry
        );
        assert_eq!(c(json!({"code":"10000","retry_flag":"Y"})), CancelDecision::Retry);
        assert_eq!(c(json!({"code":"20000"})), CancelDecision::Retry);
        assert_eq!(
            c(json!({"code":"40004","sub_code":"ACQ.TRADE_NOT_EXIST"})),
            CancelDecision::NoSuchTrade
        );
        assert!(matches!(
            c(json!({"code":"40004","sub_code":"ACQ.TRADE_CANCEL_TIME_OUT","sub_msg":"超过撤销时间范围"})),
            CancelDecision::Refused(_)
        ));
    }

    #[test]
    fn refunds_succeed_on_fund_change_or_by_query() {
        assert!(matches!(
            after_refund(&node(json!({"code":"10000","fund_change":"Y","trade_no":"T"}))),
            RefundDecision::Refunded(_)
        ));
        assert_eq!(
            after_refund(&node(json!({"code":"10000","fund_change":"N"}))),
            RefundDecision::AskRefundQuery
        );
        assert_eq!(after_refund(&node(json!({"code":"20000"}))), RefundDecision::Unknown);
        assert!(matches!(
            after_refund(&node(
                json!({"code":"40004","sub_code":"ACQ.TRADE_NOT_EXIST","sub_msg":"交易不存在"})
            )),
            RefundDecision::Failed(_)
        ));
        let done =
            node(json!({"code":"10000","out_request_no":"2","refund_amount":"1.00","refund_status":"REFUND_SUCCESS"}));
        assert!(after_refund_query(&done, "2").is_some());
        assert!(after_refund_query(&done, "3").is_none());
        assert!(after_refund_query(&node(json!({"code":"10000","msg":"Success"})), "2").is_none());
        let legacy = node(json!({"code":"10000","out_request_no":"2","refund_amount":"1.00"}));
        assert!(after_refund_query(&legacy, "2").is_some());
    }
}
