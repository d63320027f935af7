//! `/payOrders` and the pay-order sub-collections of pay modes and templates. Public routes
//! take the `merchant` or `admin` role; the internal reads (internal.rs) share the functions.

use actix_web::{HttpRequest, HttpResponse, web};
use payserver_shared::auth::Caller;
use payserver_shared::collection::{Collection, OrderBy, Page};
use payserver_shared::db::DbError;
use payserver_shared::href::BaseUrl;
use payserver_shared::http::RequestId;
use payserver_shared::params::Params;
use payserver_shared::path::path_id;
use payserver_shared::{ApiError, ApiResult};

use super::{list_scope, view};
use crate::db::models::OrderRow;
use crate::db::orders::{self, OrderFilter};
use crate::domain::{ORDER_FIELDS, PayStatus};
use crate::startup::AppState;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/payOrders").route(web::get().to(list)))
        .service(web::resource("/payOrders/{uuid}").route(web::get().to(get)))
        .service(web::resource("/payModes/{uuid}/payOrders").route(web::get().to(list_of_mode)))
        .service(web::resource("/payModeTemplates/{uuid}/payOrders").route(web::get().to(list_of_template)));
}

/// An order the caller may see, or 404 (another merchant's order is as unknown as a missing
/// one). The caller's role was checked by the handler.
pub async fn visible_order(state: &AppState, caller: &Caller, uuid: String) -> Result<OrderRow, ApiError> {
    let row = state
        .db
        .run(move |c| orders::by_uuid(c, &uuid).map_err(DbError::from))
        .await
        .map_err(ApiError::from)?;
    row.filter(|o| caller.may_see(&o.merchant_uuid))
        .ok_or_else(|| ApiError::not_found("payOrder not found"))
}

/// The pay mode of a sub-collection, checked to exist and be the caller's.
pub async fn visible_mode(state: &AppState, caller: &Caller, uuid: &str, rid: &RequestId) -> Result<(), ApiError> {
    let mode = state.upstreams.pay_mode(uuid, rid).await?;
    match mode {
        Some(m) if caller.may_see(&m.merchant_uuid) => Ok(()),
        _ => Err(ApiError::not_found("payMode not found")),
    }
}

fn filter(state: &AppState, caller: &Caller, params: &Params) -> Result<OrderFilter, ApiError> {
    Ok(OrderFilter {
        merchant: list_scope(caller, params)?,
        client_pay_no: params.str("clientPayNo").map(str::to_string),
        traction_no: params.str("tractionNo").map(str::to_string),
        pay_mode_uuid: params.str("payModeUUID").map(str::to_string),
        pay_template_id: params.str("payTemplateId").map(str::to_string),
        status: params.one_of("status", &PayStatus::ALL)?,
        start: params.time(&state.clock, "startTime")?,
        end: params.time(&state.clock, "endTime")?,
    })
}

async fn respond(
    state: &AppState,
    f: OrderFilter,
    params: &Params,
    base: &BaseUrl,
    req: &HttpRequest,
) -> ApiResult<HttpResponse> {
    let page = Page::from_params(params)?;
    let order = OrderBy::parse(params.str("orderBy"), &ORDER_FIELDS)?;
    let (size, rows) = state
        .db
        .run(move |c| orders::list(c, &f, order, page).map_err(DbError::from))
        .await
        .map_err(ApiError::from)?;
    let items = rows.iter().map(|o| view::order(o, base, &state.clock)).collect();
    Ok(HttpResponse::Ok().json(Collection::new(base.request_href(req), page, size, items)))
}

/// `GET /payOrders` for a caller whose role the route has checked.
pub async fn list_orders(
    state: &AppState,
    caller: &Caller,
    params: &Params,
    base: &BaseUrl,
    req: &HttpRequest,
) -> ApiResult<HttpResponse> {
    let f = filter(state, caller, params)?;
    respond(state, f, params, base, req).await
}

/// `GET /payOrders/{uuid}` for a caller whose role the route has checked.
pub async fn get_order(state: &AppState, caller: &Caller, uuid: String, base: &BaseUrl) -> ApiResult<HttpResponse> {
    let order = visible_order(state, caller, uuid).await?;
    Ok(HttpResponse::Ok().json(view::order(&order, base, &state.clock)))
}

async fn list(
    caller: Caller,
    params: Params,
    base: BaseUrl,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    caller.require_merchant_or_admin()?;
    list_orders(&state, &caller, &params, &base, &req).await
}

async fn get(
    caller: Caller,
    path: web::Path<String>,
    base: BaseUrl,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    caller.require_merchant_or_admin()?;
    let uuid = path_id(path.into_inner())?;
    get_order(&state, &caller, uuid, &base).await
}

async fn list_of_mode(
    caller: Caller,
    path: web::Path<String>,
    params: Params,
    base: BaseUrl,
    req: HttpRequest,
    rid: RequestId,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    caller.require_merchant_or_admin()?;
    let mode = path_id(path.into_inner())?;
    let mut f = filter(&state, &caller, &params)?;
    visible_mode(&state, &caller, &mode, &rid).await?;
    f.pay_mode_uuid = Some(mode);
    respond(&state, f, &params, &base, &req).await
}

async fn list_of_template(
    caller: Caller,
    path: web::Path<String>,
    params: Params,
    base: BaseUrl,
    req: HttpRequest,
    rid: RequestId,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    caller.require_merchant_or_admin()?;
    let template = path_id(path.into_inner())?;
    let mut f = filter(&state, &caller, &params)?;
    let pay_template_id = state
        .upstreams
        .template_pay_id(&template, &rid)
        .await?
        .ok_or_else(|| ApiError::not_found("payModeTemplate not found"))?;
    f.pay_template_id = Some(pay_template_id);
    respond(&state, f, &params, &base, &req).await
}
