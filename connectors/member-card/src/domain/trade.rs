//! The connector's rules: what a pay charges, which pays and refunds are refused and why, and
//! what a repeated tractionNo must match. A refusal is an answer (`ret: failed` with the
//! reason), never an error: it tells the caller for certain that nothing moved.

use connector_contract::pay_params::uuid_param;
use serde_json::{Map, Value};

use super::counts::{CountItem, parse_details};
use super::member::Status;

/// The seed's built-in templates served by this connector (template-service `builtin.rs`).
pub const STORED_VALUE_TEMPLATE: &str = "A2E7AB90-BB11-11E8-8BAF-4BFA221DACF5";
pub const COUNT_TEMPLATE: &str = "B3A36C30-BB11-11E8-8353-CD8987EBDA9C";

pub use connector_contract::shared::operation::{OpKind, OpRet};

/// What a pay takes from the member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Charge {
    /// 会员储值: `payAmount` from the balance.
    Balance,
    /// 会员储次: these counts.
    Counts(Vec<CountItem>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayTarget {
    pub member_uuid: String,
    pub charge: Charge,
}

/// `payParams {memberUUID}` (stored value) or `{memberUUID, merchandiseDetails}` (count card).
/// The built-in count template always needs `merchandiseDetails`; the built-in stored-value
/// template always charges the balance (details, if sent, are only descriptive); any other
/// mode is a count pay exactly when `merchandiseDetails` is present.
pub fn pay_target(params: &Map<String, Value>, pay_template_id: Option<&str>) -> Result<PayTarget, String> {
    let member_uuid = uuid_param(params, "memberUUID", "member")?;
    let details = params.get("merchandiseDetails").filter(|v| !v.is_null());
    let template = pay_template_id.map(str::trim);
    let charge = match details {
        _ if template == Some(STORED_VALUE_TEMPLATE) => Charge::Balance,
        None if template == Some(COUNT_TEMPLATE) => {
            return Err("payParams.merchandiseDetails is required for a member count pay".into());
        }
        None => Charge::Balance,
        Some(d) => Charge::Counts(parse_details(d)?),
    };
    Ok(PayTarget { member_uuid, charge })
}

/// A member as far as paying is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberState {
    pub merchant_uuid: String,
    pub status: Status,
    pub balance: i64,
}

/// Why the member cannot pay at all, if it cannot. Another merchant's member is refused
/// exactly like an unknown one.
pub fn member_refusal(m: Option<&MemberState>, member_uuid: &str, merchant: &str) -> Option<String> {
    match m {
        Some(m) if m.merchant_uuid == merchant => {
            (m.status != Status::Enabled).then(|| format!("member {member_uuid} is disabled"))
        }
        _ => Some(format!("unknown member {member_uuid}")),
    }
}

/// Why `amount` cannot be taken from the member's balance.
pub fn balance_refusal(m: Option<&MemberState>, member_uuid: &str, merchant: &str, amount: i64) -> String {
    member_refusal(m, member_uuid, merchant).unwrap_or_else(|| {
        let available = m.map_or(0, |m| m.balance);
        format!("insufficient balance: {available} fen available, {amount} fen requested")
    })
}

/// Why an item's counts cannot be used: `remaining` is what the member has of it, if anything.
pub fn count_refusal(item: &CountItem, remaining: Option<i32>) -> String {
    match remaining {
        None => format!("the member has no count of {}", item.label()),
        Some(r) => format!(
            "insufficient count of {}: {r} left, {} requested",
            item.label(),
            item.count
        ),
    }
}

/// A recorded pay as far as refunding is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayState {
    pub merchant_uuid: String,
    pub succeeded: bool,
    /// `payAmount` of the pay.
    pub amount: i64,
    /// What has been refunded so far.
    pub refunded: i64,
    /// For a count pay, what it deducted.
    pub counts: Option<Vec<CountItem>>,
}

/// The refund as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundAsk<'a> {
    pub pay_traction_no: &'a str,
    pub merchant_uuid: &'a str,
    pub pay_amount: i64,
    pub refund_amount: i64,
    pub is_cancel: bool,
}

/// What a refund gives back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Restitution {
    /// Fen back to the balance.
    Credit(i64),
    /// Exactly the counts the pay deducted.
    Restore(Vec<CountItem>),
}

/// What the refund gives back, or why it is refused. The pay must have succeeded for the same
/// merchant; a balance pay is refunded in parts at most up to what it took (a cancel takes
/// exactly what remains); a count pay is refunded whole, once.
pub fn refund_plan(pay: Option<&PayState>, ask: &RefundAsk) -> Result<Restitution, String> {
    let pay = match pay {
        Some(p) if p.merchant_uuid == ask.merchant_uuid && p.succeeded => p,
        _ => return Err(format!("no successful pay with payTractionNo {}", ask.pay_traction_no)),
    };
    if ask.pay_amount != pay.amount {
        return Err(format!(
            "payAmount {} does not match the pay's amount of {} fen",
            ask.pay_amount, pay.amount
        ));
    }
    let remaining = pay.amount - pay.refunded;
    if remaining <= 0 {
        return Err(format!("pay {} is already fully refunded", ask.pay_traction_no));
    }
    if let Some(counts) = &pay.counts {
        if ask.refund_amount != pay.amount {
            return Err(format!(
                "a member count pay is refunded whole: refundAmount must be {} fen",
                pay.amount
            ));
        }
        return Ok(Restitution::Restore(counts.clone()));
    }
    if ask.is_cancel && ask.refund_amount != remaining {
        return Err(format!(
            "a cancel refunds what remains of the pay: refundAmount must be {remaining} fen"
        ));
    }
    if ask.refund_amount > remaining {
        return Err(format!(
            "refund exceeds the pay: {} fen paid, {} fen already refunded, {} fen requested",
            pay.amount, pay.refunded, ask.refund_amount
        ));
    }
    Ok(Restitution::Credit(ask.refund_amount))
}

pub use connector_contract::idempotency::{OpKey, check_same};

#[cfg(test)]
mod tests {
    use connector_contract::pay_params::params;

    use super::*;
    use serde_json::json;

    const M: &str = "MMMMMMMMMMMMMMMMMMMMMM";

    #[test]
    fn stored_value_pays_name_a_member() {
        assert_eq!(
            pay_target(&params(json!({"memberUUID": M, "other": 1})), None),
            Ok(PayTarget {
                member_uuid: M.into(),
                charge: Charge::Balance
            })
        );
        for (bad, why) in [
            (json!({}), "payParams.memberUUID is required"),
            (json!({"memberUUID": null}), "required"),
            (json!({"memberUUID": " "}), "required"),
            (json!({"memberUUID": 42}), "must be a string"),
            (json!({"memberUUID": "nope"}), "unknown member"),
        ] {
            let reason = pay_target(&params(bad.clone()), None).unwrap_err();
            assert!(reason.contains(why), "{bad}: {reason}");
        }
    }

    #[test]
    fn count_pays_are_chosen_by_details_or_the_count_template() {
        let details = json!([{"name": "A", "merchandiseUUID": "mA", "styleUUID": "sA", "count": 2}]);
        let with = params(json!({"memberUUID": M, "merchandiseDetails": details}));
        assert!(matches!(pay_target(&with, None).unwrap().charge, Charge::Counts(ref c) if c[0].count == 2));
        assert!(matches!(
            pay_target(&with, Some(COUNT_TEMPLATE)).unwrap().charge,
            Charge::Counts(_)
        ));
        assert_eq!(
            pay_target(&with, Some(STORED_VALUE_TEMPLATE)).unwrap().charge,
            Charge::Balance,
            "the stored-value template always charges the balance"
        );
        let without = params(json!({"memberUUID": M}));
        assert!(
            pay_target(&without, Some(COUNT_TEMPLATE))
                .unwrap_err()
                .contains("merchandiseDetails is required")
        );
        let empty = params(json!({"memberUUID": M, "merchandiseDetails": []}));
        assert!(pay_target(&empty, None).unwrap_err().contains("must not be empty"));
        let zero = params(json!({"memberUUID": M, "merchandiseDetails": [{"merchandiseUUID": "m", "count": 0}]}));
        assert!(pay_target(&zero, None).unwrap_err().contains("count must be"));
    }

    fn member(status: Status, balance: i64) -> MemberState {
        MemberState {
            merchant_uuid: "m1".into(),
            status,
            balance,
        }
    }

    #[test]
    fn pays_need_an_enabled_member_of_the_merchant() {
        let ok = member(Status::Enabled, 100);
        assert_eq!(member_refusal(Some(&ok), M, "m1"), None);
        assert!(member_refusal(None, M, "m1").unwrap().starts_with("unknown member"));
        assert_eq!(
            member_refusal(Some(&ok), M, "m2"),
            member_refusal(None, M, "m2"),
            "another merchant's member is an unknown one"
        );
        assert!(
            member_refusal(Some(&member(Status::Disabled, 100)), M, "m1")
                .unwrap()
                .ends_with("is disabled")
        );
        assert_eq!(
            balance_refusal(Some(&ok), M, "m1", 101),
            "insufficient balance: 100 fen available, 101 fen requested"
        );
        assert!(balance_refusal(Some(&ok), M, "m2", 1).starts_with("unknown member"));
    }

    #[test]
    fn count_refusals_name_the_item() {
        let it = CountItem {
            merchandise_uuid: "mA".into(),
            style_uuid: None,
            name: Some("A".into()),
            count: 3,
        };
        assert_eq!(
            count_refusal(&it, Some(2)),
            "insufficient count of \"A\" (merchandiseUUID mA): 2 left, 3 requested"
        );
        assert!(count_refusal(&it, None).starts_with("the member has no count of"));
    }

    fn ask(refund: i64, cancel: bool) -> RefundAsk<'static> {
        RefundAsk {
            pay_traction_no: "1",
            merchant_uuid: "m1",
            pay_amount: 500,
            refund_amount: refund,
            is_cancel: cancel,
        }
    }

    fn paid(refunded: i64, counts: Option<Vec<CountItem>>) -> PayState {
        PayState {
            merchant_uuid: "m1".into(),
            succeeded: true,
            amount: 500,
            refunded,
            counts,
        }
    }

    #[test]
    fn balance_refunds_never_exceed_the_pay() {
        let p = paid(300, None);
        assert_eq!(refund_plan(Some(&p), &ask(200, false)), Ok(Restitution::Credit(200)));
        assert!(
            refund_plan(Some(&p), &ask(201, false))
                .unwrap_err()
                .starts_with("refund exceeds")
        );
        assert_eq!(refund_plan(Some(&p), &ask(200, true)), Ok(Restitution::Credit(200)));
        assert!(
            refund_plan(Some(&p), &ask(100, true))
                .unwrap_err()
                .contains("must be 200 fen")
        );
        assert!(
            refund_plan(Some(&paid(500, None)), &ask(1, false))
                .unwrap_err()
                .contains("already fully refunded")
        );
        assert!(
            refund_plan(None, &ask(1, false))
                .unwrap_err()
                .starts_with("no successful pay")
        );
        let other = RefundAsk {
            merchant_uuid: "m2",
            ..ask(1, false)
        };
        assert!(
            refund_plan(Some(&p), &other)
                .unwrap_err()
                .starts_with("no successful pay")
        );
        let failed = PayState {
            succeeded: false,
            ..paid(0, None)
        };
        assert!(
            refund_plan(Some(&failed), &ask(1, false))
                .unwrap_err()
                .starts_with("no successful pay")
        );
        let wrong_pay_amount = RefundAsk {
            pay_amount: 501,
            ..ask(1, false)
        };
        assert!(
            refund_plan(Some(&p), &wrong_pay_amount)
                .unwrap_err()
                .contains("does not match")
        );
    }

    #[test]
    fn count_pays_are_refunded_whole_and_once() {
        let items = vec![CountItem {
            merchandise_uuid: "mA".into(),
            style_uuid: None,
            name: None,
            count: 2,
        }];
        let p = paid(0, Some(items.clone()));
        assert_eq!(
            refund_plan(Some(&p), &ask(500, false)),
            Ok(Restitution::Restore(items.clone()))
        );
        assert_eq!(refund_plan(Some(&p), &ask(500, true)), Ok(Restitution::Restore(items)));
        assert!(
            refund_plan(Some(&p), &ask(100, false))
                .unwrap_err()
                .contains("refunded whole")
        );
        let done = PayState { refunded: 500, ..p };
        assert!(
            refund_plan(Some(&done), &ask(500, false))
                .unwrap_err()
                .contains("already fully refunded")
        );
    }
}
