//! The connector's rules: which pays and refunds are refused and why, and what a repeated
//! tractionNo must match. A refusal is an answer (`ret: failed` with the reason), never an
//! error: it tells the caller for certain that no money moved.

use connector_contract::pay_params::uuid_param;
use serde_json::{Map, Value};

use super::accounter::Status;

pub use connector_contract::shared::operation::{OpKind, OpRet};

/// The accounter and person a pay charges, from its `payParams`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayTarget {
    pub accounter_uuid: String,
    pub person_uuid: String,
}

/// `payParams {signAccounterUUID, signPersonUUID}`; a missing or malformed one is the reason
/// the pay is refused.
pub fn pay_target(params: &Map<String, Value>) -> Result<PayTarget, String> {
    Ok(PayTarget {
        accounter_uuid: uuid_param(params, "signAccounterUUID", "signAccounter")?,
        person_uuid: uuid_param(params, "signPersonUUID", "signPerson")?,
    })
}

/// An accounter as far as charging is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccounterState {
    pub merchant_uuid: String,
    pub status: Status,
    pub credit_limit: i64,
    pub used_credit: i64,
}

impl AccounterState {
    pub fn available(&self) -> i64 {
        (self.credit_limit - self.used_credit).max(0)
    }
}

/// Why `amount` cannot be charged to the accounter, if it cannot. Another merchant's
/// accounter is refused exactly like an unknown one.
pub fn charge_refusal(
    acc: Option<&AccounterState>,
    accounter_uuid: &str,
    merchant: &str,
    amount: i64,
) -> Option<String> {
    match acc {
        None => Some(format!("unknown signAccounter {accounter_uuid}")),
        Some(a) if a.merchant_uuid != merchant => Some(format!("unknown signAccounter {accounter_uuid}")),
        Some(a) if a.status != Status::Enabled => Some(format!("signAccounter {accounter_uuid} is disabled")),
        Some(a) if amount > a.available() => Some(format!(
            "credit limit exceeded: {} fen available, {amount} fen requested",
            a.available()
        )),
        Some(_) => None,
    }
}

pub fn person_refusal(person_uuid: &str, accounter_uuid: &str) -> String {
    format!("signPerson {person_uuid} does not belong to signAccounter {accounter_uuid}")
}

/// A recorded pay as far as refunding is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayState {
    pub merchant_uuid: String,
    pub succeeded: bool,
    /// What was charged.
    pub amount: i64,
    /// What has been credited back so far.
    pub refunded: i64,
}

/// Why `amount` cannot be credited back for the pay `pay_traction_no`, if it cannot: the
/// pay must have succeeded for the same merchant, and the credits of one pay never exceed
/// its charge.
pub fn refund_refusal(pay: Option<&PayState>, pay_traction_no: &str, merchant: &str, amount: i64) -> Option<String> {
    match pay {
        Some(p) if p.merchant_uuid == merchant && p.succeeded => (p.refunded + amount > p.amount).then(|| {
            format!(
                "refund exceeds the charge: {} fen charged, {} fen already credited back, {amount} fen requested",
                p.amount, p.refunded
            )
        }),
        _ => Some(format!("no successful pay with payTractionNo {pay_traction_no}")),
    }
}

pub use connector_contract::idempotency::{OpKey, check_same};

#[cfg(test)]
mod tests {
    use connector_contract::pay_params::params;

    use super::*;
    use serde_json::json;

    const A: &str = "AAAAAAAAAAAAAAAAAAAAAA";
    const P: &str = "PPPPPPPPPPPPPPPPPPPPPP";

    #[test]
    fn pay_params_name_an_accounter_and_a_person() {
        assert_eq!(
            pay_target(&params(
                json!({"signAccounterUUID": A, "signPersonUUID": P, "other": 1})
            )),
            Ok(PayTarget {
                accounter_uuid: A.into(),
                person_uuid: P.into()
            })
        );
        for (bad, why) in [
            (json!({}), "payParams.signAccounterUUID is required"),
            (json!({"signAccounterUUID": A}), "payParams.signPersonUUID is required"),
            (json!({"signAccounterUUID": null, "signPersonUUID": P}), "required"),
            (json!({"signAccounterUUID": "", "signPersonUUID": P}), "required"),
            (
                json!({"signAccounterUUID": 42, "signPersonUUID": P}),
                "must be a string",
            ),
            (
                json!({"signAccounterUUID": "nope", "signPersonUUID": P}),
                "unknown signAccounter",
            ),
            (
                json!({"signAccounterUUID": A, "signPersonUUID": ["x"]}),
                "must be a string",
            ),
        ] {
            let reason = pay_target(&params(bad.clone())).unwrap_err();
            assert!(reason.contains(why), "{bad}: {reason}");
        }
    }

    fn acc(status: Status, limit: i64, used: i64) -> AccounterState {
        AccounterState {
            merchant_uuid: "m1".into(),
            status,
            credit_limit: limit,
            used_credit: used,
        }
    }

    #[test]
    fn charges_need_an_enabled_accounter_of_the_merchant_with_enough_credit() {
        let ok = acc(Status::Enabled, 1000, 900);
        assert_eq!(charge_refusal(Some(&ok), A, "m1", 100), None);
        assert!(
            charge_refusal(Some(&ok), A, "m1", 101)
                .unwrap()
                .starts_with("credit limit exceeded")
        );
        assert!(
            charge_refusal(None, A, "m1", 1)
                .unwrap()
                .starts_with("unknown signAccounter")
        );
        assert_eq!(
            charge_refusal(Some(&ok), A, "m2", 1),
            charge_refusal(None, A, "m2", 1),
            "another merchant's accounter is an unknown one"
        );
        assert!(
            charge_refusal(Some(&acc(Status::Disabled, 1000, 0)), A, "m1", 1)
                .unwrap()
                .ends_with("is disabled")
        );
    }

    #[test]
    fn credits_of_one_pay_never_exceed_its_charge() {
        let pay = PayState {
            merchant_uuid: "m1".into(),
            succeeded: true,
            amount: 500,
            refunded: 300,
        };
        assert_eq!(refund_refusal(Some(&pay), "1", "m1", 200), None);
        assert!(
            refund_refusal(Some(&pay), "1", "m1", 201)
                .unwrap()
                .starts_with("refund exceeds the charge")
        );
        assert!(
            refund_refusal(None, "1", "m1", 1)
                .unwrap()
                .starts_with("no successful pay")
        );
        assert!(
            refund_refusal(Some(&pay), "1", "m2", 1)
                .unwrap()
                .starts_with("no successful pay")
        );
        let failed = PayState {
            succeeded: false,
            ..pay
        };
        assert!(
            refund_refusal(Some(&failed), "1", "m1", 1)
                .unwrap()
                .starts_with("no successful pay")
        );
    }
}
