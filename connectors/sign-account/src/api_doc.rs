//! sign-account's part of the public OpenAPI document: its `/api/v1.0.0` operations and their
//! schemas. The workspace merges the parts into the gateway's document and adds the answers
//! every public route can give (400, 401, 403, 413, 429, 5xx).

use utoipa::OpenApi;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

use crate::domain::Status;
use crate::domain::statement::EntryKind;
use crate::routes::{accounters, persons, statement};

#[derive(OpenApi)]
#[openapi(
    paths(
        accounters::list,
        accounters::create,
        accounters::get,
        accounters::update,
        persons::list,
        persons::create,
        persons::get,
        persons::update,
        statement::list,
    ),
    components(schemas(
        crate::routes::view::AccounterView,
        crate::routes::view::PersonView,
        crate::routes::view::LedgerView,
        crate::domain::CreateAccounter,
        crate::domain::UpdateAccounter,
        crate::domain::PersonRequest,
        connector_contract::shared::href::Link,
        connector_contract::shared::ApiError,
    ))
)]
struct ApiDoc;

pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

fn enabled_or_disabled() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(Status::ALL))
}

/// An accounter's `status` (`enabled` or `disabled`).
pub(crate) fn status_schema() -> Schema {
    enabled_or_disabled().build().into()
}

/// `status` on creation: `enabled` unless told.
pub(crate) fn create_status_schema() -> Schema {
    enabled_or_disabled()
        .default(Some(serde_json::json!("enabled")))
        .build()
        .into()
}

/// A ledger entry's `kind`.
pub(crate) fn kind_schema() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(EntryKind::ALL))
        .description(Some("`charge` (a pay) or `credit` (a refund)."))
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
                assert_eq!(op["tags"], serde_json::json!(["signAccounters"]), "{m} {path}");
                ops.insert((path.clone(), m.to_string(), id));
            }
        }
        let want: BTreeSet<_> = [
            ("/api/v1.0.0/signAccounters", "get", "listSignAccounters"),
            ("/api/v1.0.0/signAccounters", "post", "createSignAccounter"),
            ("/api/v1.0.0/signAccounters/{uuid}", "get", "getSignAccounter"),
            ("/api/v1.0.0/signAccounters/{uuid}", "put", "updateSignAccounter"),
            (
                "/api/v1.0.0/signAccounters/{uuid}/signPersons",
                "get",
                "listSignPersons",
            ),
            (
                "/api/v1.0.0/signAccounters/{uuid}/signPersons",
                "post",
                "createSignPerson",
            ),
            (
                "/api/v1.0.0/signAccounters/{uuid}/signPersons/{signPersonUUID}",
                "get",
                "getSignPerson",
            ),
            (
                "/api/v1.0.0/signAccounters/{uuid}/signPersons/{signPersonUUID}",
                "put",
                "updateSignPerson",
            ),
            (
                "/api/v1.0.0/signAccounters/{uuid}/statement",
                "get",
                "getSignAccounterStatement",
            ),
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
        for name in [
            "SignAccounter",
            "SignAccounterCreate",
            "SignAccounterUpdate",
            "SignPerson",
            "SignPersonRequest",
            "SignLedgerEntry",
            "Link",
            "Error",
        ] {
            assert!(schemas.contains_key(name), "schema {name}");
        }
        let text = doc.to_string();
        for piece in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
            let name = piece.split('"').next().unwrap();
            assert!(schemas.contains_key(name), "unresolved $ref {name}");
        }
    }

    #[test]
    fn every_path_parameter_is_declared() {
        let doc = serde_json::to_value(openapi()).unwrap();
        for (path, item) in doc["paths"].as_object().unwrap() {
            let names: Vec<&str> = path.split('{').skip(1).filter_map(|s| s.split('}').next()).collect();
            for m in METHODS {
                let Some(op) = item.get(m) else { continue };
                let declared: Vec<&str> = op["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|p| p["in"] == "path")
                    .filter_map(|p| p["name"].as_str())
                    .collect();
                assert_eq!(declared, names, "{m} {path}");
            }
        }
    }
}
