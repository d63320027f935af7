//! The life of a trade in this connector. A pay starts at `micropay`; an unclear answer moves
//! it to `query` (polled until paid, closed, or the budget ends), then `reverse` (repeated
//! until WeChat Pay confirms), and `settle` when WeChat Pay refuses to reverse (the trade's
//! own state decides). A refund starts at `refund` and goes through `refundquery`.

macro_rules! string_enum {
    ($name:ident { $($variant:ident = $s:literal),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

string_enum!(Kind { Pay = "pay", Refund = "refund" });
string_enum!(Status { Pending = "pending", Success = "success", Failed = "failed" });
string_enum!(Step {
    Micropay = "micropay",
    Query = "query",
    Reverse = "reverse",
    Settle = "settle",
    Refund = "refund",
    RefundQuery = "refundquery",
    Done = "done",
});

/// `base` doubled per attempt, at most five minutes.
pub fn backoff_ms(base: u64, attempts: i32) -> i64 {
    let factor = 1u64 << attempts.clamp(0, 10);
    base.max(1).saturating_mul(factor).min(300_000) as i64
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
