//! template-service's part of the public OpenAPI document: its `/api/v1.0.0` operations and
//! their schemas. The workspace merges the parts into the gateway's document and adds the
//! answers every public route can give (400, 401, 403, 413, 429, 5xx).

use payserver_shared::api_doc::one_of;
use utoipa::openapi::schema::Schema;

use crate::domain::template::Status;
use crate::routes::templates;

payserver_shared::service_api_doc! {
    paths(templates::list, templates::get, templates::register),
    schemas(
        crate::routes::view::TemplateView,
        crate::domain::RegisterRequest,
    ),
}

/// `status` in a registration: the [`Status`] words, with what the default is.
pub(crate) fn register_status_schema() -> Schema {
    one_of(
        "Default `enabled`; a disabled template cannot be opened (9003).",
        Status::ALL,
    )
}

// The operations this part describes (see the macro).
payserver_shared::operations_test!(
    assert_answered_operations,
    &[
        ("/api/v1.0.0/payModeTemplates", "get", "listPayModeTemplates"),
        ("/api/v1.0.0/payModeTemplates/{uuid}", "get", "getPayModeTemplate"),
        ("/api/v1.0.0/registerPayModeTemplate", "post", "registerPayModeTemplate"),
    ]
);

#[cfg(test)]
mod tests {
    use payserver_shared::api_doc::assert_schemas_resolve;

    use super::*;

    #[test]
    fn every_reference_resolves_and_the_schemas_keep_their_names() {
        assert_schemas_resolve(
            &openapi(),
            &["PayModeTemplate", "RegisterPayModeTemplateRequest", "Link", "Error"],
        );
    }
}
