//! The contract's idempotency rule for connectors that record their operations: a repeated
//! `tractionNo` is the same operation only when it is the same request; anything else is a
//! caller's bug, refused (400) without touching the recorded operation.

use crate::shared::operation::OpKind;
use crate::{ConnectorError, QueryKind};

/// What identifies an operation beyond its tractionNo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpKey<'a> {
    /// `pay` or `refund`.
    pub kind: &'a str,
    pub merchant_uuid: &'a str,
    pub amount: i64,
    /// For refunds: the pay they refund.
    pub pay_traction_no: Option<&'a str>,
}

impl<'a> OpKey<'a> {
    /// A pay of `amount` fen for `merchant_uuid`.
    pub fn pay(merchant_uuid: &'a str, amount: i64) -> Self {
        Self {
            kind: OpKind::Pay.as_str(),
            merchant_uuid,
            amount,
            pay_traction_no: None,
        }
    }

    /// A refund of `amount` fen of the pay `pay_traction_no`.
    pub fn refund(merchant_uuid: &'a str, amount: i64, pay_traction_no: &'a str) -> Self {
        Self {
            kind: OpKind::Refund.as_str(),
            merchant_uuid,
            amount,
            pay_traction_no: Some(pay_traction_no),
        }
    }
}

/// The kind of recorded operation a `query` asks about.
impl From<QueryKind> for OpKind {
    fn from(kind: QueryKind) -> Self {
        match kind {
            QueryKind::Pay => OpKind::Pay,
            QueryKind::Refund => OpKind::Refund,
        }
    }
}

/// [`mismatch`] as the contract's answer: a repeated tractionNo for another request is the
/// caller's bug, a 400 that leaves the recorded operation as it is.
pub fn check_same(traction_no: &str, recorded: &OpKey, incoming: &OpKey) -> Result<(), ConnectorError> {
    match mismatch(traction_no, recorded, incoming) {
        Some(why) => Err(ConnectorError::BadRequest(why)),
        None => Ok(()),
    }
}

/// Why `incoming` is not the recorded operation, or `None` when it is.
pub fn mismatch(traction_no: &str, recorded: &OpKey, incoming: &OpKey) -> Option<String> {
    if recorded == incoming {
        return None;
    }
    let what = if recorded.kind != incoming.kind {
        format!("a {}", recorded.kind)
    } else if recorded.merchant_uuid != incoming.merchant_uuid {
        "another merchant".to_string()
    } else if recorded.amount != incoming.amount {
        format!("another amount ({} fen)", recorded.amount)
    } else {
        "another payTractionNo".to_string()
    };
    Some(format!("tractionNo {traction_no} was already used for {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// sign-account and member-card keep their operations by this rule too (each once carried
    /// a copy of the "another merchant" and refund-of-a-pay checks).
    #[test]
    fn only_the_same_request_is_the_same_operation() {
        let pay = OpKey {
            kind: "pay",
            merchant_uuid: "m1",
            amount: 100,
            pay_traction_no: None,
        };
        assert_eq!(mismatch("1", &pay, &pay.clone()), None);
        let other = OpKey {
            amount: 101,
            ..pay.clone()
        };
        assert_eq!(
            mismatch("1", &pay, &other).unwrap(),
            "tractionNo 1 was already used for another amount (100 fen)"
        );
        let more = OpKey {
            amount: 200,
            ..pay.clone()
        };
        assert!(mismatch("1", &pay, &more).unwrap().contains("another amount"));
        let other = OpKey {
            merchant_uuid: "m2",
            ..pay.clone()
        };
        assert!(mismatch("1", &pay, &other).unwrap().contains("another merchant"));
        let refund = OpKey {
            kind: "refund",
            ..pay.clone()
        };
        assert!(mismatch("1", &pay, &refund).unwrap().contains("a pay"));
        let refund = OpKey {
            kind: "refund",
            pay_traction_no: Some("1"),
            ..pay.clone()
        };
        assert!(mismatch("1", &pay, &refund).unwrap().contains("a pay"));
    }
}
