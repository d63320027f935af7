//! What each WeChat Pay answer means for a trade. The rule that keeps money safe: only a
//! signed, definite answer decides; everything else is unclear and is asked again (and a pay
//! still unclear at the end of its budget is reversed), never taken as a failure.

use crate::wxpay::{CallOutcome, Params, field};

/// micropay `err_code`s that mean, for certain, that the customer was not charged.
const DEFINITE_PAY_FAILURES: &[&str] = &[
    "PARAM_ERROR",
    "NOAUTH",
    "AUTHCODEEXPIRE",
    "NOTENOUGH",
    "NOTSUPORTCARD",
    "ORDERCLOSED",
    "ORDERREVERSED",
    "AUTH_CODE_ERROR",
    "AUTH_CODE_INVALID",
    "XML_FORMAT_ERROR",
    "REQUIRE_POST_METHOD",
    "SIGNERROR",
    "LACK_PARAMS",
    "NOT_UTF8",
    "BUYER_MISMATCH",
    "APPID_NOT_EXIST",
    "MCHID_NOT_EXIST",
    "APPID_MCHID_NOT_MATCH",
    "INVALID_REQUEST",
    "TRADE_ERROR",
    "POST_DATA_EMPTY",
];

/// refund `err_code`s worth repeating the same request for (WeChat Pay deduplicates refunds
/// by `out_refund_no`).
const RETRYABLE_REFUND_FAILURES: &[&str] = &[
    "SYSTEMERROR",
    "BIZERR_NEED_RETRY",
    "FREQUENCY_LIMITED",
    "INVALID_REQ_TOO_MUCH",
];

/// How long an unclear pay waits before its first query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// `USERPAYING`: the customer is entering the password (`query_interval_ms`).
    UserPaying,
    /// `SYSTEMERROR`, `BANKERROR`, no or unreadable answer (`system_error_wait_ms`).
    SystemError,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayDecision {
    Paid {
        transaction_id: String,
        time_end: Option<i64>,
    },
    Failed(String),
    Unclear {
        wait: Wait,
        why: String,
    },
}

fn reason(p: &Params) -> String {
    let code = field(p, "err_code");
    let des = field(p, "err_code_des");
    match (code.is_empty(), des.is_empty()) {
        (false, false) => format!("{code}: {des}"),
        (false, true) => code.to_string(),
        (true, false) => des.to_string(),
        (true, true) => "result_code FAIL without err_code".into(),
    }
}

/// An answer about another order is no answer about ours.
fn about(p: &Params, key: &str, ours: &str) -> bool {
    let theirs = field(p, key);
    theirs.is_empty() || theirs == ours
}

/// What a success answer must repeat of the request: the sub-merchant (when the request named
/// one) and the amounts. A signed success that differs is about some other trade, or was
/// tampered with: it settles nothing and the trade stays open, to be asked again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asked<'a> {
    pub sub_mch_id: Option<&'a str>,
    /// The order's `total_fee` (for a refund too: the paid order's).
    pub total_fee: i64,
    /// A refund's `refund_fee`.
    pub refund_fee: Option<i64>,
}

impl Asked<'_> {
    /// Why a success answer is not about what was asked, if it is not; logged at error level,
    /// since only a bug or forgery produces one. `refund_fee_key` names the refund's field
    /// (`refund_fee`, or `refund_fee_<n>` in a refundquery).
    fn mismatch(&self, what: &str, p: &Params, refund_fee_key: &str) -> Option<String> {
        let mut expected = vec![("total_fee", self.total_fee.to_string())];
        if let Some(sub) = self.sub_mch_id.filter(|s| !s.is_empty()) {
            expected.push(("sub_mch_id", sub.to_string()));
        }
        if let Some(fee) = self.refund_fee {
            expected.push((refund_fee_key, fee.to_string()));
        }
        let (key, ours) = expected.into_iter().find(|(k, v)| field(p, k) != v)?;
        let theirs = field(p, key);
        tracing::error!(
            what,
            key,
            theirs,
            ours,
            "WeChat Pay answered success for another trade; not settled on it"
        );
        Some(format!("{what} answered success with {key} {theirs:?}, not {ours}"))
    }
}

/// The meaning of a `/pay/micropay` call.
pub fn micropay(o: &CallOutcome, out_trade_no: &str, asked: Asked) -> PayDecision {
    let unclear = |wait, why: String| PayDecision::Unclear { wait, why };
    let p = match o {
        CallOutcome::Answer(p) => p,
        CallOutcome::Refused(msg) => return PayDecision::Failed(format!("WeChat Pay refused the request: {msg}")),
        CallOutcome::Unreachable(why) => return PayDecision::Failed(format!("{why} (nothing was charged)")),
        CallOutcome::Unclear(why) => return unclear(Wait::SystemError, why.clone()),
    };
    if !about(p, "out_trade_no", out_trade_no) {
        return unclear(Wait::SystemError, "micropay answered about another out_trade_no".into());
    }
    if field(p, "result_code") == "SUCCESS"
        && let Some(why) = asked.mismatch("micropay", p, "")
    {
        return unclear(Wait::SystemError, why);
    }
    match field(p, "result_code") {
        "SUCCESS" if !field(p, "transaction_id").is_empty() => PayDecision::Paid {
            transaction_id: field(p, "transaction_id").to_string(),
            time_end: super::time::parse(field(p, "time_end")),
        },
        "FAIL" => match field(p, "err_code") {
            "USERPAYING" => unclear(Wait::UserPaying, reason(p)),
            "SYSTEMERROR" | "BANKERROR" => unclear(Wait::SystemError, reason(p)),
            code if DEFINITE_PAY_FAILURES.contains(&code) => PayDecision::Failed(reason(p)),
            // ORDERPAID, OUT_TRADE_NO_USED, codes this table does not know: ask.
            _ => unclear(Wait::SystemError, reason(p)),
        },
        other => unclear(Wait::SystemError, format!("micropay answered result_code {other:?}")),
    }
}

/// What `/pay/orderquery` says about a trade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryState {
    /// `SUCCESS` (or `REFUND`: it was paid, refunds are accounted for separately).
    Paid {
        transaction_id: String,
        time_end: Option<i64>,
    },
    /// `CLOSED`, `REVOKED`: no money is held and none can be any more.
    Closed(String),
    /// `PAYERROR`: the payment failed; a reverse closes it for good.
    PayError(String),
    /// `NOTPAY`, `ORDERNOTEXIST`: nothing paid (yet).
    NotPaid(String),
    /// `USERPAYING`, `SYSTEMERROR`, unclear or refused calls.
    Unclear(String),
}

pub fn orderquery(o: &CallOutcome, out_trade_no: &str, asked: Asked) -> QueryState {
    let p = match o {
        CallOutcome::Answer(p) => p,
        CallOutcome::Refused(msg) => return QueryState::Unclear(format!("orderquery refused: {msg}")),
        CallOutcome::Unreachable(why) | CallOutcome::Unclear(why) => return QueryState::Unclear(why.clone()),
    };
    if !about(p, "out_trade_no", out_trade_no) {
        return QueryState::Unclear("orderquery answered about another out_trade_no".into());
    }
    if field(p, "result_code") != "SUCCESS" {
        return match field(p, "err_code") {
            "ORDERNOTEXIST" => QueryState::NotPaid(reason(p)),
            _ => QueryState::Unclear(reason(p)),
        };
    }
    let state = field(p, "trade_state");
    let described = || {
        let desc = field(p, "trade_state_desc");
        if desc.is_empty() {
            state.to_string()
        } else {
            format!("{state}: {desc}")
        }
    };
    if matches!(state, "SUCCESS" | "REFUND")
        && let Some(why) = asked.mismatch("orderquery", p, "")
    {
        return QueryState::Unclear(why);
    }
    match state {
        "SUCCESS" | "REFUND" if !field(p, "transaction_id").is_empty() => QueryState::Paid {
            transaction_id: field(p, "transaction_id").to_string(),
            time_end: super::time::parse(field(p, "time_end")),
        },
        "CLOSED" | "REVOKED" => QueryState::Closed(described()),
        "PAYERROR" => QueryState::PayError(described()),
        "NOTPAY" => QueryState::NotPaid(described()),
        _ => QueryState::Unclear(described()),
    }
}

/// What a `/secapi/pay/reverse` call came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReverseResult {
    /// Reversed: an unpaid trade is closed, a paid one's money goes back to the customer.
    Done,
    /// No answer, `SYSTEMERROR` or `recall=Y`: call reverse again.
    Again(String),
    /// WeChat Pay will not reverse this trade (e.g. `REVERSE_EXPIRE`, `TRADE_ERROR`).
    Refused(String),
}

pub fn reverse(o: &CallOutcome) -> ReverseResult {
    let p = match o {
        CallOutcome::Answer(p) => p,
        CallOutcome::Refused(msg) => return ReverseResult::Refused(format!("reverse refused: {msg}")),
        CallOutcome::Unreachable(why) | CallOutcome::Unclear(why) => return ReverseResult::Again(why.clone()),
    };
    match (field(p, "result_code"), field(p, "err_code")) {
        ("SUCCESS", _) if field(p, "recall") == "Y" => ReverseResult::Again("recall=Y".into()),
        ("SUCCESS", _) => ReverseResult::Done,
        (_, "SYSTEMERROR") | (_, "") => ReverseResult::Again(reason(p)),
        _ => ReverseResult::Refused(reason(p)),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundDecision {
    /// WeChat Pay accepted the refund; `/pay/refundquery` tells when it is done.
    Accepted {
        refund_id: Option<String>,
    },
    Failed(String),
    Unclear(String),
}

/// The meaning of a `/secapi/pay/refund` call.
pub fn refund(o: &CallOutcome, out_refund_no: &str, asked: Asked) -> RefundDecision {
    let p = match o {
        CallOutcome::Answer(p) => p,
        CallOutcome::Refused(msg) => return RefundDecision::Failed(format!("WeChat Pay refused the refund: {msg}")),
        CallOutcome::Unreachable(why) => return RefundDecision::Failed(format!("{why} (nothing was refunded)")),
        CallOutcome::Unclear(why) => return RefundDecision::Unclear(why.clone()),
    };
    if !about(p, "out_refund_no", out_refund_no) {
        return RefundDecision::Unclear("refund answered about another out_refund_no".into());
    }
    if field(p, "result_code") == "SUCCESS"
        && let Some(why) = asked.mismatch("refund", p, "refund_fee")
    {
        return RefundDecision::Unclear(why);
    }
    match field(p, "result_code") {
        "SUCCESS" => RefundDecision::Accepted {
            refund_id: Some(field(p, "refund_id").to_string()).filter(|s| !s.is_empty()),
        },
        "FAIL" if RETRYABLE_REFUND_FAILURES.contains(&field(p, "err_code")) => RefundDecision::Unclear(reason(p)),
        "FAIL" if !field(p, "err_code").is_empty() => RefundDecision::Failed(reason(p)),
        other => RefundDecision::Unclear(format!("refund answered result_code {other:?}")),
    }
}

/// What `/pay/refundquery` says about one refund.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundState {
    /// `SUCCESS`, or `CHANGE` (the money left the merchant but the customer's card refused it;
    /// settled by hand on the merchant platform), with a note then.
    Success {
        refund_id: Option<String>,
        at: Option<i64>,
        note: Option<String>,
    },
    Processing,
    /// `REFUNDCLOSE`: the refund was closed; no money moved.
    Closed(String),
    /// `REFUNDNOTEXIST`: WeChat Pay has no such refund.
    NotFound,
    Unclear(String),
}

pub fn refundquery(o: &CallOutcome, out_refund_no: &str, asked: Asked) -> RefundState {
    let p = match o {
        CallOutcome::Answer(p) => p,
        CallOutcome::Refused(msg) => return RefundState::Unclear(format!("refundquery refused: {msg}")),
        CallOutcome::Unreachable(why) | CallOutcome::Unclear(why) => return RefundState::Unclear(why.clone()),
    };
    if field(p, "result_code") != "SUCCESS" {
        return match field(p, "err_code") {
            "REFUNDNOTEXIST" => RefundState::NotFound,
            _ => RefundState::Unclear(reason(p)),
        };
    }
    let count: usize = field(p, "refund_count").parse().unwrap_or(0);
    let Some(n) = (0..count.max(1)).find(|n| field(p, &format!("out_refund_no_{n}")) == out_refund_no) else {
        return RefundState::Unclear("refundquery did not list this out_refund_no".into());
    };
    let get = |k: &str| field(p, &format!("{k}_{n}")).to_string();
    let refund_id = Some(get("refund_id")).filter(|s| !s.is_empty());
    let at = super::time::parse(&get("refund_success_time"));
    let status = get("refund_status");
    if matches!(status.as_str(), "SUCCESS" | "CHANGE")
        && let Some(why) = asked.mismatch("refundquery", p, &format!("refund_fee_{n}"))
    {
        return RefundState::Unclear(why);
    }
    match status.as_str() {
        "SUCCESS" => RefundState::Success {
            refund_id,
            at,
            note: None,
        },
        "CHANGE" => RefundState::Success {
            refund_id,
            at,
            note: Some(
                "refund_status CHANGE: the customer's account refused the refund; settle it on the WeChat Pay merchant platform".into(),
            ),
        },
        "PROCESSING" => RefundState::Processing,
        "REFUNDCLOSE" => RefundState::Closed("refund_status REFUNDCLOSE: the refund was closed".into()),
        other => RefundState::Unclear(format!("refund_status {other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUB: &str = "1900000110";
    const ASKED: Asked = Asked {
        sub_mch_id: Some(SUB),
        total_fee: 100,
        refund_fee: None,
    };
    const ASKED_REFUND: Asked = Asked {
        refund_fee: Some(50),
        ..ASKED
    };

    /// A signed answer for our sub-merchant and amount unless `pairs` say otherwise.
    fn ans(pairs: &[(&str, &str)]) -> CallOutcome {
        let mut p = Params::from([
            ("sub_mch_id".to_string(), SUB.to_string()),
            ("total_fee".to_string(), "100".to_string()),
        ]);
        p.extend(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        p.insert("return_code".into(), "SUCCESS".into());
        CallOutcome::Answer(p)
    }

    fn fail(code: &str, des: &str) -> CallOutcome {
        ans(&[("result_code", "FAIL"), ("err_code", code), ("err_code_des", des)])
    }

    #[test]
    fn micropay_success_is_paid_with_its_transaction() {
        let d = micropay(
            &ans(&[
                ("result_code", "SUCCESS"),
                ("transaction_id", "4200000001"),
                ("out_trade_no", "1"),
                ("time_end", "20180711155345"),
            ]),
            "1",
            ASKED,
        );
        assert_eq!(
            d,
            PayDecision::Paid {
                transaction_id: "4200000001".into(),
                time_end: Some(1_531_295_625_000)
            }
        );
    }

    #[test]
    fn micropay_business_refusals_fail_with_their_reason() {
        assert_eq!(
            micropay(&fail("NOTENOUGH", "余额不足"), "1", ASKED),
            PayDecision::Failed("NOTENOUGH: 余额不足".into())
        );
        for code in ["AUTHCODEEXPIRE", "AUTH_CODE_INVALID", "ORDERREVERSED"] {
            assert!(
                matches!(micropay(&fail(code, "x"), "1", ASKED), PayDecision::Failed(_)),
                "{code}"
            );
        }
        assert_eq!(
            micropay(&CallOutcome::Refused("签名错误".into()), "1", ASKED),
            PayDecision::Failed("WeChat Pay refused the request: 签名错误".into())
        );
    }

    #[test]
    fn micropay_uncertainty_is_never_a_failure() {
        assert!(matches!(
            micropay(&fail("USERPAYING", "需要用户输入支付密码"), "1", ASKED),
            PayDecision::Unclear {
                wait: Wait::UserPaying,
                ..
            }
        ));
        for o in [
            fail("SYSTEMERROR", "系统超时"),
            fail("BANKERROR", "银行系统异常"),
            fail("ORDERPAID", "订单已支付"),
            fail("SOMETHING_NEW", "?"),
            ans(&[("result_code", "SUCCESS")]),
            ans(&[
                ("result_code", "SUCCESS"),
                ("transaction_id", "4"),
                ("out_trade_no", "2"),
            ]),
            CallOutcome::Unclear("timeout".into()),
        ] {
            assert!(
                matches!(
                    micropay(&o, "1", ASKED),
                    PayDecision::Unclear {
                        wait: Wait::SystemError,
                        ..
                    }
                ),
                "{o:?}"
            );
        }
    }

    #[test]
    fn orderquery_states() {
        let q = |state: &str| {
            orderquery(
                &ans(&[
                    ("result_code", "SUCCESS"),
                    ("trade_state", state),
                    ("transaction_id", "42"),
                    ("out_trade_no", "1"),
                ]),
                "1",
                ASKED,
            )
        };
        assert!(matches!(q("SUCCESS"), QueryState::Paid { .. }));
        assert!(matches!(q("REFUND"), QueryState::Paid { .. }));
        assert!(matches!(q("CLOSED"), QueryState::Closed(_)));
        assert!(matches!(q("REVOKED"), QueryState::Closed(_)));
        assert!(matches!(q("PAYERROR"), QueryState::PayError(_)));
        assert!(matches!(q("NOTPAY"), QueryState::NotPaid(_)));
        assert!(matches!(q("USERPAYING"), QueryState::Unclear(_)));
        assert!(matches!(
            orderquery(&fail("ORDERNOTEXIST", "x"), "1", ASKED),
            QueryState::NotPaid(_)
        ));
        assert!(matches!(
            orderquery(&fail("SYSTEMERROR", "x"), "1", ASKED),
            QueryState::Unclear(_)
        ));
        assert!(matches!(
            orderquery(&CallOutcome::Refused("x".into()), "1", ASKED),
            QueryState::Unclear(_)
        ));
    }

    #[test]
    fn reverse_is_repeated_until_it_is_done() {
        assert_eq!(
            reverse(&ans(&[("result_code", "SUCCESS"), ("recall", "N")])),
            ReverseResult::Done
        );
        assert!(matches!(
            reverse(&ans(&[("result_code", "SUCCESS"), ("recall", "Y")])),
            ReverseResult::Again(_)
        ));
        assert!(matches!(reverse(&fail("SYSTEMERROR", "x")), ReverseResult::Again(_)));
        assert!(matches!(
            reverse(&CallOutcome::Unclear("t".into())),
            ReverseResult::Again(_)
        ));
        assert!(matches!(
            reverse(&fail("REVERSE_EXPIRE", "x")),
            ReverseResult::Refused(_)
        ));
    }

    #[test]
    fn refunds_and_their_states() {
        assert_eq!(
            refund(
                &ans(&[
                    ("result_code", "SUCCESS"),
                    ("refund_id", "50"),
                    ("out_refund_no", "2"),
                    ("refund_fee", "50")
                ]),
                "2",
                ASKED_REFUND
            ),
            RefundDecision::Accepted {
                refund_id: Some("50".into())
            }
        );
        assert!(matches!(
            refund(&fail("SYSTEMERROR", "x"), "2", ASKED_REFUND),
            RefundDecision::Unclear(_)
        ));
        assert!(matches!(
            refund(&fail("NOTENOUGH", "x"), "2", ASKED_REFUND),
            RefundDecision::Failed(_)
        ));
        let rq = |status: &str| {
            refundquery(
                &ans(&[
                    ("result_code", "SUCCESS"),
                    ("refund_count", "2"),
                    ("out_refund_no_0", "other"),
                    ("out_refund_no_1", "2"),
                    ("refund_id_1", "50"),
                    ("refund_status_1", status),
                    ("refund_success_time_1", "2018-07-11 15:53:45"),
                    ("refund_fee_1", "50"),
                ]),
                "2",
                ASKED_REFUND,
            )
        };
        assert_eq!(
            rq("SUCCESS"),
            RefundState::Success {
                refund_id: Some("50".into()),
                at: Some(1_531_295_625_000),
                note: None
            }
        );
        assert!(matches!(rq("CHANGE"), RefundState::Success { note: Some(_), .. }));
        assert_eq!(rq("PROCESSING"), RefundState::Processing);
        assert!(matches!(rq("REFUNDCLOSE"), RefundState::Closed(_)));
        assert_eq!(
            refundquery(&fail("REFUNDNOTEXIST", "x"), "2", ASKED_REFUND),
            RefundState::NotFound
        );
        assert!(matches!(
            refundquery(&fail("SYSTEMERROR", "x"), "2", ASKED_REFUND),
            RefundState::Unclear(_)
        ));
    }

    #[test]
    fn a_success_for_another_sub_merchant_or_amount_settles_nothing() {
        let paid = |extra: &[(&str, &str)]| {
            let mut pairs = vec![
                ("result_code", "SUCCESS"),
                ("trade_state", "SUCCESS"),
                ("transaction_id", "42"),
                ("out_trade_no", "1"),
            ];
            pairs.extend_from_slice(extra);
            ans(&pairs)
        };
        for o in [
            paid(&[("total_fee", "1")]),
            paid(&[("sub_mch_id", "1900000999")]),
            paid(&[("sub_mch_id", "")]),
            paid(&[("total_fee", "")]),
        ] {
            assert!(
                matches!(
                    micropay(&o, "1", ASKED),
                    PayDecision::Unclear {
                        wait: Wait::SystemError,
                        ..
                    }
                ),
                "{o:?}"
            );
            assert!(matches!(orderquery(&o, "1", ASKED), QueryState::Unclear(_)), "{o:?}");
        }
        // A request without a sub-merchant checks the amount only.
        let no_sub = Asked {
            sub_mch_id: None,
            ..ASKED
        };
        assert!(matches!(
            micropay(&paid(&[("sub_mch_id", "")]), "1", no_sub),
            PayDecision::Paid { .. }
        ));
        // A failure needs no amount: it moves no money.
        assert!(matches!(
            micropay(&fail("NOTENOUGH", "x"), "1", no_sub),
            PayDecision::Failed(_)
        ));

        let refunded = |fee: &str| {
            ans(&[
                ("result_code", "SUCCESS"),
                ("out_refund_no", "2"),
                ("refund_fee", fee),
                ("refund_count", "1"),
                ("out_refund_no_0", "2"),
                ("refund_status_0", "SUCCESS"),
                ("refund_fee_0", fee),
            ])
        };
        assert!(matches!(
            refund(&refunded("50"), "2", ASKED_REFUND),
            RefundDecision::Accepted { .. }
        ));
        assert!(matches!(
            refund(&refunded("49"), "2", ASKED_REFUND),
            RefundDecision::Unclear(_)
        ));
        assert!(matches!(
            refundquery(&refunded("50"), "2", ASKED_REFUND),
            RefundState::Success { .. }
        ));
        assert!(matches!(
            refundquery(&refunded("49"), "2", ASKED_REFUND),
            RefundState::Unclear(_)
        ));
    }
}
