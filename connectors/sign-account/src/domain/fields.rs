//! Field-level validation shared by the management requests: free text, merchant references.

use crate::error::Error;

pub fn invalid(msg: impl Into<String>) -> Error {
    Error::Invalid(msg.into())
}

// Tested where they live, in `shared::fields`.
pub use connector_contract::shared::fields::{name, named_merchant, nullable, text};
