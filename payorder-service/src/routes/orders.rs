//! `/payOrders` and the pay-order sub-collections of pay modes and templates. Public routes
//! take the `merchant` or `admin` role; the internal reads (internal.rs) share the functions.

use actix_web::{HttpRequest, HttpResponse, web};
use payserver_shared::auth::Caller;
use payserver_shared::collection::Collection;
use payserver_shared::db::DbError;
use payserver_shared::href::BaseUrl;
use payserver_shared::http::RequestId;
use payserver_shared::http::endpoint;
use payserver_shared::listing::ListRequest;
use payserver_shared::params::Params;
use payserver_shared::path::path_id;
use payserver_shared::{ApiError, ApiResult};

use super::view::{self, OrderView};
use crate::db::models::OrderRow;
use crate::db::orders::{self, ORDERS};
use crate::startup::AppState;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(endpoint("/payOrders").get(list))
        .service(endpoint("/payOrders/{uuid}").get(get))
        .service(endpoint("/payModes/{uuid}/payOrders").get(list_of_mode))
        .service(endpoint("/payModeTemplates/{uuid}/payOrders").get(list_of_template));
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

async fn respond(state: &AppState, req: ListRequest, base: &BaseUrl, http: &HttpRequest) -> ApiResult<HttpResponse> {
    let query = req.clone();
    let (size, rows) = state
        .db
        .run(move |c| ORDERS.fetch(c, orders::all, &query).map_err(DbError::from))
        .await
        .map_err(ApiError::from)?;
    let items = rows.iter().map(|o| view::order(o, base, &state.clock)).collect();
    Ok(HttpResponse::Ok().json(req.collection(base, http, size, items)))
}

/// `GET /payOrders` for a caller whose role the route has checked.
pub async fn list_orders(
    state: &AppState,
    caller: &Caller,
    params: &Params,
    base: &BaseUrl,
    req: &HttpRequest,
) -> ApiResult<HttpResponse> {
    let f = ORDERS.parse_for(caller, params, &state.clock)?;
    respond(state, f, base, req).await
}

/// `GET /payOrders/{uuid}` for a caller whose role the route has checked.
pub async fn get_order(state: &AppState, caller: &Caller, uuid: String, base: &BaseUrl) -> ApiResult<HttpResponse> {
    let order = visible_order(state, caller, uuid).await?;
    Ok(HttpResponse::Ok().json(view::order(&order, base, &state.clock)))
}

#[utoipa::path(
    get,
    path = "/api/v1.0.0/payOrders",
    operation_id = "listPayOrders",
    tag = "payOrders",
    summary = "List pay orders",
    description = "Scoped to the caller's merchant (admins and services: all, or the one named). `startTime`/`endTime` filter on `createdAt`.",
    params(crate::api_doc::PayOrderListParams),
    responses(
        (status = 200, description = "OK", body = Collection<OrderView>)
    )
)]
pub(crate) async fn list(
    caller: Caller,
    params: Params,
    base: BaseUrl,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    caller.require_merchant_or_admin()?;
    list_orders(&state, &caller, &params, &base, &req).await
}

#[utoipa::path(
    get,
    path = "/api/v1.0.0/payOrders/{uuid}",
    operation_id = "getPayOrder",
    tag = "payOrders",
    summary = "Get a pay order",
    params(("uuid" = String, Path, description = "The resource's uuid (22 of [0-9A-Za-z]).", example = "irAl37TewwGEchYrXUWsfA")),
    responses(
        (status = 200, description = "OK", body = OrderView),
        (status = 404, description = "The pay order is unknown or another merchant's.", body = ApiError)
    )
)]
pub(crate) async fn get(
    caller: Caller,
    path: web::Path<String>,
    base: BaseUrl,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    caller.require_merchant_or_admin()?;
    let uuid = path_id(path.into_inner())?;
    get_order(&state, &caller, uuid, &base).await
}

#[utoipa::path(
    get,
    path = "/api/v1.0.0/payModes/{uuid}/payOrders",
    operation_id = "listPayOrdersOfPayMode",
    tag = "payOrders",
    summary = "List a pay mode's orders",
    params(("uuid" = String, Path, description = "The resource's uuid (22 of [0-9A-Za-z]).", example = "irAl37TewwGEchYrXUWsfA"), crate::api_doc::PayOrderListParams),
    responses(
        (status = 200, description = "OK", body = Collection<OrderView>),
        (status = 404, description = "The pay mode is unknown or another merchant's.", body = ApiError)
    )
)]
pub(crate) async fn list_of_mode(
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
    let mut f = ORDERS.parse_for(&caller, &params, &state.clock)?;
    visible_mode(&state, &caller, &mode, &rid).await?;
    f.pin("payModeUUID", mode);
    respond(&state, f, &base, &req).await
}

#[utoipa::path(
    get,
    path = "/api/v1.0.0/payModeTemplates/{uuid}/payOrders",
    operation_id = "listPayOrdersOfTemplate",
    tag = "payOrders",
    summary = "List a template's orders",
    params(("uuid" = String, Path, description = "The resource's uuid (22 of [0-9A-Za-z]).", example = "irAl37TewwGEchYrXUWsfA"), crate::api_doc::PayOrderListParams),
    responses(
        (status = 200, description = "OK", body = Collection<OrderView>),
        (status = 404, description = "The template is unknown.", body = ApiError)
    )
)]
pub(crate) async fn list_of_template(
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
    let mut f = ORDERS.parse_for(&caller, &params, &state.clock)?;
    let pay_template_id = state
        .upstreams
        .template_pay_id(&template, &rid)
        .await?
        .ok_or_else(|| ApiError::not_found("payModeTemplate not found"))?;
    f.pin("payTemplateId", pay_template_id);
    respond(&state, f, &base, &req).await
}
