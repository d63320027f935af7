//! Ledger rules: the statement's kinds, and when a repeated `clientRechargeNo` is the same
//! recharge. (The collections' filters and sorts are declared next to their tables, in
//! `db::repo`.)

/// Kinds of ledger entries.
pub mod kind {
    pub const RECHARGE: &str = "recharge";
    pub const PAY: &str = "pay";
    pub const REFUND: &str = "refund";
    pub const COUNT_ADD: &str = "count_add";
    pub const COUNT_USE: &str = "count_use";
    pub const COUNT_RESTORE: &str = "count_restore";
    pub const ALL: [&str; 6] = [RECHARGE, PAY, REFUND, COUNT_ADD, COUNT_USE, COUNT_RESTORE];
}

/// What a `clientRechargeNo` was used for: a repeat is the same request only when all match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RechargeKey<'a> {
    pub kind: &'a str,
    pub member_uuid: &'a str,
    pub amount: Option<i64>,
    /// The added item (merchandise, style, count), for count additions.
    pub counts: Option<&'a str>,
}

/// `None` when the repeat is the same request (a replay); else why it conflicts (409).
pub fn recharge_conflict(client_no: &str, recorded: &RechargeKey, incoming: &RechargeKey) -> Option<String> {
    if recorded == incoming {
        return None;
    }
    let what = if recorded.kind != incoming.kind {
        format!("a {}", recorded.kind.replace('_', " "))
    } else if recorded.member_uuid != incoming.member_uuid {
        "another member".to_string()
    } else if recorded.amount != incoming.amount {
        format!("another amount ({} fen)", recorded.amount.unwrap_or_default())
    } else {
        "other counts".to_string()
    };
    Some(format!("clientRechargeNo {client_no} was already used for {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_client_recharge_no_is_a_replay_only_when_everything_matches() {
        let r = RechargeKey {
            kind: kind::RECHARGE,
            member_uuid: "a",
            amount: Some(100),
            counts: None,
        };
        assert_eq!(recharge_conflict("r1", &r, &r.clone()), None);
        let more = RechargeKey {
            amount: Some(200),
            ..r.clone()
        };
        assert!(
            recharge_conflict("r1", &r, &more)
                .unwrap()
                .contains("another amount (100 fen)")
        );
        let other = RechargeKey {
            member_uuid: "b",
            ..r.clone()
        };
        assert!(recharge_conflict("r1", &r, &other).unwrap().contains("another member"));
        let add = RechargeKey {
            kind: kind::COUNT_ADD,
            amount: None,
            counts: Some("[]"),
            ..r.clone()
        };
        assert!(recharge_conflict("r1", &r, &add).unwrap().contains("a recharge"));
    }
}
