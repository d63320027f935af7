//! The management API (API.md A.7), served under `/api/v1.0.0` and its alias `/api/v1`.
//! The connector contract's own routes come from `connector_contract::server::configure`.
//! Every route needs the merchant or admin role; every `{uuid}` goes through
//! `shared::path::path_id`, since actix has percent-decoded it and a `%2F` would otherwise
//! reach the database as a `/`.

/// A list under the path's accounter (`/signAccounters/{uuid}/...`: its persons, its ledger):
/// the query parameters, the `#[utoipa::path]` and a handler reading one page through
/// [`accounter_page`]. `|$call, $state, $row| view` turns a row into the answer's item.
macro_rules! accounter_list {
    (
        $(#[$params_doc:meta])*
        $params:ident = $listing:ident;
        $path:literal, $operation_id:literal, $summary:literal;
        $view:ty, $fetch:path, |$call:ident, $state:ident, $row:ident| $to_view:expr
    ) => {
        connector_contract::shared::list_params!(
            $(#[$params_doc])*
            pub(crate) $params, $listing
        );

        #[utoipa::path(
            get,
            path = $path,
            operation_id = $operation_id,
            tag = "signAccounters",
            summary = $summary,
            params(UuidPath, $params),
            responses(
                (status = 200, description = "OK", body = Collection<$view>),
                (status = 404, description = "Unknown resource (another merchant's answers alike).", body = ApiError),
            )
        )]
        #[tracing::instrument(skip_all, fields(accounter = %path))]
        pub(crate) async fn list(
            $call: ListCall,
            path: web::Path<String>,
            $state: web::Data<SignAccount>,
        ) -> ApiResult<HttpResponse> {
            let (query, size, rows) = super::accounter_page(&$call, path, &$state, &$listing, $fetch).await?;
            let items = rows.into_iter().map(|$row| $to_view).collect();
            Ok($call.respond::<$view>(&query, size, items))
        }
    };
}

/// The `GET` and `PUT` of one resource (an accounter, a person): its `#[utoipa::path]`s and
/// handlers. `$key` turns the caller and the path into the caller's scope and the resource's
/// key, each checked; `load` and `store` are the repository calls, as closures of the
/// connection, the key and the scope (and the validated patch and the time, for `store`);
/// the answer is the row's `$view`. A `PUT` validates its body with `$validate` first. With
/// `span_field`, the handlers' spans record the path under that name.
macro_rules! resource_routes {
    (
        path = $path:literal, $path_ty:ty => $key:path, $view:ident,
        $(span_field = $span_field:ident,)?
        get = ($get_id:literal, $get_summary:literal, params($($params:tt)*)),
        load = |$lconn:ident, $lkey:pat_param, $lowner:ident| $load:expr,
        $(#[$put_doc:meta])*
        put = ($put_id:literal, $put_summary:literal $(, description = $put_description:literal)?),
        body = $body:ty => $validate:ident $(, conflict = $conflict:literal)?,
        store = |$sconn:ident, $skey:pat_param, $sowner:ident, $patch:ident, $now:ident| $store:expr $(,)?
    ) => {
        #[utoipa::path(
            get,
            path = $path,
            operation_id = $get_id,
            tag = "signAccounters",
            summary = $get_summary,
            params($($params)*),
            responses(
                (status = 200, description = "OK", body = $view),
                (status = 404, description = "Unknown resource (another merchant's answers alike).", body = ApiError),
            )
        )]
        #[tracing::instrument(skip_all $(, fields($span_field = %path))?)]
        pub(crate) async fn get(
            caller: Caller,
            path: web::Path<$path_ty>,
            base: BaseUrl,
            state: web::Data<SignAccount>,
        ) -> ApiResult<HttpResponse> {
            let (owner, key) = $key(&caller, path)?;
            let load = move |$lconn: &mut connector_contract::shared::db::DbConnection| {
                let ($lkey, $lowner) = (key, owner.as_deref());
                $load
            };
            super::answer(&state, load, |row, clock| $view::new(row, &base, clock)).await
        }

        $(#[$put_doc])*
        #[utoipa::path(
            put,
            path = $path,
            operation_id = $put_id,
            tag = "signAccounters",
            summary = $put_summary,
            $(description = $put_description,)?
            params($($params)*),
            request_body = $body,
            responses(
                (status = 200, description = "OK", body = $view),
                (status = 404, description = "Unknown resource (another merchant's answers alike).", body = ApiError),
                $((status = 409, description = $conflict, body = ApiError),)?
            )
        )]
        #[tracing::instrument(skip_all $(, fields($span_field = %path))?)]
        pub(crate) async fn update(
            caller: Caller,
            path: web::Path<$path_ty>,
            body: web::Json<$body>,
            base: BaseUrl,
            state: web::Data<SignAccount>,
        ) -> ApiResult<HttpResponse> {
            let (owner, key) = $key(&caller, path)?;
            let patch = body.into_inner().$validate()?;
            let now = now_ms();
            let store = move |$sconn: &mut connector_contract::shared::db::DbConnection| {
                let ($skey, $sowner, $patch, $now) = (key, owner.as_deref(), &patch, now);
                $store
            };
            super::answer(&state, store, |row, clock| $view::new(row, &base, clock)).await
        }
    };
}

pub(crate) mod accounters;
pub(crate) mod persons;
pub(crate) mod statement;
pub(crate) mod view;

use actix_web::{HttpResponse, web};
use connector_contract::shared::ApiResult;
use connector_contract::shared::auth::{Caller, Role};
use connector_contract::shared::db::DbConnection;
use connector_contract::shared::http::public_api;
use connector_contract::shared::listing::{ListCall, ListRequest, Listing};
use connector_contract::shared::path::path_id;
use connector_contract::shared::time::Clock;
use serde::Serialize;

use crate::SignAccount;
use crate::error::Error;

pub fn config(cfg: &mut web::ServiceConfig) {
    public_api(cfg, |cfg| {
        cfg.configure(accounters::config)
            .configure(persons::config)
            .configure(statement::config);
    });
}

/// The merchant whose accounters a caller may address by uuid: `None` for admins (all). Only
/// the merchant and admin roles manage accounters (403 otherwise); a merchant token bound to
/// no merchant sees nothing: every uuid is a 404. (Service tokens never reach these public
/// routes: the `Caller` extractor refuses them.)
fn owner(caller: &Caller) -> ApiResult<Option<String>> {
    caller.require_merchant_or_admin()?;
    if caller.has(Role::Admin) {
        return Ok(None);
    }
    caller
        .merchant_uuid
        .clone()
        .map(Some)
        .ok_or_else(|| Error::NotFound("signAccounter").into())
}

/// Runs `f` on the database: its row as `view` renders it.
async fn view_of<R: Send + 'static, V>(
    state: &SignAccount,
    f: impl FnOnce(&mut DbConnection) -> Result<R, Error> + Send + 'static,
    view: impl FnOnce(R, &Clock) -> V,
) -> ApiResult<V> {
    let row = state.db.run(f).await?;
    Ok(view(row, &state.clock))
}

/// [`view_of`], answered 200.
async fn answer<R: Send + 'static, V: Serialize>(
    state: &SignAccount,
    f: impl FnOnce(&mut DbConnection) -> Result<R, Error> + Send + 'static,
    view: impl FnOnce(R, &Clock) -> V,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(view_of(state, f, view).await?))
}

/// How a sub-collection of one accounter (its persons, its ledger) is read: the accounter's
/// uuid, the caller's scope and the parsed call, to one page and the number of all matches.
type AccounterPage<R> = fn(&mut DbConnection, &str, Option<&str>, &ListRequest) -> Result<(i64, Vec<R>), Error>;

/// One page of a sub-collection of the path's accounter, 404 unless the caller sees the
/// accounter. The accounter is the path's, so the listing has no merchant filter.
async fn accounter_page<Q, R: Send + 'static>(
    call: &ListCall,
    path: web::Path<String>,
    state: &SignAccount,
    listing: &Listing<Q>,
    fetch: AccounterPage<R>,
) -> ApiResult<(ListRequest, i64, Vec<R>)> {
    let (owner, accounter) = (owner(&call.caller)?, path_id(path.into_inner())?);
    let query = listing.parse(&call.params, &state.clock)?;
    let q = query.clone();
    let (size, rows) = state
        .db
        .run(move |conn| fetch(conn, &accounter, owner.as_deref(), &q))
        .await?;
    Ok((query, size, rows))
}
