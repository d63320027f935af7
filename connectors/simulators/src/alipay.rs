//! A local Alipay open API gateway (`POST /gateway.do`) for development and tests. It answers
//! `alipay.trade.pay`, `alipay.trade.query`, `alipay.trade.cancel`, `alipay.trade.refund` and
//! `alipay.trade.fastpay.refund.query` as the real gateway does: form-encoded requests whose
//! RSA2 signature it verifies with the application's public key (a wrong one is `40002
//! isv.invalid-signature`, naming the string it checked), `{"<method>_response": {...},
//! "sign": "..."}` answers signed over the raw node text with Alipay's private key, the real
//! codes (`10000`, `10003`, `20000`, `20001`, `40001`, `40002`, `40004`) and `sub_code`s.
//! Trades live in memory, per `app_auth_token` (each merchant sees only its own).
//!
//! # Behaviour by payment code
//!
//! An Alipay payment code is 16-24 digits starting with 25-30; its **third and fourth digits**
//! choose what happens (the examples are 18 digits):
//!
//! | auth_code | pay answers | then |
//! |---|---|---|
//! | `28 11 …` `281100000000000001` | `10003` (waiting for the customer) | `alipay.trade.query`: `WAIT_BUYER_PAY`, then `TRADE_SUCCESS` from the `paying_queries`-th query on (default 2) |
//! | `28 12 …` `281200000000000001` | `10003` | `WAIT_BUYER_PAY` forever; `alipay.trade.cancel` → `action=close`, `TRADE_CLOSED` |
//! | `28 13 …` `281300000000000001` | `40004 ACQ.BUYER_BALANCE_NOT_ENOUGH` (买家余额不足) | the trade is `TRADE_CLOSED` |
//! | `28 14 …` `281400000000000001` | `20000 isp.unknow-error` (system busy) | the payment did go through: query → `TRADE_SUCCESS` |
//! | `28 15 …` `281500000000000001` | `40004 ACQ.PAYMENT_AUTH_CODE_INVALID` | no trade |
//! | `28 16 …` `281600000000000001` | `10000`, but only after `slow_delay_ms` (default 12 s: a client timeout, no answer) | query → `TRADE_SUCCESS` |
//! | `28 17 …` `281700000000000001` | `10003` | like `12`, but the first cancel answers `40004 ACQ.SYSTEM_ERROR` with `retry_flag=Y` |
//! | `28 18 …` `281800000000000001` | `10003` | like `12`, but the customer pays just before the cancel: `action=refund` |
//! | `28 19 …` `281900000000000001` | `10000` | paid; its first refund answers `20000` although the refund is made (`alipay.trade.fastpay.refund.query` shows it) |
//! | anything else, e.g. `280000000000000001` | `10000` paid at once | `TRADE_SUCCESS` |
//! | not 16-24 digits starting 25-30 | `40004 ACQ.PAYMENT_AUTH_CODE_INVALID` | no trade |
//!
//! Refunds (`alipay.trade.refund`, keyed by `out_request_no`) succeed for a paid trade up to
//! what is left of it (`fund_change=Y`; the same `out_request_no` again: `fund_change=N`, no
//! second refund; too much: `ACQ.REFUND_AMT_NOT_EQUAL_TOTAL`; unknown trade:
//! `ACQ.TRADE_NOT_EXIST`; unpaid: `ACQ.TRADE_STATUS_ERROR`); a fully refunded trade becomes
//! `TRADE_CLOSED`. A repeated pay of a known `out_trade_no` answers as Alipay does
//! (`ACQ.TRADE_HAS_SUCCESS`, `ACQ.TRADE_HAS_CLOSE`, `10003`, or `ACQ.CONTEXT_INCONSISTENT` for
//! another amount or code). An `app_auth_token` containing `invalid` is refused with `20001
//! aop.invalid-auth-token`.
//!
//! Every call is written to the [`Journal`] of the [`Config`], so a test can see what the
//! connector sent (`journal.count("alipay.trade.cancel", out_trade_no)`).

mod server;
mod sign;

use std::path::Path;

use crate::journal::Recorded;

/// The development application id the simulator expects.
pub const DEV_APP_ID: &str = "2021000100000001";

/// DEVELOPMENT KEYS (connectors/alipay/tests/keys): the application's public key, with which
/// the simulator verifies requests.
pub const DEV_APP_PUBLIC_KEY: &str = include_str!("../../alipay/tests/keys/app_public_key.pem");
/// DEVELOPMENT KEYS (connectors/alipay/tests/keys): "Alipay's" private key, with which the
/// simulator signs its answers.
pub const DEV_ALIPAY_PRIVATE_KEY: &str = include_str!("../../alipay/tests/keys/alipay_private_key.pem");

/// How the simulator behaves.
#[derive(Clone)]
pub struct Config {
    /// The application id requests must carry (else `40002 isv.invalid-app-id`).
    pub app_id: String,
    /// The application's public key (SubjectPublicKeyInfo or PKCS#1; PEM or bare Base64),
    /// to verify requests.
    pub app_public_key: String,
    /// Alipay's private key (PKCS#8 or PKCS#1; PEM or bare Base64), to sign answers.
    pub alipay_private_key: String,
    /// Payment codes `xx11…`: queries answered `WAIT_BUYER_PAY` before `TRADE_SUCCESS` is
    /// (the `paying_queries`-th query is the first to see it paid).
    pub paying_queries: u32,
    /// Payment codes `xx16…`: how long the pay answer takes.
    pub slow_delay_ms: u64,
    /// Added before every answer.
    pub response_delay_ms: u64,
    /// Every call received, for tests.
    pub journal: Journal,
}

impl Default for Config {
    /// The development keys and app id; `paying_queries` 2; `slow_delay_ms` 12 s.
    fn default() -> Self {
        Self {
            app_id: DEV_APP_ID.into(),
            app_public_key: DEV_APP_PUBLIC_KEY.into(),
            alipay_private_key: DEV_ALIPAY_PRIVATE_KEY.into(),
            paying_queries: 2,
            slow_delay_ms: 12_000,
            response_delay_ms: 0,
            journal: Journal::default(),
        }
    }
}

impl Config {
    /// The defaults with keys read from PEM (or Base64) files.
    pub fn with_key_files(
        app_public_key: impl AsRef<Path>,
        alipay_private_key: impl AsRef<Path>,
    ) -> std::io::Result<Self> {
        Ok(Self {
            app_public_key: std::fs::read_to_string(app_public_key)?,
            alipay_private_key: std::fs::read_to_string(alipay_private_key)?,
            ..Self::default()
        })
    }
}

/// One call the simulator received, and what it answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub method: String,
    pub out_trade_no: Option<String>,
    pub out_request_no: Option<String>,
    pub app_auth_token: Option<String>,
    pub code: String,
    pub sub_code: Option<String>,
}

impl Recorded for Call {
    fn endpoint(&self) -> &str {
        &self.method
    }

    fn about(&self, out_trade_no: &str) -> bool {
        self.out_trade_no.as_deref() == Some(out_trade_no)
    }
}

/// The calls received (`count` takes a method), shared with whoever holds a clone.
pub type Journal = crate::journal::Journal<Call>;

/// Serves `POST /gateway.do` (and `GET`, parameters in the query string) on `listener`.
/// Refuses keys it cannot use.
pub fn build(listener: std::net::TcpListener, config: Config) -> std::io::Result<actix_web::dev::Server> {
    server::build(listener, config)
}
