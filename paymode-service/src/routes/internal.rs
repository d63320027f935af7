//! Internal reads for other services (payorder-service looks modes up here). Served under
//! `/internal/v1`, which the gateway does not forward, and only to the `service` role.

use actix_web::{HttpResponse, web};
use payserver_shared::auth::{Caller, Role};
use payserver_shared::href::BaseUrl;
use payserver_shared::{ApiError, ApiResult};

use super::view::PayModeView;
use crate::db::repo;
use crate::startup::AppState;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/payModes/{uuid}").route(web::get().to(get)));
}

/// A pay mode of any merchant, in its public JSON (with `merchantUUID`, `isOpened`, `isOnline`,
/// `payUrl`, ... for the pay checks).
#[tracing::instrument(skip_all, fields(uuid = %path))]
async fn get(
    caller: Caller,
    path: web::Path<String>,
    base: BaseUrl,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    caller.require(Role::Service)?;
    let uuid = path.into_inner();
    let row = state
        .db
        .run(move |conn| repo::by_uuid(conn, &uuid, None))
        .await
        .map_err(ApiError::from)?;
    Ok(HttpResponse::Ok().json(PayModeView::new(row, &base, &state.clock)))
}
