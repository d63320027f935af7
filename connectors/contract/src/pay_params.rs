//! Reading a pay's `payParams`, the connector's own object the platform passes through. What
//! is wrong in it is the reason the pay is refused (`ret: failed`), never an error.

use serde_json::{Map, Value};

use crate::shared::ids::is_uuid;

/// The uuid at `payParams.<key>`, trimmed, or why the pay is refused: missing (or `null`, or
/// blank), not a string, or a string that names no `what` (a uuid it cannot be).
pub fn uuid_param(params: &Map<String, Value>, key: &str, what: &str) -> Result<String, String> {
    match params.get(key) {
        None | Some(Value::Null) => Err(format!("payParams.{key} is required")),
        Some(Value::String(s)) if is_uuid(s.trim()) => Ok(s.trim().to_string()),
        Some(Value::String(s)) if s.trim().is_empty() => Err(format!("payParams.{key} is required")),
        Some(Value::String(s)) => Err(format!("unknown {what} {s:?}")),
        Some(_) => Err(format!("payParams.{key} must be a string")),
    }
}

/// The object `v` is, as a `payParams` (or `clientExtraParams`) map; any other JSON panics.
/// For the connectors' tests, which write their params with `json!`.
pub fn params(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}
