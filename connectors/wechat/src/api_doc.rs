//! wechat's part of the public OpenAPI document: the merchant settings under `/api/v1.0.0`
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
        crate::domain::merchant::MerchantRequest,
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

    use connector_contract::shared::api_doc::{assert_well_formed, operations};

    use super::*;

    #[test]
    fn the_document_lists_exactly_the_public_operations_each_well_formed() {
        let doc = openapi();
        assert_well_formed(&doc);
        let path = "/api/v1.0.0/wechatMerchants/{merchantUUID}";
        let want: BTreeSet<_> = [
            (path, "get", "getWechatMerchant"),
            (path, "put", "putWechatMerchant"),
            (path, "delete", "deleteWechatMerchant"),
        ]
        .into_iter()
        .map(|(p, m, id)| (p.to_string(), m.to_string(), id.to_string()))
        .collect();
        assert_eq!(operations(&doc), want);
        let json = serde_json::to_value(&doc).unwrap();
        for (path, method, _) in &want {
            assert_eq!(
                json["paths"][path][method]["tags"],
                serde_json::json!(["wechatMerchants"]),
                "{method} {path}"
            );
        }
    }

    #[test]
    fn every_reference_resolves_and_the_schemas_keep_their_names() {
        let doc = serde_json::to_value(openapi()).unwrap();
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for name in ["WechatMerchant", "WechatMerchantRequest", "Error"] {
            assert!(schemas.contains_key(name), "schema {name}");
        }
        let text = doc.to_string();
        for piece in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
            let name = piece.split('"').next().unwrap();
            assert!(schemas.contains_key(name), "unresolved $ref {name}");
        }
    }
}
