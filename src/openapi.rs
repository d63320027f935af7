//! The public API's OpenAPI document, generated from the code: every service and connector
//! describes its own public handlers with `utoipa` (`<crate>::api_doc::openapi()`); this module
//! puts them into the gateway's frame (`gateway/openapi/frame.json`: title and guide, servers,
//! tags, the common error answers and the gateway's own operational paths) and adds to every
//! operation the answers every public route can give (bad input, auth, limits, upstream
//! failures), so handlers only list what is specific to them.
//!
//! The gateway serves the committed `gateway/openapi/openapi.json`; `tests/openapi.rs` fails
//! when it differs from [`document`]. Regenerate it with
//! `cargo run -- openapi > gateway/openapi/openapi.json`.

use serde_json::{Map, Value, json};

const FRAME: &str = include_str!("../gateway/openapi/frame.json");

/// The answers every authenticated public operation can give besides its own, by status.
const COMMON: [(&str, &str); 9] = [
    ("400", "BadRequest"),
    ("401", "Unauthorized"),
    ("403", "Forbidden"),
    ("413", "PayloadTooLarge"),
    ("429", "TooManyRequests"),
    ("500", "InternalError"),
    ("502", "BadGateway"),
    ("503", "ServiceUnavailable"),
    ("504", "GatewayTimeout"),
];

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

/// The parts, one per service or connector that has public routes, by the name the gateway
/// routes to.
pub fn parts() -> Vec<(&'static str, utoipa::openapi::OpenApi)> {
    crate::parts::PARTS
        .iter()
        .filter_map(|p| p.api_doc.map(|doc| (p.name, doc())))
        .collect()
}

fn object(v: &mut Value) -> &mut Map<String, Value> {
    if !v.is_object() {
        *v = Value::Object(Map::new());
    }
    v.as_object_mut().expect("just made an object")
}

/// The merged document.
pub fn document() -> Value {
    let mut doc: Value = serde_json::from_str(FRAME).expect("gateway/openapi/frame.json is JSON");
    doc["openapi"] = json!("3.1.0");
    let error = serde_json::to_value(<payserver_shared::ApiError as utoipa::PartialSchema>::schema())
        .expect("the error schema serializes");
    object(&mut doc["components"]["schemas"]).insert("Error".into(), error);
    for (_, part) in parts() {
        let part = serde_json::to_value(part).expect("a utoipa document serializes");
        for (path, item) in part["paths"].as_object().into_iter().flatten() {
            let at = object(object(&mut doc["paths"]).entry(path.clone()).or_insert(json!({})));
            for (method, op) in item.as_object().into_iter().flatten() {
                assert!(
                    at.insert(method.clone(), op.clone()).is_none(),
                    "{method} {path} is described twice"
                );
            }
        }
        for (kind, entries) in part["components"].as_object().into_iter().flatten() {
            let into = object(object(&mut doc["components"]).entry(kind.clone()).or_insert(json!({})));
            for (name, schema) in entries.as_object().into_iter().flatten() {
                if let Some(old) = into.get(name) {
                    assert_eq!(old, schema, "two different components are both named {name}");
                }
                into.insert(name.clone(), schema.clone());
            }
        }
    }
    name_collections(&mut doc);
    for (path, item) in object(&mut doc["paths"]).iter_mut() {
        if !path.starts_with("/api/") {
            continue;
        }
        for method in METHODS {
            let Some(op) = item.get_mut(method) else {
                continue;
            };
            let responses = object(&mut op["responses"]);
            for (status, name) in COMMON {
                responses
                    .entry(status)
                    .or_insert_with(|| json!({ "$ref": format!("#/components/responses/{name}") }));
            }
        }
    }
    doc
}

/// utoipa names a generic `Collection<T>` `Collection_T` and writes its items inline. Here it
/// becomes `TCollection` (the names clients' generated code has used since the first
/// document), and where the inline items are a component's schema, a `$ref` to it.
fn name_collections(doc: &mut Value) {
    let schemas = std::mem::take(object(&mut doc["components"]["schemas"]));
    let mut renamed = Map::new();
    for (name, mut schema) in schemas.clone() {
        let Some(item) = name.strip_prefix("Collection_") else {
            renamed.insert(name, schema);
            continue;
        };
        let items = &mut schema["properties"]["items"]["items"];
        if items.get("$ref").is_none() && schemas.get(item) == Some(&*items) {
            *items = json!({ "$ref": format!("#/components/schemas/{item}") });
        }
        renamed.insert(format!("{item}Collection"), schema);
    }
    doc["components"]["schemas"] = Value::Object(renamed);
    let mut text = doc.to_string();
    for name in schemas.keys().filter(|n| n.starts_with("Collection_")) {
        let item = &name["Collection_".len()..];
        text = text.replace(
            &format!("\"#/components/schemas/{name}\""),
            &format!("\"#/components/schemas/{item}Collection\""),
        );
    }
    *doc = serde_json::from_str(&text).expect("renaming refs keeps JSON");
}

/// The document as committed: pretty JSON with a final newline.
pub fn document_text() -> String {
    let mut text = serde_json::to_string_pretty(&document()).expect("JSON serializes");
    text.push('\n');
    text
}
