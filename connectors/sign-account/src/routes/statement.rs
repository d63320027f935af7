//! `/signAccounters/{uuid}/statement`: the accounter's ledger, newest first by default.

use actix_web::{HttpRequest, HttpResponse, web};
use connector_contract::shared::auth::Caller;
use connector_contract::shared::collection::{Collection, OrderBy, Page};
use connector_contract::shared::href::BaseUrl;
use connector_contract::shared::params::Params;
use connector_contract::shared::path::path_id;
use connector_contract::shared::time::Clock;
use connector_contract::shared::{ApiError, ApiResult};

use super::owner;
use super::view::LedgerView;
use crate::SignAccount;
use crate::db::repo::{self, StatementFilter};
use crate::domain::statement::{EntryKind, ORDER_FIELDS};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/signAccounters/{uuid}/statement").route(web::get().to(list)));
}

fn time(params: &Params, name: &str, clock: &Clock) -> ApiResult<Option<i64>> {
    params
        .str(name)
        .map(|s| {
            clock.parse_filter(s).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "{name} must be \"YYYY-MM-DD HH:mm:ss\" or 13-digit epoch milliseconds"
                ))
            })
        })
        .transpose()
}

#[tracing::instrument(skip_all, fields(accounter = %path))]
async fn list(
    caller: Caller,
    path: web::Path<String>,
    params: Params,
    base: BaseUrl,
    req: HttpRequest,
    state: web::Data<SignAccount>,
) -> ApiResult<HttpResponse> {
    let (owner, accounter) = (owner(&caller)?, path_id(path.into_inner())?);
    let page = Page::from_params(&params)?;
    let order = OrderBy::parse(params.str("orderBy"), &ORDER_FIELDS)?;
    let filter = StatementFilter {
        kind: params.one_of("kind", &EntryKind::ALL)?,
        traction_no: params.str("tractionNo").map(str::to_string),
        pay_traction_no: params.str("payTractionNo").map(str::to_string),
        start_ms: time(&params, "startTime", &state.clock)?,
        end_ms: time(&params, "endTime", &state.clock)?,
    };
    let (size, rows) = state
        .db
        .run(move |conn| repo::statement(conn, &accounter, owner.as_deref(), &filter, order, page))
        .await
        .map_err(ApiError::from)?;
    let items = rows.into_iter().map(|r| LedgerView::new(r, &state.clock)).collect();
    Ok(HttpResponse::Ok().json(Collection::new(base.request_href(&req), page, size, items)))
}
