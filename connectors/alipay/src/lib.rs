//! alipay: the Alipay barcode-scanner connector (支付宝扫码枪). POS clients scan the customer's
//! payment code; this crate charges it with `alipay.trade.pay` (`scene=bar_code`) through the
//! Alipay open API, RSA2-signed, in ISV mode with each merchant's `app_auth_token`, behind the
//! connector contract (API.md A.6), and serves `/alipayMerchants` for those tokens.
//!
//! See [`connector`] for the protocol rules and [`worker`] for the background resolution of
//! trades whose outcome is not known at once.

pub mod api_doc;
pub mod config;
pub mod connector;
pub mod domain;
pub mod gateway;
pub mod routes;
pub mod startup;

mod db;
mod error;
mod worker;

pub use config::AlipaySettings;
pub use connector::AlipayConnector;
pub use startup::Application;
