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

/// A resource's JSON shape that starts with its row's `id` and its `uuid` (and, with `href;`
/// first, its `href`; `href; id;` alone leave out the `uuid`), which every such schema
/// documents alike; its own fields follow. After them, `with (merchant_uuid, created_at,
/// modified_at)` (any of them, in any order) adds those `pub` fields with the documentation
/// and schema every connector view gives them (the views used to write the same texts out
/// each), and a next `{ ... }` the fields that come after (and so on). The caller derives
/// `Serialize` and `utoipa::ToSchema` in the attributes it gives.
///
/// ```ignore
/// connector_contract::resource_view! {
///     #[derive(Debug, Serialize, utoipa::ToSchema)]
///     pub struct PersonView { href; id; uuid; pub name: String, }
///     with (merchant_uuid, created_at) { pub accounter: Link, }
/// }
/// ```
#[macro_export]
macro_rules! resource_view {
    // The fields named (the head's, then each `with`'s), one at a time through `@field`, whose
    // text `@push` appends; the fields written in braces in between; then the struct.
    (@extra $item:tt $done:tt [$name:ident $($more:ident)*] $($rest:tt)*) => {
        $crate::resource_view! { @field $name $item $done [$($more)*] $($rest)* }
    };
    (@extra $item:tt [$($done:tt)*] [] { $($after:tt)* } $($rest:tt)*) => {
        $crate::resource_view! { @extra $item [$($done)* $($after)*] [] $($rest)* }
    };
    (@extra $item:tt $done:tt [] with ($($extra:ident),+ $(,)?) $($rest:tt)*) => {
        $crate::resource_view! { @extra $item $done [$($extra)+] $($rest)* }
    };
    (@extra [$(#[$meta:meta])* $name:ident] [$($done:tt)*] []) => {
        $(#[$meta])*
        pub struct $name {
            $($done)*
        }
    };
    (@push [$($field:tt)*] $item:tt [$($done:tt)*] $($rest:tt)*) => {
        $crate::resource_view! { @extra $item [$($done)* $($field)*] $($rest)* }
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
    // Any other name is a time (`created_at`, `modified_at`), all documented alike.
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
    ($(#[$meta:meta])* pub struct $name:ident { href; id; uuid; $($fields:tt)* } $($tail:tt)*) => {
        $crate::resource_view! { @extra [$(#[$meta])* $name] [] [href id uuid] { $($fields)* } $($tail)* }
    };
    ($(#[$meta:meta])* pub struct $name:ident { href; id; $($fields:tt)* } $($tail:tt)*) => {
        $crate::resource_view! { @extra [$(#[$meta])* $name] [] [href id] { $($fields)* } $($tail)* }
    };
    ($(#[$meta:meta])* pub struct $name:ident { id; uuid; $($fields:tt)* } $($tail:tt)*) => {
        $crate::resource_view! { @extra [$(#[$meta])* $name] [] [id uuid] { $($fields)* } $($tail)* }
    };
}
