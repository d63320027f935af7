//! `/signAccounters/{uuid}/statement`: the accounter's ledger, newest first by default.

use actix_web::{HttpResponse, web};
use connector_contract::shared::collection::Collection;
use connector_contract::shared::http::endpoint;
use connector_contract::shared::listing::ListCall;
use connector_contract::shared::path::UuidPath;
use connector_contract::shared::{ApiError, ApiResult};

use super::view::LedgerView;
use crate::SignAccount;
use crate::db::repo::{self, STATEMENT};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(endpoint("/signAccounters/{uuid}/statement").get(list));
}

accounter_list! {
    /// The query parameters of `GET /signAccounters/{uuid}/statement`.
    StatementParams = STATEMENT;
    "/api/v1.0.0/signAccounters/{uuid}/statement", "getSignAccounterStatement", "An accounter's ledger";
    LedgerView, repo::statement, |call, state, r| LedgerView::new(r, &state.clock)
}
