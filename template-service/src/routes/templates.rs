//! `/payModeTemplates` and `/registerPayModeTemplate`, and the same reads under `/internal/v1`.

use actix_web::{HttpRequest, HttpResponse, web};
use payserver_shared::auth::{Caller, Role};
use payserver_shared::collection::{Collection, OrderBy, Page};
use payserver_shared::href::BaseUrl;
use payserver_shared::params::Params;
use payserver_shared::path::path_id;
use payserver_shared::{ApiError, ApiResult};

use super::view::TemplateView;
use crate::db::repo::{self, ListFilter};
use crate::domain::template::ORDER_FIELDS;
use crate::domain::{RegisterRequest, Status};
use crate::startup::AppState;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/payModeTemplates").route(web::get().to(list)))
        .service(web::resource("/payModeTemplates/{uuid}").route(web::get().to(get)))
        .service(web::resource("/registerPayModeTemplate").route(web::post().to(register)));
}

/// Who may read templates: merchants and admins on the public routes, the platform's services
/// on the internal ones (the `Caller` extractor has already matched the token's scope to the
/// path, so a `service` role can only be present here on `/internal`). Connector credentials
/// and role-less tokens read nothing.
fn may_read(caller: &Caller) -> ApiResult<()> {
    caller.require_merchant_or_privileged()
}

#[tracing::instrument(skip_all)]
pub(super) async fn list(
    caller: Caller,
    params: Params,
    base: BaseUrl,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    may_read(&caller)?;
    let page = Page::from_params(&params)?;
    let order = OrderBy::parse(params.str("orderBy"), &ORDER_FIELDS)?;
    let filter = ListFilter {
        status: params.one_of("status", &Status::ALL)?,
        name: params.str("name").map(str::to_string),
        pay_channel: params.str("payChannel").map(str::to_string),
        pay_template_id: params.str("payTemplateId").map(str::to_string),
    };
    let (size, rows) = state
        .db
        .run(move |conn| repo::list(conn, &filter, order, page))
        .await
        .map_err(ApiError::from)?;
    let items = rows
        .into_iter()
        .map(|r| TemplateView::new(r, &base, &state.clock))
        .collect();
    Ok(HttpResponse::Ok().json(Collection::new(base.request_href(&req), page, size, items)))
}

#[tracing::instrument(skip_all, fields(uuid = %path))]
pub(super) async fn get(
    caller: Caller,
    path: web::Path<String>,
    base: BaseUrl,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    may_read(&caller)?;
    let uuid = path_id(path.into_inner())?;
    let row = state
        .db
        .run(move |conn| repo::by_uuid(conn, &uuid))
        .await
        .map_err(ApiError::from)?;
    Ok(HttpResponse::Ok().json(TemplateView::new(row, &base, &state.clock)))
}

/// Upsert by `payTemplateId`: 201 when created, 200 when updated. Admin only.
#[tracing::instrument(skip_all)]
async fn register(
    caller: Caller,
    body: web::Json<RegisterRequest>,
    base: BaseUrl,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    caller.require(Role::Admin)?;
    let patch = body.into_inner().validate().map_err(ApiError::from)?;
    let now = payserver_shared::time::now_ms();
    let (row, created) = state
        .db
        .run(move |conn| repo::register(conn, &patch, now))
        .await
        .map_err(ApiError::from)?;
    tracing::info!(pay_template_id = %row.pay_template_id, created, "template registered");
    let view = TemplateView::new(row, &base, &state.clock);
    Ok(if created {
        HttpResponse::Created().json(view)
    } else {
        HttpResponse::Ok().json(view)
    })
}
