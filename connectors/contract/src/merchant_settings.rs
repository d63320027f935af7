//! What the channels' per-merchant settings routes (`/wechatMerchants/{merchantUUID}`,
//! `/alipayMerchants/{merchantUUID}`) share. Which channel account a merchant is paid into is
//! an operator's decision, so only admins write; a merchant reads its own entry, and another
//! merchant's entry answers exactly like a missing one.

use actix_web::HttpResponse;
use serde::Serialize;

use crate::shared::auth::{Caller, Role};
use crate::shared::db::{Database, DbConnection, DbError};
use crate::shared::href::BaseUrl;
use crate::shared::time::now_ms;
use crate::shared::{ApiError, ApiResult};

/// Reading `merchant`'s entry: the merchant itself, or an admin (other roles are a 403).
/// Another merchant's is `not_found`.
pub fn may_read(caller: &Caller, merchant: &str, not_found: impl Into<ApiError>) -> ApiResult<()> {
    caller.require_merchant_or_admin()?;
    if caller.has(Role::Admin) || caller.merchant_uuid.as_deref() == Some(merchant) {
        Ok(())
    } else {
        Err(not_found.into())
    }
}

/// The answer to a `DELETE`: `204` when there was an entry to remove, else `not_found`.
pub fn deleted(found: bool, not_found: impl Into<ApiError>) -> ApiResult<HttpResponse> {
    if found {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(not_found.into())
    }
}

/// One channel's per-merchant settings, as the `GET`, `PUT` and `DELETE` of
/// `/{resource}/{merchantUUID}` need them ([`get`], [`put`], [`delete`]); implemented by the
/// connector's application state.
pub trait MerchantSettings: Send + Sync + 'static {
    /// The stored entry.
    type Row: Send + 'static;
    /// The `PUT` body.
    type Request;
    /// What a `PUT` stores, once validated.
    type Settings: Send + 'static;
    /// The answer's body.
    type View: Serialize;
    type Error: From<DbError> + Into<ApiError> + Send + 'static;

    fn db(&self) -> &Database;
    /// No entry for the merchant (or another merchant's).
    fn not_found() -> Self::Error;
    /// The path's merchantUUID, or a 400 where the channel checks its form.
    fn merchant_of(path: &str) -> ApiResult<String>;
    /// The body's settings, or why they are not (a 400).
    fn settings(body: Self::Request) -> Result<Self::Settings, String>;
    fn view(&self, row: Self::Row, base: &BaseUrl) -> Self::View;
    fn load(conn: &mut DbConnection, merchant: &str) -> Result<Option<Self::Row>, Self::Error>;
    /// Creates or replaces the merchant's entry.
    fn store(
        conn: &mut DbConnection,
        merchant: &str,
        settings: &Self::Settings,
        now: i64,
    ) -> Result<Self::Row, Self::Error>;
    /// Logs a stored entry.
    fn stored(row: &Self::Row);
    /// Whether there was an entry to remove.
    fn remove(conn: &mut DbConnection, merchant: &str) -> Result<bool, Self::Error>;
}

/// `GET`: the merchant itself or an admin ([`may_read`]), then the entry.
pub async fn get<S: MerchantSettings>(s: &S, caller: &Caller, path: &str, base: &BaseUrl) -> ApiResult<HttpResponse> {
    may_read(caller, path, S::not_found())?;
    let merchant = S::merchant_of(path)?;
    let row = s
        .db()
        .run(move |conn| S::load(conn, &merchant)?.ok_or_else(S::not_found))
        .await
        .map_err(Into::into)?;
    Ok(HttpResponse::Ok().json(s.view(row, base)))
}

/// `PUT`: admins only, then the path, then the body; answers the stored entry.
pub async fn put<S: MerchantSettings>(
    s: &S,
    caller: &Caller,
    path: &str,
    body: S::Request,
    base: &BaseUrl,
) -> ApiResult<HttpResponse> {
    caller.require(Role::Admin)?;
    let merchant = S::merchant_of(path)?;
    let settings = S::settings(body).map_err(ApiError::bad_request)?;
    let now = now_ms();
    let row = s
        .db()
        .run(move |conn| S::store(conn, &merchant, &settings, now))
        .await
        .map_err(Into::into)?;
    S::stored(&row);
    Ok(HttpResponse::Ok().json(s.view(row, base)))
}

/// `DELETE`: admins only, then the path; [`deleted`].
pub async fn delete<S: MerchantSettings>(s: &S, caller: &Caller, path: &str) -> ApiResult<HttpResponse> {
    caller.require(Role::Admin)?;
    let merchant = S::merchant_of(path)?;
    let found = s
        .db()
        .run(move |conn| S::remove(conn, &merchant))
        .await
        .map_err(Into::into)?;
    deleted(found, S::not_found())
}

/// The OpenAPI part of a connector whose only public routes are the merchant settings
/// (`GET`, `PUT` and `DELETE` of `/{resource}/{merchantUUID}` in `crate::routes::merchants`):
/// named from the resource (`alipayMerchants`), the view's schema name (`AlipayMerchant`, whose
/// request is `AlipayMerchantRequest`) and the request's type.
#[macro_export]
macro_rules! merchant_settings_api_doc {
    ($resource:literal, $schema:literal, $request:path) => {
        $crate::connector_api_doc! {
            paths(merchants::get, merchants::put, merchants::delete),
            schemas(merchants::MerchantView, $request, $crate::shared::ApiError),
            tag = $resource,
            operations = [
                (concat!("/api/v1.0.0/", $resource, "/{merchantUUID}"), "get", concat!("get", $schema)),
                (concat!("/api/v1.0.0/", $resource, "/{merchantUUID}"), "put", concat!("put", $schema)),
                (concat!("/api/v1.0.0/", $resource, "/{merchantUUID}"), "delete", concat!("delete", $schema)),
            ],
            schema_names = [$schema, concat!($schema, "Request"), "Error"],
        }
    };
}

/// A channel's `/{resource}/{merchantUUID}` routes: `$state`'s [`MerchantSettings`] (over the
/// queries of [`merchant_settings_repo!`](crate::merchant_settings_repo) in `$repo`, the crate's
/// `Error`), the `config` and the three handlers with their `#[utoipa::path]`. Each operation
/// names its id, summary and description, and the 400 it can answer (a malformed path, where
/// the channel checks one, and a malformed body). The handlers run [`get`], [`put`] and
/// [`delete`].
#[macro_export]
macro_rules! merchant_settings_routes {
    (
        state = $state:ty,
        row = $row:ty,
        repo = $repo:ident,
        db = |$db_state:ident| $db:expr,
        merchant_of = $merchant_of:expr,
        request = $request:ty => $settings:ty: $settings_of:expr,
        view = $view:ty: |$view_state:ident, $view_row:ident, $view_base:ident| $to_view:expr,
        stored = |$stored_row:ident| $stored:expr,
        route = $route:literal,
        path = $path:literal,
        tag = $tag:literal,
        get = ($get_id:literal, $get_summary:literal, $get_description:literal $(, bad_path = $get_bad:literal)?),
        put = ($put_id:literal, $put_summary:literal, $put_description:literal, bad_body = $put_bad:literal),
        delete = ($delete_id:literal, $delete_summary:literal, $delete_description:literal $(, bad_path = $delete_bad:literal)?) $(,)?
    ) => {
        impl $crate::merchant_settings::MerchantSettings for $state {
            type Row = $row;
            type Request = $request;
            type Settings = $settings;
            type View = $view;
            type Error = Error;

            fn db(&self) -> &$crate::shared::db::Database {
                let $db_state = self;
                $db
            }

            fn not_found() -> Error {
                Error::NotFound
            }

            fn merchant_of(path: &str) -> $crate::shared::ApiResult<String> {
                ($merchant_of)(path)
            }

            fn settings(body: $request) -> Result<$settings, String> {
                ($settings_of)(body)
            }

            fn view(&self, row: $row, base: &$crate::shared::href::BaseUrl) -> $view {
                let ($view_state, $view_row, $view_base) = (self, row, base);
                $to_view
            }

            fn load(conn: &mut $crate::shared::db::DbConnection, merchant: &str) -> Result<Option<$row>, Error> {
                $repo::merchant(conn, merchant)
            }

            fn store(
                conn: &mut $crate::shared::db::DbConnection,
                merchant: &str,
                settings: &$settings,
                now: i64,
            ) -> Result<$row, Error> {
                $repo::put_merchant(conn, merchant, settings, now)
            }

            fn stored($stored_row: &$row) {
                $stored;
            }

            fn remove(conn: &mut $crate::shared::db::DbConnection, merchant: &str) -> Result<bool, Error> {
                $repo::delete_merchant(conn, merchant)
            }
        }

        pub fn config(cfg: &mut actix_web::web::ServiceConfig) {
            cfg.service(
                $crate::shared::http::endpoint($route)
                    .get(get)
                    .put(put)
                    .delete(delete),
            );
        }

        $crate::merchant_settings_operation! {
            get $path, $tag, $get_id, $get_summary, $get_description;
            responses(
                (status = 200, description = "OK", body = $view),
                $((status = 400, description = $get_bad, body = $crate::shared::ApiError),)?
                (status = 404, description = "Unknown resource (another merchant's answers alike).", body = $crate::shared::ApiError),
            )
            #[tracing::instrument(skip_all, fields(merchant = %path))]
            pub(crate) async fn get(
                caller: $crate::shared::auth::Caller,
                path: actix_web::web::Path<String>,
                base: $crate::shared::href::BaseUrl,
                state: actix_web::web::Data<$state>,
            ) -> $crate::shared::ApiResult<actix_web::HttpResponse> {
                $crate::merchant_settings::get(&**state, &caller, &path, &base).await
            }
        }

        $crate::merchant_settings_operation! {
            put $path, $tag, $put_id, $put_summary, $put_description;
            request_body = $request,
            responses(
                (status = 200, description = "OK", body = $view),
                (status = 400, description = $put_bad, body = $crate::shared::ApiError),
            )
            #[tracing::instrument(skip_all, fields(merchant = %path))]
            pub(crate) async fn put(
                caller: $crate::shared::auth::Caller,
                path: actix_web::web::Path<String>,
                body: actix_web::web::Json<$request>,
                base: $crate::shared::href::BaseUrl,
                state: actix_web::web::Data<$state>,
            ) -> $crate::shared::ApiResult<actix_web::HttpResponse> {
                $crate::merchant_settings::put(&**state, &caller, &path, body.into_inner(), &base).await
            }
        }

        $crate::merchant_settings_operation! {
            delete $path, $tag, $delete_id, $delete_summary, $delete_description;
            responses(
                (status = 204, description = "Removed."),
                $((status = 400, description = $delete_bad, body = $crate::shared::ApiError),)?
                (status = 404, description = "Unknown resource (another merchant's answers alike).", body = $crate::shared::ApiError),
            )
            #[tracing::instrument(skip_all, fields(merchant = %path))]
            pub(crate) async fn delete(
                caller: $crate::shared::auth::Caller,
                path: actix_web::web::Path<String>,
                state: actix_web::web::Data<$state>,
            ) -> $crate::shared::ApiResult<actix_web::HttpResponse> {
                $crate::merchant_settings::delete(&**state, &caller, &path).await
            }
        }
    };
}

/// One operation of [`merchant_settings_routes!`](crate::merchant_settings_routes): the
/// handler `$handler` with its `#[utoipa::path]` on `/{resource}/{merchantUUID}`.
#[doc(hidden)]
#[macro_export]
macro_rules! merchant_settings_operation {
    (
        $method:ident $path:literal, $tag:literal, $id:literal, $summary:literal, $description:literal;
        $(request_body = $request:ty,)?
        responses($($responses:tt)*)
        $handler:item
    ) => {
        #[utoipa::path(
            $method,
            path = $path,
            operation_id = $id,
            tag = $tag,
            summary = $summary,
            description = $description,
            params(("merchantUUID" = String, Path, description = "The merchant's uuid (1-64 of [0-9A-Za-z_-]).")),
            $(request_body = $request,)?
            responses($($responses)*)
        )]
        $handler
    };
}

/// The error type of a channel whose only stored state besides its trades is the merchant
/// settings (alipay, wechat): a 400, the merchant's missing entry (`$display` is its text, the
/// 404 says `$not_found`) and the database. A connector maps the missing entry to the contract
/// its own way (an entry that vanished under a trade).
#[macro_export]
macro_rules! merchant_settings_error {
    (
        display = $display:literal,
        not_found = $not_found:literal,
        connector { $($connector_pat:pat => $connector:expr,)+ }
    ) => {
        #[derive(Debug, thiserror::Error)]
        pub enum Error {
            #[error("{0}")]
            Invalid(String),
            #[error($display)]
            NotFound,
            #[error(transparent)]
            Db(#[from] $crate::shared::db::DbError),
        }

        $crate::db_errors!(Error);

        $crate::error_conversions! {
            api {
                Error::Invalid(msg) => ApiError::bad_request(msg),
                Error::NotFound => ApiError::not_found($not_found),
                Error::Db(db) => db.into(),
            }
            connector {
                Error::Invalid(msg) => ConnectorError::BadRequest(msg),
                $($connector_pat => $connector,)+
                Error::Db(e) => e.into(),
            }
        }
    };
}

/// The three queries of a channel's merchant settings table (`$m::$table`, keyed by a unique
/// `merchant_uuid`, with `created_at` and `modified_at`): `merchant`, `put_merchant` (creates
/// or replaces; `set` are the settings' columns, `insert` those and any more a new row takes)
/// and `delete_merchant`. The crate's `Error` has `NotFound` and comes from `db_errors!`.
#[macro_export]
macro_rules! merchant_settings_repo {
    (
        $m:ident::$table:ident -> $row:ty,
        put($settings:ident: $settings_ty:ty),
        set = ($($set:expr),+ $(,)?),
        insert = ($($insert:expr),+ $(,)?) $(,)?
    ) => {
        pub fn merchant(conn: &mut DbConnection, merchant_uuid: &str) -> Result<Option<$row>, Error> {
            Ok($crate::row_where!(conn, $m::$table, $m::merchant_uuid, merchant_uuid => $row)?)
        }

        /// Creates or replaces a merchant's entry.
        pub fn put_merchant(
            conn: &mut DbConnection,
            merchant_uuid: &str,
            $settings: $settings_ty,
            now: i64,
        ) -> Result<$row, Error> {
            $crate::shared::upsert::create_or_replace(conn, Error::is_unique_violation, |conn| {
                let updated = diesel::update($m::$table.filter($m::merchant_uuid.eq(merchant_uuid)))
                    .set(($($set,)+ $m::modified_at.eq(now)))
                    .execute(conn)?;
                if updated == 0 {
                    diesel::insert_into($m::$table)
                        .values((
                            $m::merchant_uuid.eq(merchant_uuid),
                            $($insert,)+
                            $m::created_at.eq(now),
                            $m::modified_at.eq(now),
                        ))
                        .execute(conn)?;
                }
                merchant(conn, merchant_uuid)?.ok_or(Error::NotFound)
            })
        }

        /// `true` when there was an entry to delete.
        pub fn delete_merchant(conn: &mut DbConnection, merchant_uuid: &str) -> Result<bool, Error> {
            let n = diesel::delete($m::$table.filter($m::merchant_uuid.eq(merchant_uuid))).execute(conn)?;
            Ok(n > 0)
        }
    };
}
