//! Checks every service's part of the OpenAPI document passes in its own unit tests
//! (`<crate>::api_doc::openapi()`): the operations it describes, each with a success answer
//! and no security of its own (the merged document's default applies), and path parameters
//! that match the path.

use std::collections::BTreeSet;

use serde_json::Value;

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

/// `(path, method, operationId)` of every operation of `doc`.
pub fn operations(doc: &utoipa::openapi::OpenApi) -> BTreeSet<(String, String, String)> {
    let doc = serde_json::to_value(doc).expect("a document serializes");
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for m in METHODS {
            if let Some(op) = item.get(m) {
                let id = op["operationId"].as_str().unwrap_or_default().to_string();
                out.insert((path.clone(), m.to_string(), id));
            }
        }
    }
    out
}

/// Panics, naming the operation, unless every operation of `doc` has an operationId, a 2xx
/// answer, no `security` of its own, and exactly its path's `{parameters}` as required path
/// parameters.
pub fn assert_well_formed(doc: &utoipa::openapi::OpenApi) {
    let doc = serde_json::to_value(doc).expect("a document serializes");
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for m in METHODS {
            let Some(op) = item.get(m) else { continue };
            let at = format!("{m} {path}");
            assert!(op["operationId"].is_string(), "{at}: operationId");
            let responses = op["responses"].as_object().cloned().unwrap_or_default();
            assert!(responses.keys().any(|s| s.starts_with('2')), "{at}: no 2xx answer");
            assert!(op.get("security").is_none(), "{at}: security is the merged document's");
            let declared: BTreeSet<String> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "path")
                .map(|p| {
                    assert_eq!(p["required"], Value::Bool(true), "{at}: path parameter {}", p["name"]);
                    p["name"].as_str().unwrap_or_default().to_string()
                })
                .collect();
            let expected: BTreeSet<String> = path
                .split('/')
                .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
                .map(str::to_string)
                .collect();
            assert_eq!(declared, expected, "{at}: path parameters");
        }
    }
}
