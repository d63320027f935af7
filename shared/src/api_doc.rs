//! What the services' parts of the OpenAPI document share: schemas two services describe
//! (the body of `/payNotify` and `/refundNotify`), schema helpers, and the checks every part
//! passes in its own unit tests (`<crate>::api_doc::openapi()`): the operations it describes,
//! each with a success answer and no security of its own (the merged document's default
//! applies), path parameters that match the path, and references that resolve.

use std::collections::BTreeSet;

use serde_json::Value;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

/// The body of `/payNotify` and `/refundNotify`: the connector contract's `TradeAnswer`,
/// described once for both services (doc only; the merged document keeps one).
#[derive(utoipa::ToSchema)]
#[schema(
    rename_all = "camelCase",
    description = "A connector's asynchronous outcome (the contract's answer shape). Idempotent; only moves an order out of its in-flight state."
)]
#[allow(dead_code)]
pub struct NotifyBody {
    /// The order's (or refund's) platform serial number.
    traction_no: String,
    #[schema(schema_with = notify_ret_schema)]
    ret: String,
    third_order_no: Option<String>,
    third_error_reason: Option<String>,
    /// `YYYY-MM-DD HH:mm:ss` in the display offset, when finished.
    trade_finished_at: Option<String>,
}

fn notify_ret_schema() -> Schema {
    one_of(
        "`running` leaves the order in flight.",
        &["success", "running", "failed"],
    )
}

/// A string that is one of `values`, described by `description`.
pub fn one_of(description: &str, values: &[&'static str]) -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .enum_values(Some(values.iter().copied()))
        .build()
        .into()
}

/// A string that is one of `values`, without a description.
pub fn plain_one_of(values: &[&'static str]) -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values.iter().copied()))
        .build()
        .into()
}

/// An integer flag, 0 or 1 (add a description or default as needed).
pub fn flag() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .enum_values(Some([0, 1]))
}

/// `(path, method, operation)` of every operation of a serialized document.
fn each_operation(doc: &Value) -> impl Iterator<Item = (&String, &'static str, &Value)> {
    doc["paths"].as_object().into_iter().flatten().flat_map(|(path, item)| {
        METHODS
            .into_iter()
            .filter_map(move |m| item.get(m).map(|op| (path, m, op)))
    })
}

/// `(path, method, operationId)` of every operation of `doc`.
pub fn operations(doc: &utoipa::openapi::OpenApi) -> BTreeSet<(String, String, String)> {
    let doc = serde_json::to_value(doc).expect("a document serializes");
    each_operation(&doc)
        .map(|(path, m, op)| {
            let id = op["operationId"].as_str().unwrap_or_default().to_string();
            (path.clone(), m.to_string(), id)
        })
        .collect()
}

/// Panics unless `doc` describes exactly the operations `want`: `(path, method, operationId)`.
pub fn assert_operations(doc: &utoipa::openapi::OpenApi, want: &[(&str, &str, &str)]) {
    let want: BTreeSet<_> = want
        .iter()
        .map(|(p, m, id)| (p.to_string(), m.to_string(), id.to_string()))
        .collect();
    assert_eq!(operations(doc), want);
}

/// The query parameters every list operation of an order service takes.
pub const ORDER_LIST_PARAMS: [&str; 5] = ["offset", "limit", "orderBy", "merchantUUID", "startTime"];

/// An order service's part (payorder-service, refund-service): [`assert_well_formed`], every
/// list taking [`ORDER_LIST_PARAMS`] ([`assert_lists_take`]) and exactly the operations `want`
/// ([`assert_operations`]).
pub fn assert_order_operations(doc: &utoipa::openapi::OpenApi, want: &[(&str, &str, &str)]) {
    assert_well_formed(doc);
    assert_lists_take(doc, &ORDER_LIST_PARAMS);
    assert_operations(doc, want);
}

/// A part checked for its answers alone (template-service, paymode-service):
/// [`assert_answered_without_security`] and exactly the operations `want`
/// ([`assert_operations`]).
pub fn assert_answered_operations(doc: &utoipa::openapi::OpenApi, want: &[(&str, &str, &str)]) {
    assert_answered_without_security(doc);
    assert_operations(doc, want);
}

/// Declares a service's part of the document: `struct ApiDoc` with its operations (`paths`)
/// and its schemas, to which every part adds [`Link`](crate::href::Link) and the error
/// envelope ([`ApiError`](crate::ApiError)), and `pub fn openapi()`, the part itself.
///
/// ```ignore
/// payserver_shared::service_api_doc! {
///     paths(templates::list, templates::get),
///     schemas(crate::routes::view::TemplateView),
/// }
/// ```
#[macro_export]
macro_rules! service_api_doc {
    (paths($($handler:path),+ $(,)?), schemas($($schema:path),+ $(,)?) $(,)?) => {
        #[derive(utoipa::OpenApi)]
        #[openapi(
            paths($($handler),+),
            components(schemas($($schema,)+ payserver_shared::href::Link, payserver_shared::ApiError))
        )]
        struct ApiDoc;

        /// This service's part of the public document.
        pub fn openapi() -> utoipa::openapi::OpenApi {
            <ApiDoc as utoipa::OpenApi>::openapi()
        }
    };
}

/// The unit test a service's part of the document has, in its `api_doc` module (beside its
/// `openapi()`): `check(&openapi(), want)`, `check` one of this module's `assert_…_operations`
/// and `want` its operations, `(path, method, operationId)` each.
///
/// ```ignore
/// payserver_shared::operations_test!(
///     assert_answered_operations,
///     &[("/api/v1.0.0/payModeTemplates", "get", "listPayModeTemplates")]
/// );
/// ```
#[macro_export]
macro_rules! operations_test {
    ($check:ident, $want:expr $(,)?) => {
        #[cfg(test)]
        #[test]
        fn the_document_lists_exactly_the_public_operations_each_with_a_2xx_answer() {
            $crate::api_doc::$check(&openapi(), $want);
        }
    };
}

/// [`assert_well_formed`] and [`assert_operations`], and every one of `want` tagged `tag` alone
/// (a connector's part of the document is one tag).
pub fn assert_tagged_operations(doc: &utoipa::openapi::OpenApi, tag: &str, want: &[(&str, &str, &str)]) {
    assert_well_formed(doc);
    assert_operations(doc, want);
    let json = serde_json::to_value(doc).expect("a document serializes");
    for (path, method, _) in want {
        assert_eq!(
            json["paths"][path][method]["tags"],
            serde_json::json!([tag]),
            "{method} {path}"
        );
    }
}

/// Panics unless `doc` has a schema by each of `names` (the names clients see) and every
/// `$ref` in it resolves to one of its schemas.
pub fn assert_schemas_resolve(doc: &utoipa::openapi::OpenApi, names: &[&str]) {
    let doc = serde_json::to_value(doc).expect("a document serializes");
    let schemas = doc["components"]["schemas"].as_object().cloned().unwrap_or_default();
    for name in names {
        assert!(schemas.contains_key(*name), "schema {name}");
    }
    assert_refs_resolve(&doc, |name| schemas.contains_key(name));
}

/// Panics, naming the operation, unless every operation of `doc` has a 2xx answer and no
/// `security` of its own.
pub fn assert_answered_without_security(doc: &utoipa::openapi::OpenApi) {
    let doc = serde_json::to_value(doc).expect("a document serializes");
    for (path, m, op) in each_operation(&doc) {
        let responses = op["responses"].as_object().cloned().unwrap_or_default();
        assert!(
            responses.keys().any(|s| s.starts_with('2')),
            "{m} {path}: no 2xx answer"
        );
        assert!(op.get("security").is_none(), "{m} {path}: security is the merger's");
    }
}

/// Panics unless every list operation (operationId `list…`) of `doc` takes each of `names` as
/// a query parameter.
pub fn assert_lists_take(doc: &utoipa::openapi::OpenApi, names: &[&str]) {
    let doc = serde_json::to_value(doc).expect("a document serializes");
    for (path, method, op) in each_operation(&doc) {
        let id = op["operationId"].as_str().unwrap_or_default();
        if !id.starts_with("list") {
            continue;
        }
        let params: BTreeSet<(&str, &str)> = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| (p["name"].as_str().unwrap(), p["in"].as_str().unwrap()))
            .collect();
        for name in names {
            assert!(params.contains(&(*name, "query")), "{method} {path} ({id}): no {name}");
        }
    }
}

/// Panics, naming it, unless every `$ref` in the serialized document `doc` names a schema
/// that `resolves`.
pub fn assert_refs_resolve(doc: &Value, resolves: impl Fn(&str) -> bool) {
    let text = doc.to_string();
    for piece in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = piece.split('"').next().unwrap();
        assert!(resolves(name), "unresolved $ref {name}");
    }
}

/// Panics, naming the operation, unless every operation of `doc` has an operationId, a 2xx
/// answer, no `security` of its own, and exactly its path's `{parameters}` as required path
/// parameters.
pub fn assert_well_formed(doc: &utoipa::openapi::OpenApi) {
    assert_answered_without_security(doc);
    let doc = serde_json::to_value(doc).expect("a document serializes");
    for (path, m, op) in each_operation(&doc) {
        let at = format!("{m} {path}");
        assert!(op["operationId"].is_string(), "{at}: operationId");
        let declared: BTreeSet<String> = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "path")
            .map(|p| {
                assert_eq!(p["required"], Value::Bool(true), "{at}: path parameter {}", p["name"]);
                p["name"].as_str().unwrap_or_default().to_string()
            })
            .collect();
        let expected: BTreeSet<String> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(str::to_string)
            .collect();
        assert_eq!(declared, expected, "{at}: path parameters");
    }
}

/// A JSON view (`Serialize + utoipa::ToSchema`, derived by the caller) whose common fields are
/// named, not written out, so that every view documents them alike. `href; id; uuid;` (or
/// `href; id;`, `id; uuid;`, or none) open the braces; after them, `with (names)` adds
/// `merchant_uuid`, the [`PayMethod`](crate::pay_method::PayMethod) fields (`pay_method`) or
/// times (`created_at`, any other name), `with nullable (names)` nullable times, and each
/// further `{ ... }` the fields that follow. Fill it with [`resource_moved!`](crate::resource_moved).
///
/// ```ignore
/// payserver_shared::resource_view! {
///     #[derive(Debug, Serialize, utoipa::ToSchema)]
///     #[serde(rename_all = "camelCase")]
///     pub struct TemplateView {
///         href; id; uuid;
///         pub pay_template_id: String,
///     } with (pay_method) {
///         pub status: Status,
///     } with (created_at, modified_at) {
///         pub pay_modes: Link,
///     }
/// }
/// ```
#[macro_export]
macro_rules! resource_view {
    // `@extra $item $done [names] rest`: `$item` is the struct's attributes, visibility and name
    // (and, once `pay_method` was named, `{ the fields before it }`), `$done` the fields so far.
    // The names still pending go one at a time through `@field`, whose text `@push` appends.
    (@extra $item:tt $done:tt [$name:tt $($more:tt)*] $($rest:tt)*) => {
        $crate::resource_view! { @field $name $item $done [$($more)*] $($rest)* }
    };
    // Fields written out in braces.
    (@extra $item:tt [$($done:tt)*] [] { $($after:tt)* } $($rest:tt)*) => {
        $crate::resource_view! { @extra $item [$($done)* $($after)*] [] $($rest)* }
    };
    // `with nullable (names)`: each name a nullable time.
    (@extra $item:tt $done:tt [] with nullable ($($time:ident),+ $(,)?) $($rest:tt)*) => {
        $crate::resource_view! { @extra $item $done [$((nullable $time))+] $($rest)* }
    };
    (@extra $item:tt $done:tt [] with ($($extra:ident),+ $(,)?) $($rest:tt)*) => {
        $crate::resource_view! { @extra $item $done [$($extra)+] $($rest)* }
    };
    // The end: the struct, or around the pay method's fields, a `pay_method_view!`.
    (@extra [$(#[$meta:meta])* $vis:vis $name:ident] [$($done:tt)*] []) => {
        $(#[$meta])*
        $vis struct $name {
            $($done)*
        }
    };
    (@extra [$(#[$meta:meta])* $vis:vis $name:ident { $($before:tt)* }] [$($done:tt)*] []) => {
        $crate::pay_method_view! {
            $(#[$meta])*
            $vis struct $name { $($before)* } with_pay_method { $($done)* }
        }
    };
    (@push [$($field:tt)*] $item:tt [$($done:tt)*] $($rest:tt)*) => {
        $crate::resource_view! { @extra $item [$($done)* $($field)*] $($rest)* }
    };
    // `pay_method`: the fields so far go before the method's, the rest after.
    (@field pay_method [$($item:tt)*] [$($done:tt)*] $($rest:tt)*) => {
        $crate::resource_view! { @extra [$($item)* { $($done)* }] [] $($rest)* }
    };
    (@field href $($rest:tt)*) => {
        $crate::resource_view! {
            @push [
                /// Absolute public URL of this resource, through the gateway.
                #[schema(format = "uri")]
                pub href: String,
            ]
            $($rest)*
        }
    };
    (@field id $($rest:tt)*) => {
        $crate::resource_view! {
            @push [
                /// The row's integer id.
                pub id: i64,
            ]
            $($rest)*
        }
    };
    (@field uuid $($rest:tt)*) => {
        $crate::resource_view! {
            @push [
                /// 22 characters of [0-9A-Za-z] (nanoid).
                #[schema(pattern = "^[0-9A-Za-z]{22}$", example = "irAl37TewwGEchYrXUWsfA")]
                pub uuid: String,
            ]
            $($rest)*
        }
    };
    (@field merchant_uuid $($rest:tt)*) => {
        $crate::resource_view! {
            @push [
                /// The merchant's uuid (1-64 of [0-9A-Za-z_-]).
                #[serde(rename = "merchantUUID")]
                pub merchant_uuid: String,
            ]
            $($rest)*
        }
    };
    // A time that may be absent (`with nullable`): null in JSON, but always present.
    (@field (nullable $time:ident) $($rest:tt)*) => {
        $crate::resource_view! {
            @push [
                /// Time `YYYY-MM-DD HH:mm:ss` in the display offset (default +08:00).
                #[schema(
                    required = true,
                    pattern = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$",
                    example = "2018-07-12 13:01:30"
                )]
                pub $time: Option<String>,
            ]
            $($rest)*
        }
    };
    // Any other name is a time (`created_at`, `modified_at`, ...), all documented alike.
    (@field $time:ident $($rest:tt)*) => {
        $crate::resource_view! {
            @push [
                /// Time `YYYY-MM-DD HH:mm:ss` in the display offset (default +08:00).
                #[schema(pattern = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", example = "2018-07-12 13:01:30")]
                pub $time: String,
            ]
            $($rest)*
        }
    };
    // The entry: which of `href`, `id`, `uuid` the struct starts with.
    ($(#[$meta:meta])* $vis:vis struct $name:ident { href; id; uuid; $($fields:tt)* } $($tail:tt)*) => {
        $crate::resource_view! { @extra [$(#[$meta])* $vis $name] [] [href id uuid] { $($fields)* } $($tail)* }
    };
    ($(#[$meta:meta])* $vis:vis struct $name:ident { href; id; $($fields:tt)* } $($tail:tt)*) => {
        $crate::resource_view! { @extra [$(#[$meta])* $vis $name] [] [href id] { $($fields)* } $($tail)* }
    };
    ($(#[$meta:meta])* $vis:vis struct $name:ident { id; uuid; $($fields:tt)* } $($tail:tt)*) => {
        $crate::resource_view! { @extra [$(#[$meta])* $vis $name] [] [id uuid] { $($fields)* } $($tail)* }
    };
    // None of them (a view of something not stored, only some of its fields named).
    ($(#[$meta:meta])* $vis:vis struct $name:ident { $($fields:tt)* } $($tail:tt)*) => {
        $crate::resource_view! { @extra [$(#[$meta])* $vis $name] [] [] { $($fields)* } $($tail)* }
    };
}

/// A struct literal `$ty { ... }` of a [`resource_view!`](crate::resource_view) view filled
/// from the row `$src`: the literal's own fields, then `href` (the local `$href`, so the own
/// fields may borrow it first), `id`, `uuid` and `createdAt`/`modifiedAt` rendered by
/// `$clock`. With `pay_method` before the type, the method's fields are moved out of `$src` too
/// ([`pay_method_moved!`](crate::pay_method_moved)).
///
/// ```ignore
/// payserver_shared::resource_moved!(r, href, clock => pay_method Self { status: r.status })
/// ```
#[macro_export]
macro_rules! resource_moved {
    (@emit [] $src:ident $ty:ident $fields:tt) => {
        $ty $fields
    };
    (@emit [pay_method] $src:ident $ty:ident $fields:tt) => {
        $crate::pay_method_moved!($src => $ty $fields)
    };
    (@fields [$($method:ident)?] $src:ident, $href:ident, $clock:ident => $ty:ident { $($rest:tt)* }) => {
        $crate::resource_moved!(@emit [$($method)?] $src $ty {
            $($rest)*
            $href,
            id: $src.id,
            uuid: $src.uuid.clone(),
            created_at: $clock.render($src.created_at),
            modified_at: $clock.render($src.modified_at),
        })
    };
    ($src:ident, $href:ident, $clock:ident => pay_method $ty:ident $fields:tt) => {
        $crate::resource_moved!(@fields [pay_method] $src, $href, $clock => $ty $fields)
    };
    ($src:ident, $href:ident, $clock:ident => $ty:ident $fields:tt) => {
        $crate::resource_moved!(@fields [] $src, $href, $clock => $ty $fields)
    };
}
