//! paymode-service's part of the public OpenAPI document: its `/api/v1.0.0` operations and
//! their schemas. The workspace merges the parts into the gateway's document and adds the
//! answers every public route can give (400, 401, 403, 413, 429, 5xx).
//!
//! An expanded `payModeTemplate` refers to the `PayModeTemplate` schema, which
//! template-service's part defines (this crate does not depend on it): the reference resolves
//! in the merged document (checked below with template-service's part).

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Ref, Schema, Type};

use crate::routes::pay_modes;

payserver_shared::service_api_doc! {
    paths(
        pay_modes::list,
        pay_modes::create,
        pay_modes::get,
        pay_modes::update,
        pay_modes::delete,
        pay_modes::list_all,
        pay_modes::list_of_template,
    ),
    schemas(
        crate::routes::view::PayModeView,
        crate::routes::view::CreatedItem,
        crate::routes::view::UnopenedItem,
        crate::routes::view::ListAll,
        crate::domain::PayModeRequest,
    ),
}

/// A mode's `payModeTemplate`: the link, or with `expand=payModeTemplate` the template.
pub(crate) fn pay_mode_template_schema() -> Schema {
    OneOfBuilder::new()
        .description(Some(
            "`{href}` of the template (href null for a custom mode), or with `expand=payModeTemplate` the template itself.",
        ))
        .item(RefOr::Ref(Ref::from_schema_name("Link")))
        .item(RefOr::Ref(Ref::from_schema_name("PayModeTemplate")))
        .build()
        .into()
}

fn constant(value: i32) -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .enum_values(Some([value]))
        .build()
        .into()
}

/// An integer that is always 1 (`hasCreated` of a created item).
pub(crate) fn one_schema() -> Schema {
    constant(1)
}

/// An integer that is always 0 (the flags of an unopened template).
pub(crate) fn zero_schema() -> Schema {
    constant(0)
}

// The operations this part describes (see the macro).
payserver_shared::operations_test!(
    assert_answered_operations,
    &[
        ("/api/v1.0.0/payModes", "get", "listPayModes"),
        ("/api/v1.0.0/payModes", "post", "openPayMode"),
        ("/api/v1.0.0/payModes/{uuid}", "get", "getPayMode"),
        ("/api/v1.0.0/payModes/{uuid}", "put", "updatePayMode"),
        ("/api/v1.0.0/payModes/{uuid}", "delete", "deletePayMode"),
        ("/api/v1.0.0/listAllPayModes", "get", "listAllPayModes"),
        (
            "/api/v1.0.0/payModeTemplates/{uuid}/payModes",
            "get",
            "listPayModesOfTemplate"
        ),
    ]
);

#[cfg(test)]
mod tests {
    use payserver_shared::api_doc::assert_refs_resolve;

    use super::*;

    /// Every `$ref` resolves once template-service's part (`PayModeTemplate`) is merged in, and
    /// the schemas both parts define are the same.
    #[test]
    fn every_reference_resolves_with_the_template_service_part() {
        let doc = serde_json::to_value(openapi()).unwrap();
        let templates = serde_json::to_value(template_service::api_doc::openapi()).unwrap();
        let mut schemas = templates["components"]["schemas"].as_object().unwrap().clone();
        for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
            if let Some(other) = schemas.get(name) {
                assert_eq!(other, schema, "two different schemas named {name}");
            }
            schemas.insert(name.clone(), schema.clone());
        }
        for name in [
            "PayMode",
            "PayModeRequest",
            "ListAllPayModes",
            "ListAllCreatedItem",
            "ListAllUnopenedItem",
        ] {
            assert!(doc["components"]["schemas"].get(name).is_some(), "schema {name}");
        }
        assert_refs_resolve(&doc, |name| schemas.contains_key(name));
    }
}
