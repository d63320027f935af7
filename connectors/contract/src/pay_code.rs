//! The customer's payment code (付款码): its digits tell its channel. A WeChat Pay code is 18
//! digits starting with 10-15; an Alipay code is 16-24 digits starting with 25-30. Both
//! connectors refuse a code of the other channel before anyone is called, so they tell the
//! channels apart with this one rule (each had written it out).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Wechat,
    Alipay,
    Unknown,
}

/// The channel of a scanned code.
pub fn channel(code: &str) -> Channel {
    if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Channel::Unknown;
    }
    let prefix: u32 = code.get(..2).and_then(|p| p.parse().ok()).unwrap_or(0);
    match (code.len(), prefix) {
        (18, 10..=15) => Channel::Wechat,
        (16..=24, 25..=30) => Channel::Alipay,
        _ => Channel::Unknown,
    }
}
