//! The Alipay protocol and this connector's rules: plain types and functions, no actix, no
//! diesel.

pub mod answer;
pub mod code;
pub mod merchant;
pub mod sign;

/// What a recorded trade is, and its state.
pub use connector_contract::shared::operation::{OpKind as Kind, TradeStatus as Status};

/// Fen → Alipay's yuan amount with two decimals (`1234` → `"12.34"`).
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.unsigned_abs();
    format!("{sign}{}.{:02}", fen / 100, fen % 100)
}

connector_contract::shared::text_enum! {
    /// What a pending trade waits for.
    pub enum Phase {
        /// The pay was sent; its answer was "waiting", "unknown" or none: query it.
        Querying = "querying",
        /// The query budget is spent: cancel it (retried while Alipay says so).
        Cancelling = "cancelling",
        /// A refund whose outcome is unknown: query it, then send the same refund again.
        Refunding = "refunding",
        /// Finished.
        Done = "done",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fen_become_yuan_with_two_decimals() {
        assert_eq!(yuan(1), "0.01");
        assert_eq!(yuan(10), "0.10");
        assert_eq!(yuan(1234), "12.34");
        assert_eq!(yuan(100_000_000_000), "1000000000.00");
        assert_eq!(yuan(-5), "-0.05");
    }
}
