//! A local WeChat Pay API v2 server for development and tests. It answers
//! `/pay/micropay`, `/pay/orderquery`, `/secapi/pay/reverse`, `/secapi/pay/refund` and
//! `/pay/refundquery` as the real one does: flat `<xml>` requests whose signature it verifies
//! (MD5, or HMAC-SHA256 when `sign_type=HMAC-SHA256`; a wrong one is `return_code=FAIL`,
//! `return_msg=签名错误`), answers signed the same way (`return_code=FAIL` answers are
//! unsigned, as WeChat Pay's), the real `result_code`/`err_code`/`trade_state`/`refund_status`
//! values and field names. Service-provider mode: `sub_mch_id` is required, and trades live in
//! memory per sub-merchant.
//!
//! # Behaviour by payment code
//!
//! A WeChat Pay payment code is 18 digits starting with 10-15; its **third and fourth digits**
//! choose what happens (as in the Alipay simulator):
//!
//! | auth_code | micropay answers | then |
//! |---|---|---|
//! | `13 11 …` `131100000000000001` | `USERPAYING` (the customer is entering the password) | `orderquery`: `USERPAYING` for `userpaying_queries` queries (default 2), then `SUCCESS` |
//! | `13 12 …` `131200000000000001` | `USERPAYING` | `USERPAYING` forever; `reverse` → `recall=N`, `REVOKED` |
//! | `13 13 …` `131300000000000001` | `NOTENOUGH` (余额不足) | the trade is `PAYERROR` |
//! | `13 14 …` `131400000000000001` | `SYSTEMERROR` | the payment did go through: `orderquery` → `SUCCESS` |
//! | `13 15 …` `131500000000000001` | `AUTH_CODE_INVALID` | no trade |
//! | `13 16 …` `131600000000000001` | `SUCCESS`, but only after `slow_answer_ms` (default 12 s: a client timeout, no answer) | `orderquery` → `SUCCESS` |
//! | `13 17 …` `131700000000000001` | `USERPAYING` | like `12`, but the first `reverse` answers `recall=Y` (call again) |
//! | `13 18 …` `131800000000000001` | `USERPAYING` | the customer pays just before the reverse: `orderquery` → `USERPAYING` until the first `reverse`, which returns the money (`REVOKED`) |
//! | `13 19 …` `131900000000000001` | `SUCCESS` | its first `refund` answers `SYSTEMERROR` although the refund is made (`refundquery` shows it) |
//! | `13 21 …` `132100000000000001` | `BANKERROR` | paid: `orderquery` → `SUCCESS` |
//! | `13 22 …` `132200000000000001` | `SYSTEMERROR` | the trade was never created: `orderquery` → `ORDERNOTEXIST`; `reverse` → `REVOKED` |
//! | `13 23 …` `132300000000000001` | `SUCCESS` with a **wrong signature** | paid: `orderquery` (correctly signed) → `SUCCESS` |
//! | `13 24 …` `132400000000000001` | `AUTHCODEEXPIRE` (二维码已过期) | no trade |
//! | `13 25 …` `132500000000000001` | `SUCCESS` | its refunds stay `PROCESSING` for `refund_processing_queries` refundqueries (default 1), then `SUCCESS` |
//! | `13 26 …` `132600000000000001` | `USERPAYING` | the customer gives up: `USERPAYING` for `userpaying_queries` queries, then `NOTPAY`; `reverse` → `REVOKED` |
//! | anything else, e.g. `134500000000000001` | `SUCCESS`, paid at once | `SUCCESS` |
//! | not 18 digits starting 10-15 | `AUTH_CODE_INVALID` | no trade |
//!
//! Refunds (`/secapi/pay/refund`, keyed by `out_refund_no`) of a paid trade succeed up to what
//! is left of it (`refundquery` → `SUCCESS`); the same `out_refund_no` again answers the same
//! refund and refunds nothing more; too much: `ERROR 累计退款金额大于支付金额`; unknown trade:
//! `ORDERNOTEXIST`; unpaid: `TRADE_STATE_ERROR`. A reverse of a paid trade returns the money
//! (`REVOKED`); of an unknown one closes the number for good. A repeated micropay of a known
//! `out_trade_no` answers as WeChat Pay does (`ORDERPAID`, `ORDERREVERSED`, `USERPAYING`,
//! `TRADE_ERROR`, or `OUT_TRADE_NO_USED` for another code or amount).
//!
//! Every call is written to the [`Journal`] of the [`Config`], so a test can see what the
//! connector sent (`journal.count("/secapi/pay/reverse", out_trade_no)`).

mod proto;
mod server;

use crate::journal::Recorded;

pub use proto::{Params, SignType, from_xml, sign, to_xml, verify};

/// DEVELOPMENT ONLY: the API key the simulator signs and verifies with by default. The
/// one-process development configuration gives the connector the same key.
pub const DEV_API_KEY: &str = "devonly0wechat0simulator0key0000";
/// DEVELOPMENT ONLY: the service provider's app id the simulator expects by default.
pub const DEV_APPID: &str = "wx0123456789abcdef";
/// DEVELOPMENT ONLY: the service provider's merchant id the simulator expects by default.
pub const DEV_MCH_ID: &str = "1900000109";

/// How the simulator behaves.
#[derive(Debug, Clone)]
pub struct Config {
    /// The API key requests are signed with (and answers are signed with).
    pub api_key: String,
    /// The service provider's `appid` (else `APPID_MCHID_NOT_MATCH`).
    pub appid: String,
    /// The service provider's `mch_id` (else `return_code=FAIL`).
    pub mch_id: String,
    /// Payment codes `xx11…`: orderqueries answered `USERPAYING` before `SUCCESS`.
    pub userpaying_queries: u32,
    /// Payment codes `xx16…`: how long micropay holds its answer.
    pub slow_answer_ms: u64,
    /// Payment codes `xx25…`: refundqueries answered `PROCESSING` before `SUCCESS`.
    pub refund_processing_queries: u32,
    /// Every call received, for tests.
    pub journal: Journal,
}

impl Default for Config {
    /// The DEVELOPMENT key, app id and merchant id; `userpaying_queries` 2, `slow_answer_ms`
    /// 12 s, `refund_processing_queries` 1.
    fn default() -> Self {
        Self {
            api_key: DEV_API_KEY.into(),
            appid: DEV_APPID.into(),
            mch_id: DEV_MCH_ID.into(),
            userpaying_queries: 2,
            slow_answer_ms: 12_000,
            refund_processing_queries: 1,
            journal: Journal::default(),
        }
    }
}

/// One call the simulator received, and what it answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// `/pay/micropay`, `/pay/orderquery`, ...
    pub path: String,
    pub sub_mch_id: Option<String>,
    pub out_trade_no: Option<String>,
    pub out_refund_no: Option<String>,
    pub return_code: String,
    pub result_code: Option<String>,
    pub err_code: Option<String>,
    /// `trade_state` of an orderquery, `recall` of a reverse, `refund_status_0` of a
    /// refundquery.
    pub state: Option<String>,
}

impl Recorded for Call {
    fn endpoint(&self) -> &str {
        &self.path
    }

    /// About the trade `out_trade_no`, or (refunds, refundqueries) the refund of that number.
    fn about(&self, out_trade_no: &str) -> bool {
        self.out_trade_no.as_deref() == Some(out_trade_no) || self.out_refund_no.as_deref() == Some(out_trade_no)
    }
}

/// The calls received (`count` takes a path), shared with whoever holds a clone.
pub type Journal = crate::journal::Journal<Call>;

/// Serves the five endpoints on `listener`.
pub fn build(listener: std::net::TcpListener, config: Config) -> std::io::Result<actix_web::dev::Server> {
    server::build(listener, config)
}
