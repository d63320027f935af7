//! [`tagged_routes!`]: hand-written handlers that share one OpenAPI tag, each with its
//! `#[utoipa::path]` operation.

/// Writes handlers and their `#[utoipa::path]` operations for one tag: every operation of a
/// resource's routes names the same tag and has the same head (method, path, operation id,
/// summary), so the tag is given once and each head on one line. The rest of the attribute
/// (`description`, `params`, `request_body`, `responses`, ...) follows in braces as in
/// `#[utoipa::path]`; doc comments before the method stay before the attribute (utoipa reads
/// them), and the handler, with its own attributes, comes last. [`crate::collection_routes!`]
/// and [`crate::order_routes!`] write their operations with it too.
///
/// ```ignore
/// payserver_shared::tagged_routes! {
///     "payModes";
///     /// Changes the fields given.
///     put "/api/v1.0.0/payModes/{uuid}", "updatePayMode", "Update a pay mode" {
///         params(UuidPath),
///         responses((status = 200, description = "OK", body = PayModeView))
///     }
///     #[tracing::instrument(skip_all)]
///     pub(crate) async fn update(/* ... */) -> ApiResult<HttpResponse> { /* ... */ }
/// }
/// ```
#[macro_export]
macro_rules! tagged_routes {
    ($tag:literal; $(
        $(#[$meta:meta])*
        $method:ident $path:literal, $id:literal, $summary:literal { $($rest:tt)* }
        $handler:item
    )+) => {
        $(
            $(#[$meta])*
            #[utoipa::path($method, path = $path, operation_id = $id, tag = $tag, summary = $summary, $($rest)*)]
            $handler
        )+
    };
}
