//! member-card's part of the public OpenAPI document: its `/api/v1.0.0` operations and their
//! schemas. The workspace merges the parts into the gateway's document and adds the answers
//! every public route can give (400, 401, 403, 413, 429, 5xx).

use utoipa::PartialSchema;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;

use crate::domain::listing::EntryKind;
use crate::domain::member::Status;
use crate::routes::members;

connector_contract::connector_api_doc! {
    paths(
        members::list,
        members::create,
        members::get,
        members::update,
        members::recharge,
        members::add_counts,
        members::statement,
    ),
    schemas(
        crate::routes::view::MemberView,
        crate::routes::view::CountView,
        crate::routes::view::LedgerView,
        crate::domain::counts::CountItem,
        crate::domain::member::MemberRequest,
        crate::domain::member::RechargeRequest,
        crate::domain::member::CountsRequest,
        connector_contract::shared::href::Link,
        connector_contract::shared::ApiError,
    ),
    tag = "members",
    operations = [
        ("/api/v1.0.0/members", "get", "listMembers"),
        ("/api/v1.0.0/members", "post", "createMember"),
        ("/api/v1.0.0/members/{uuid}", "get", "getMember"),
        ("/api/v1.0.0/members/{uuid}", "put", "updateMember"),
        ("/api/v1.0.0/members/{uuid}/recharge", "post", "rechargeMember"),
        ("/api/v1.0.0/members/{uuid}/counts", "post", "addMemberCounts"),
        ("/api/v1.0.0/members/{uuid}/statement", "get", "getMemberStatement"),
    ],
    schema_names = [
        "Member",
        "MemberCount",
        "MemberRequest",
        "RechargeRequest",
        "MemberCountsRequest",
        "MemberLedgerCount",
        "MemberLedgerEntry",
        "Link",
        "Error",
    ],
}

// The text enums' own schemas, inline, for the fields that name them with `schema_with` (a
// request's `status` is read as text first, so it cannot take the enum's type).

/// A member's `status` (`enabled` or `disabled`).
pub(crate) fn status_schema() -> RefOr<Schema> {
    Status::schema()
}

/// A ledger entry's `kind`.
pub(crate) fn kind_schema() -> RefOr<Schema> {
    EntryKind::schema()
}
