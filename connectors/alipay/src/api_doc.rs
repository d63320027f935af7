//! alipay's part of the public OpenAPI document: the merchants' authorizations under `/api/v1.0.0`
//! (the contract's `/connector/*` routes are not public). The workspace merges the parts into
//! the gateway's document and adds the answers every public route can give (400, 401, 403,
//! 413, 429, 5xx).

use utoipa::OpenApi;

use crate::routes::merchants;

#[derive(OpenApi)]
#[openapi(
    paths(merchants::get, merchants::put, merchants::delete),
    components(schemas(
        merchants::MerchantView,
        crate::domain::merchant::PutMerchant,
        connector_contract::shared::ApiError,
    ))
)]
struct ApiDoc;

pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
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
                assert_eq!(op["tags"], serde_json::json!(["alipayMerchants"]), "{m} {path}");
                ops.insert((path.clone(), m.to_string(), id));
            }
        }
        let path = "/api/v1.0.0/alipayMerchants/{merchantUUID}";
        let want: BTreeSet<_> = [
            (path, "get", "getAlipayMerchant"),
            (path, "put", "putAlipayMerchant"),
            (path, "delete", "deleteAlipayMerchant"),
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
        for name in ["AlipayMerchant", "AlipayMerchantRequest", "Error"] {
            assert!(schemas.contains_key(name), "schema {name}");
        }
        let text = doc.to_string();
        for piece in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
            let name = piece.split('"').next().unwrap();
            assert!(schemas.contains_key(name), "unresolved $ref {name}");
        }
    }
}
