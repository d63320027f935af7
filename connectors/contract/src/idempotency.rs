//! The contract's idempotency rule for connectors that record their operations: a repeated
//! `tractionNo` is the same operation only when it is the same request; anything else is a
//! caller's bug, refused (400) without touching the recorded operation.

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
        let refund = OpKey {
            kind: "refund",
            ..pay.clone()
        };
        assert!(mismatch("1", &pay, &refund).unwrap().contains("a pay"));
    }
}
