//! Plain pay mode types and rules: no actix, no diesel.

pub mod check_env;
pub mod connector_urls;
pub mod fields;
pub mod listing;
pub mod paymode;
pub mod template;

pub use connector_urls::UrlPolicy;
pub use paymode::{NewPayMode, PayModeData, PayModeRequest, Update};
pub use template::{Template, TemplateStatus};
