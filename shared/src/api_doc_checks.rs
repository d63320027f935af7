//! The two checks every crate's `api_doc` unit tests make of its part of the OpenAPI document,
//! on top of [`crate::api_doc::assert_well_formed`]: that it describes exactly the operations
//! the crate serves, all under the crate's tag, and that its schemas keep the names clients
//! see and every `$ref` points at one of them.

use std::collections::BTreeSet;

use crate::api_doc::{assert_well_formed, operations};

/// Panics unless `doc` is well formed and describes exactly `want` (`(path, method,
/// operationId)`), every one of them tagged `tag` alone.
pub fn assert_operations(doc: &utoipa::openapi::OpenApi, tag: &str, want: &[(&str, &str, &str)]) {
    assert_well_formed(doc);
    let want: BTreeSet<_> = want
        .iter()
        .map(|(p, m, id)| (p.to_string(), m.to_string(), id.to_string()))
        .collect();
    assert_eq!(operations(doc), want);
    let json = serde_json::to_value(doc).unwrap();
    for (path, method, _) in &want {
        assert_eq!(
            json["paths"][path][method]["tags"],
            serde_json::json!([tag]),
            "{method} {path}"
        );
    }
}

/// Panics unless `doc` has a schema by each of `names` and every `$ref` in it resolves.
pub fn assert_schemas_resolve(doc: &utoipa::openapi::OpenApi, names: &[&str]) {
    let doc = serde_json::to_value(doc).unwrap();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in names {
        assert!(schemas.contains_key(*name), "schema {name}");
    }
    let text = doc.to_string();
    for piece in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = piece.split('"').next().unwrap();
        assert!(schemas.contains_key(name), "unresolved $ref {name}");
    }
}
