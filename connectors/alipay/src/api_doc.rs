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
    use connector_contract::shared::api_doc::{assert_schemas_resolve, assert_tagged_operations};

    use super::*;

    #[test]
    fn the_document_lists_exactly_the_public_operations_each_well_formed() {
        let path = "/api/v1.0.0/alipayMerchants/{merchantUUID}";
        let want = [
            (path, "get", "getAlipayMerchant"),
            (path, "put", "putAlipayMerchant"),
            (path, "delete", "deleteAlipayMerchant"),
        ];
        assert_tagged_operations(&openapi(), "alipayMerchants", &want);
    }

    #[test]
    fn every_reference_resolves_and_the_schemas_keep_their_names() {
        assert_schemas_resolve(&openapi(), &["AlipayMerchant", "AlipayMerchantRequest", "Error"]);
    }
}
