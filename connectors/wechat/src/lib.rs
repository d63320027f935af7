//! The WeChat Pay barcode-scanner connector (微信扫码枪): the connector contract (API.md A.6)
//! on WeChat Pay API v2 `micropay` in service-provider mode, with `orderquery`/`reverse` for
//! uncertain outcomes and `refund`/`refundquery`, plus the per-merchant management API
//! `/wechatMerchants/{merchantUUID}`.
//!
//! Configuration: `[connectors.wechat]` ([`WechatSettings`]); service `[services.wechat]`
//! (port 6203). The local simulator of WeChat Pay is `simulators::wechat`.

pub mod api_doc;
pub mod connector;
pub mod routes;
pub mod settings;
pub mod startup;
pub mod wxpay;

mod db;
mod domain;
mod error;
mod notify;
mod worker;

pub use connector::WechatConnector;
pub use settings::WechatSettings;
pub use startup::Application;
