//! The life of a trade in this connector. A pay starts at `micropay`; an unclear answer moves
//! it to `query` (polled until paid, closed, or the budget ends), then `reverse` (repeated
//! until WeChat Pay confirms), and `settle` when WeChat Pay refuses to reverse (the trade's
//! own state decides). A refund starts at `refund` and goes through `refundquery`.

use connector_contract::shared::jobs;
use connector_contract::shared::text_enum;

/// What a trade is, and where it stands: pending until the worker (or the first answer) settles it.
pub use connector_contract::shared::operation::{OpKind as Kind, TradeStatus as Status};

text_enum! {
    /// The next call a pending trade waits for (`done` once settled).
    pub enum Step {
        Micropay = "micropay",
        Query = "query",
        Reverse = "reverse",
        Settle = "settle",
        Refund = "refund",
        RefundQuery = "refundquery",
        Done = "done",
    }
}

/// The longest wait between two tries of a step: five minutes.
const MAX_BACKOFF_MS: u64 = 300_000;

/// `base` doubled per attempt, at most five minutes.
pub fn backoff_ms(base: u64, attempts: i32) -> i64 {
    jobs::backoff_ms(attempts, base, MAX_BACKOFF_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in [
            Step::Micropay,
            Step::Query,
            Step::Reverse,
            Step::Settle,
            Step::Refund,
            Step::RefundQuery,
            Step::Done,
        ] {
            assert_eq!(Step::parse(s.as_str()), Some(s));
        }
        assert_eq!(Status::parse("success"), Some(Status::Success));
        assert_eq!(Kind::parse("x"), None);
    }

    #[test]
    fn backoff_doubles_up_to_five_minutes() {
        assert_eq!(backoff_ms(100, 0), 100);
        assert_eq!(backoff_ms(100, 3), 800);
        assert_eq!(backoff_ms(10_000, 9), 300_000);
    }
}
