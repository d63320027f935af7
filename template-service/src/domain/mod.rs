//! Plain template types and rules: no actix, no diesel.

pub mod builtin;
pub mod template;

pub use template::{RegisterRequest, Status, TemplateData, TemplatePatch};
