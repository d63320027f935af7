//! The management API (API.md A.7), served under `/api/v1.0.0` and its alias `/api/v1`.
//! The connector contract's own routes come from `connector_contract::server::configure`.
//! Every route needs the merchant or admin role; every `{uuid}` goes through
//! `shared::path::path_id`, since actix has percent-decoded it and a `%2F` would otherwise
//! reach the database as a `/`.

pub(crate) mod accounters;
pub(crate) mod persons;
pub(crate) mod statement;
pub(crate) mod view;

use actix_web::web;
use connector_contract::shared::ApiResult;
use connector_contract::shared::auth::{Caller, Role};
use connector_contract::shared::db::DbConnection;
use connector_contract::shared::http::public_api;
use connector_contract::shared::listing::{ListCall, ListRequest, Listing};
use connector_contract::shared::path::path_id;

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
