//! The services and URLs paymode-service calls: template-service (template lookups; cached
//! briefly for display only), payorder-service (does a mode have orders?), both on their
//! `/internal/v1` routes, and templates' checkEnvUrls.

pub mod cache;
pub mod check_env;
pub mod pay_orders;
pub mod templates;

pub use pay_orders::PayOrderProbe;
pub use templates::{TemplateClient, TemplateEntry};
