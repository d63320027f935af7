//! template-service's part of the public OpenAPI document: its `/api/v1.0.0` operations and
//! their schemas. The workspace merges the parts into the gateway's document and adds the
//! answers every public route can give (400, 401, 403, 413, 429, 5xx).

use utoipa::OpenApi;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

use crate::domain::template::Status;
use crate::routes::templates;

#[derive(OpenApi)]
#[openapi(
    paths(templates::list, templates::get, templates::register),
    components(schemas(
        crate::routes::view::TemplateView,
        crate::domain::RegisterRequest,
        payserver_shared::href::Link,
        payserver_shared::ApiError,
    ))
)]
struct ApiDoc;

pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// `status` in a registration: the [`Status`] words, with what the default is.
pub(crate) fn register_status_schema() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(Status::ALL.iter().copied()))
        .description(Some("Default `enabled`; a disabled template cannot be opened (9003)."))
        .build()
        .into()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

    #[test]
    fn the_document_lists_exactly_the_public_operations_each_with_a_2xx_answer() {
        let doc = serde_json::to_value(openapi()).unwrap();
        let mut ops = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for m in METHODS {
                let Some(op) = item.get(m) else { continue };
                let id = op["operationId"].as_str().unwrap_or_default().to_string();
                let responses = op["responses"].as_object().unwrap();
                assert!(
                    responses.keys().any(|s| s.starts_with('2')),
                    "{m} {path}: no 2xx answer"
                );
                assert!(op.get("security").is_none(), "{m} {path}: security is the merger's");
                ops.insert((path.clone(), m.to_string(), id));
            }
        }
        let want: BTreeSet<_> = [
            ("/api/v1.0.0/payModeTemplates", "get", "listPayModeTemplates"),
            ("/api/v1.0.0/payModeTemplates/{uuid}", "get", "getPayModeTemplate"),
            ("/api/v1.0.0/registerPayModeTemplate", "post", "registerPayModeTemplate"),
        ]
        .into_iter()
        .map(|(p, m, id)| (p.to_string(), m.to_string(), id.to_string()))
        .collect();
        assert_eq!(ops, want);
    }

    #[test]
    fn every_reference_resolves_and_the_schemas_keep_their_names() {
        let doc = serde_json::to_value(openapi()).unwrap();
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for name in ["PayModeTemplate", "RegisterPayModeTemplateRequest", "Link", "Error"] {
            assert!(schemas.contains_key(name), "schema {name}");
        }
        let text = doc.to_string();
        for piece in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
            let name = piece.split('"').next().unwrap();
            assert!(schemas.contains_key(name), "unresolved $ref {name}");
        }
    }
}
