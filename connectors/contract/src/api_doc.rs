//! A connector's part of the public OpenAPI document, declared once.
//!
//! Every connector with public routes wrote the same `#[derive(OpenApi)]` struct, the same
//! `openapi()` and the same two tests (the operations under the connector's tag, and every
//! reference resolving with the schemas keeping their names). [`connector_api_doc!`]
//! (crate::connector_api_doc) takes what differs: the handlers, the schemas, the tag, the
//! operations and the schema names the document must show.

/// Declares `struct ApiDoc`, `pub fn openapi()` and the document's tests.
///
/// ```ignore
/// connector_contract::connector_api_doc! {
///     paths(merchants::get, merchants::put),
///     schemas(merchants::MerchantView, connector_contract::shared::ApiError),
///     tag = "alipayMerchants",
///     operations = [("/api/v1.0.0/alipayMerchants/{merchantUUID}", "get", "getAlipayMerchant")],
///     schema_names = ["AlipayMerchant", "Error"],
/// }
/// ```
#[macro_export]
macro_rules! connector_api_doc {
    (
        paths($($handler:path),+ $(,)?),
        schemas($($schema:path),+ $(,)?),
        tag = $tag:literal,
        operations = [$(($path:expr, $method:expr, $operation_id:expr)),+ $(,)?],
        schema_names = [$($name:expr),+ $(,)?] $(,)?
    ) => {
        #[derive(utoipa::OpenApi)]
        #[openapi(paths($($handler),+), components(schemas($($schema),+)))]
        struct ApiDoc;

        pub fn openapi() -> utoipa::openapi::OpenApi {
            <ApiDoc as utoipa::OpenApi>::openapi()
        }

        #[cfg(test)]
        mod tests {
            use $crate::shared::api_doc::{assert_schemas_resolve, assert_tagged_operations};

            #[test]
            fn the_document_lists_exactly_the_public_operations_each_well_formed() {
                assert_tagged_operations(&super::openapi(), $tag, &[$(($path, $method, $operation_id)),+]);
            }

            #[test]
            fn every_reference_resolves_and_the_schemas_keep_their_names() {
                assert_schemas_resolve(&super::openapi(), &[$($name),+]);
            }
        }
    };
}
