//! Ledger rules: the statement's kinds, and when a repeated `clientRechargeNo` is the same
//! recharge. (The collections' filters and sorts are declared next to their tables, in
//! `db::repo`.)

connector_contract::shared::text_enum! {
    /// What a ledger entry did: the balance moves on recharge, pay and refund, the counts on
    /// count_add, count_use and count_restore.
    pub enum EntryKind {
        Recharge = "recharge",
        Pay = "pay",
        Refund = "refund",
        CountAdd = "count_add",
        CountUse = "count_use",
        CountRestore = "count_restore",
    }
}

/// What a `clientRechargeNo` was used for: a repeat is the same request only when all match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RechargeKey<'a> {
    pub kind: EntryKind,
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
        format!("a {}", recorded.kind.as_str().replace('_', " "))
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
            kind: EntryKind::Recharge,
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
            kind: EntryKind::CountAdd,
            amount: None,
            counts: Some("[]"),
            ..r.clone()
        };
        assert!(recharge_conflict("r1", &r, &add).unwrap().contains("a recharge"));
    }
}
