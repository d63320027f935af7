//! member-card's part of the public OpenAPI document: its `/api/v1.0.0` operations and their
//! schemas. The workspace merges the parts into the gateway's document and adds the answers
//! every public route can give (400, 401, 403, 413, 429, 5xx).

use utoipa::OpenApi;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

use crate::domain::listing::EntryKind;
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
        .enum_values(Some(Status::ALL.iter().copied()))
        .build()
        .into()
}

/// A ledger entry's `kind`.
pub(crate) fn kind_schema() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(EntryKind::ALL.iter().copied()))
        .build()
        .into()
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
        assert_eq!(operations(&doc), want);
        let json = serde_json::to_value(&doc).unwrap();
        for (path, method, _) in &want {
            assert_eq!(
                json["paths"][path][method]["tags"],
                serde_json::json!(["members"]),
                "{method} {path}"
            );
        }
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
