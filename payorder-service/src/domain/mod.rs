//! Plain pay-order types and rules: no actix, no diesel.

pub mod pay_request;
pub mod status;

pub use pay_request::{PayBody, ValidPay};
pub use status::{BusinessRet, PayStatus};

use serde::{Deserialize, Serialize};

/// `orderBy` whitelists (API.md A.1).
pub const ORDER_FIELDS: [&str; 4] = ["id", "createdAt", "payAmount", "payFinishAt"];

/// The connector URLs of the pay mode at the moment of paying, kept with the order so the
/// resolver and refunds reach the same connector even if the mode changes later.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectorRoute {
    pub pay_url: Option<String>,
    pub query_url: Option<String>,
    pub refund_url: Option<String>,
}

/// Machine-readable `resultCode`s this service sets on failed orders.
pub mod result_code {
    /// The connector answered `failed`.
    pub const CONNECTOR_FAILED: &str = "CONNECTOR_FAILED";
    /// The connector refused the request or could not be reached: nothing was done.
    pub const CONNECTOR_REJECTED: &str = "CONNECTOR_REJECTED";
    /// The order expired without an outcome and the connector confirmed it holds no money.
    pub const EXPIRED: &str = "EXPIRED";
}

/// Delay before the resolver's `attempt`-th retry: doubling from `base`, capped at `max`.
pub fn backoff_ms(attempt: i32, base: u64, max: u64) -> i64 {
    let factor = 1u64 << attempt.clamp(0, 20);
    base.saturating_mul(factor).min(max) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff_ms(0, 2000, 60_000), 2000);
        assert_eq!(backoff_ms(3, 2000, 60_000), 16_000);
        assert_eq!(backoff_ms(10, 2000, 60_000), 60_000);
        assert_eq!(backoff_ms(1000, 2000, 60_000), 60_000);
    }
}
