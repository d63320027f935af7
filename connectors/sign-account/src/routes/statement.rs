//! `/signAccounters/{uuid}/statement`: the accounter's ledger, newest first by default.

use actix_web::{HttpResponse, web};
use connector_contract::shared::collection::Collection;
use connector_contract::shared::http::endpoint;
use connector_contract::shared::listing::ListCall;
use connector_contract::shared::path::UuidPath;
use connector_contract::shared::{ApiError, ApiResult};

use super::accounter_page;
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
    params(UuidPath, StatementParams),
    responses(
        (status = 200, description = "OK", body = Collection<LedgerView>),
        (status = 404, description = "Unknown resource (another merchant's answers alike).", body = ApiError),
    )
)]
#[tracing::instrument(skip_all, fields(accounter = %path))]
pub(crate) async fn list(
    call: ListCall,
    path: web::Path<String>,
    state: web::Data<SignAccount>,
) -> ApiResult<HttpResponse> {
    let (query, size, rows) = accounter_page(&call, path, &state, &STATEMENT, repo::statement).await?;
    let items = rows.into_iter().map(|r| LedgerView::new(r, &state.clock)).collect();
    Ok(call.respond::<LedgerView>(&query, size, items))
}
