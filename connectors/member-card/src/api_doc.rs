//! member-card's part of the public OpenAPI document: its `/api/v1.0.0` operations and their
//! schemas. The workspace merges the parts into the gateway's document and adds the answers
//! every public route can give (400, 401, 403, 413, 429, 5xx).

use utoipa::OpenApi;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

use crate::domain::listing::kind;
use crate::domain::member::Status;
use crate::routes::members;

#[derive(OpenApi)]
#[openapi(
    paths(
        members::list,
        members::create,
        members::get,
        members::update,
        members::recharge,
        members::add_counts,
        members::statement,
    ),
    components(schemas(
        crate::routes::view::MemberView,
        crate::routes::view::CountView,
        crate::routes::view::LedgerView,
        crate::domain::counts::CountItem,
        crate::domain::member::MemberRequest,
        crate::domain::member::RechargeRequest,
        crate::domain::member::CountsRequest,
        connector_contract::shared::href::Link,
        connector_contract::shared::ApiError,
    ))
)]
struct ApiDoc;

pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// A member's `status` (`enabled` or `disabled`).
pub(crate) fn status_schema() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(Status::ALL))
        .build()
        .into()
}

/// A ledger entry's `kind`.
pub(crate) fn kind_schema() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(kind::ALL))
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
                assert_eq!(op["tags"], serde_json::json!(["members"]), "{m} {path}");
                ops.insert((path.clone(), m.to_string(), id));
            }
        }
        let want: BTreeSet<_> = [
            ("/api/v1.0.0/members", "get", "listMembers"),
            ("/api/v1.0.0/members", "post", "createMember"),
            ("/api/v1.0.0/members/{uuid}", "get", "getMember"),
            ("/api/v1.0.0/members/{uuid}", "put", "updateMember"),
            ("/api/v1.0.0/members/{uuid}/recharge", "post", "rechargeMember"),
            ("/api/v1.0.0/members/{uuid}/counts", "post", "addMemberCounts"),
            ("/api/v1.0.0/members/{uuid}/statement", "get", "getMemberStatement"),
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
            "Member",
            "MemberCount",
            "MemberRequest",
            "RechargeRequest",
            "MemberCountsRequest",
            "MemberLedgerCount",
            "MemberLedgerEntry",
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
}
