//! WeChat Pay API v2: signatures, XML, and the HTTP client of the five endpoints the
//! barcode-scanner flow uses (`/pay/micropay`, `/pay/orderquery`, `/secapi/pay/reverse`,
//! `/secapi/pay/refund`, `/pay/refundquery`).

pub mod client;
pub mod sign;
pub mod xml;

use std::collections::BTreeMap;

pub use client::{SubMerchant, WxClient};
pub use sign::SignType;

/// The parameters of a request or an answer.
pub type Params = BTreeMap<String, String>;

/// What one call to WeChat Pay came to, before any business meaning is read into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallOutcome {
    /// `return_code=SUCCESS` with a verified signature: read `result_code` and the rest.
    Answer(Params),
    /// `return_code=FAIL`: WeChat Pay refused the request before processing it (a wrong
    /// signature, a malformed parameter). Such answers are unsigned by protocol; the
    /// message is `return_msg`.
    Refused(String),
    /// The connection could not be made: the request never left this machine.
    Unreachable(String),
    /// Anything else — a timeout, a broken connection, an HTTP error, a body that is not the
    /// flat XML, an answer without or with a wrong signature: nobody knows what happened.
    Unclear(String),
}

impl CallOutcome {
    pub fn answer(&self) -> Option<&Params> {
        match self {
            CallOutcome::Answer(p) => Some(p),
            _ => None,
        }
    }
}

/// A parameter's value, `""` when absent.
pub fn field<'a>(p: &'a Params, key: &str) -> &'a str {
    p.get(key).map(String::as_str).unwrap_or("")
}
