//! `/signAccounters/{uuid}/statement`: the accounter's ledger, newest first by default.

use actix_web::{HttpRequest, HttpResponse, web};
use connector_contract::shared::auth::Caller;
use connector_contract::shared::collection::Collection;
use connector_contract::shared::href::BaseUrl;
use connector_contract::shared::http::endpoint;
use connector_contract::shared::params::Params;
use connector_contract::shared::path::path_id;
use connector_contract::shared::{ApiError, ApiResult};

use super::owner;
use super::view::LedgerView;
use crate::SignAccount;
use crate::db::repo::{self, STATEMENT};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(endpoint("/signAccounters/{uuid}/statement").get(list));
}

connector_contract::shared::list_params!(
    /// The query parameters of `GET /signAccounters/{uuid}/statement`.
    pub(crate) StatementParams, STATEMENT
);

#[utoipa::path(
    get,
    path = "/api/v1.0.0/signAccounters/{uuid}/statement",
    operation_id = "getSignAccounterStatement",
    tag = "signAccounters",
    summary = "An accounter's ledger",
    params(("uuid" = String, Path, description = "The resource's uuid (22 of [0-9A-Za-z]).", example = "irAl37TewwGEchYrXUWsfA"), StatementParams),
    responses(
        (status = 200, description = "OK", body = Collection<LedgerView>),
        (status = 404, description = "Unknown resource (another merchant's answers alike).", body = ApiError),
    )
)]
#[tracing::instrument(skip_all, fields(accounter = %path))]
pub(crate) async fn list(
    caller: Caller,
    path: web::Path<String>,
    params: Params,
    base: BaseUrl,
    req: HttpRequest,
    state: web::Data<SignAccount>,
) -> ApiResult<HttpResponse> {
    let (owner, accounter) = (owner(&caller)?, path_id(path.into_inner())?);
    let query = STATEMENT.parse(&params, &state.clock)?;
    let q = query.clone();
    let (size, rows) = state
        .db
        .run(move |conn| repo::statement(conn, &accounter, owner.as_deref(), &q))
        .await
        .map_err(ApiError::from)?;
    let items = rows.into_iter().map(|r| LedgerView::new(r, &state.clock)).collect();
    Ok(HttpResponse::Ok().json(query.collection(&base, &req, size, items)))
}
