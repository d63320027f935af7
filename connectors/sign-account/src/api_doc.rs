//! sign-account's part of the public OpenAPI document: its `/api/v1.0.0` operations and their
//! schemas. The workspace merges the parts into the gateway's document and adds the answers
//! every public route can give (400, 401, 403, 413, 429, 5xx).

use utoipa::PartialSchema;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

use crate::domain::Status;
use crate::domain::statement::EntryKind;
use crate::routes::{accounters, persons, statement};

connector_contract::connector_api_doc! {
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
    schemas(
        crate::routes::view::AccounterView,
        crate::routes::view::PersonView,
        crate::routes::view::LedgerView,
        crate::domain::CreateAccounter,
        crate::domain::UpdateAccounter,
        crate::domain::PersonRequest,
        connector_contract::shared::href::Link,
        connector_contract::shared::ApiError,
    ),
    tag = "signAccounters",
    operations = [
        ("/api/v1.0.0/signAccounters", "get", "listSignAccounters"),
        ("/api/v1.0.0/signAccounters", "post", "createSignAccounter"),
        ("/api/v1.0.0/signAccounters/{uuid}", "get", "getSignAccounter"),
        ("/api/v1.0.0/signAccounters/{uuid}", "put", "updateSignAccounter"),
        ("/api/v1.0.0/signAccounters/{uuid}/signPersons", "get", "listSignPersons"),
        ("/api/v1.0.0/signAccounters/{uuid}/signPersons", "post", "createSignPerson"),
        ("/api/v1.0.0/signAccounters/{uuid}/signPersons/{signPersonUUID}", "get", "getSignPerson"),
        ("/api/v1.0.0/signAccounters/{uuid}/signPersons/{signPersonUUID}", "put", "updateSignPerson"),
        ("/api/v1.0.0/signAccounters/{uuid}/statement", "get", "getSignAccounterStatement"),
    ],
    schema_names = [
        "SignAccounter",
        "SignAccounterCreate",
        "SignAccounterUpdate",
        "SignPerson",
        "SignPersonRequest",
        "SignLedgerEntry",
        "Link",
        "Error",
    ],
}

fn enabled_or_disabled() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(Status::ALL.iter().copied()))
}

/// An accounter's `status` (`enabled` or `disabled`).
pub(crate) fn status_schema() -> RefOr<Schema> {
    Status::schema()
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
        .enum_values(Some(EntryKind::ALL.iter().copied()))
        .description(Some("`charge` (a pay) or `credit` (a refund)."))
        .build()
        .into()
}
