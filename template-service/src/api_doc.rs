//! template-service's part of the public OpenAPI document: its `/api/v1.0.0` operations and
//! their schemas. The workspace merges the parts into the gateway's document and adds the
//! answers every public route can give (400, 401, 403, 413, 429, 5xx).

use payserver_shared::api_doc::one_of;
use utoipa::OpenApi;
use utoipa::openapi::schema::Schema;

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
    one_of(
        "Default `enabled`; a disabled template cannot be opened (9003).",
        Status::ALL,
    )
}

#[cfg(test)]
mod tests {
    use payserver_shared::api_doc::{assert_answered_without_security, assert_operations, assert_refs_resolve};

    use super::*;

    #[test]
    fn the_document_lists_exactly_the_public_operations_each_with_a_2xx_answer() {
        let doc = openapi();
        assert_answered_without_security(&doc);
        assert_operations(
            &doc,
            &[
                ("/api/v1.0.0/payModeTemplates", "get", "listPayModeTemplates"),
                ("/api/v1.0.0/payModeTemplates/{uuid}", "get", "getPayModeTemplate"),
                ("/api/v1.0.0/registerPayModeTemplate", "post", "registerPayModeTemplate"),
            ],
        );
    }

    #[test]
    fn every_reference_resolves_and_the_schemas_keep_their_names() {
        let doc = serde_json::to_value(openapi()).unwrap();
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for name in ["PayModeTemplate", "RegisterPayModeTemplateRequest", "Link", "Error"] {
            assert!(schemas.contains_key(name), "schema {name}");
        }
        assert_refs_resolve(&doc, |name| schemas.contains_key(name));
    }
}
