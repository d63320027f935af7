//! Plain pay-order types and rules: no actix; the statuses are text columns (`text_enum!`).

pub mod pay_request;
pub mod status;

pub use pay_request::{PayBody, ValidPay};
pub use status::{BusinessRet, PayStatus, TradeType};

use serde::{Deserialize, Serialize};

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
