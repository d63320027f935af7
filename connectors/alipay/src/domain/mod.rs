//! The Alipay protocol and this connector's rules: plain types and functions, no actix, no
//! diesel.

pub mod answer;
pub mod code;
pub mod merchant;
pub mod sign;

/// Fen → Alipay's yuan amount with two decimals (`1234` → `"12.34"`).
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.unsigned_abs();
    format!("{sign}{}.{:02}", fen / 100, fen % 100)
}

/// The state of a recorded trade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pending,
    Success,
    Failed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Success => "success",
            Status::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Status {
        match s {
            "success" => Status::Success,
            "failed" => Status::Failed,
            _ => Status::Pending,
        }
    }
}

/// What a pending trade waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// The pay was sent; its answer was "waiting", "unknown" or none: query it.
    Querying,
    /// The query budget is spent: cancel it (retried while Alipay says so).
    Cancelling,
    /// A refund whose outcome is unknown: query it, then send the same refund again.
    Refunding,
    /// Finished.
    Done,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Querying => "querying",
            Phase::Cancelling => "cancelling",
            Phase::Refunding => "refunding",
            Phase::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Phase {
        match s {
            "cancelling" => Phase::Cancelling,
            "refunding" => Phase::Refunding,
            "done" => Phase::Done,
            _ => Phase::Querying,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pay,
    Refund,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Pay => "pay",
            Kind::Refund => "refund",
        }
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
