//! `/payOrders` and the pay-order sub-collections of pay modes and templates. Public routes
//! take the `merchant` or `admin` role; the internal reads (internal.rs) share the functions.

use actix_web::{HttpResponse, web};
use payserver_shared::auth::Caller;
use payserver_shared::collection::Collection;
use payserver_shared::href::BaseUrl;
use payserver_shared::http::RequestId;
use payserver_shared::http::endpoint;
use payserver_shared::listing::ListCall;
use payserver_shared::path::{UuidPath, path_id};
use payserver_shared::query;
use payserver_shared::visible::{owned_by, visible};
use payserver_shared::{ApiError, ApiResult};

use super::listed::{Listed, Parent};
use super::view::{self, OrderView};
use crate::db::models::OrderRow;
use crate::db::orders::{self, ORDERS, Query};
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
    let row = query::run(&state.db, move |c| orders::by_uuid(c, &uuid)).await?;
    visible(caller, row, |o| &o.merchant_uuid, "payOrder")
}

/// The pay mode of a sub-collection, checked to exist and be the caller's.
pub async fn visible_mode(state: &AppState, caller: &Caller, uuid: &str, rid: &RequestId) -> Result<(), ApiError> {
    let mode = state.upstreams.pay_mode(uuid, rid).await?;
    owned_by(caller, mode.as_ref().map(|m| m.merchant_uuid.as_str()), "payMode")
}

/// The pay orders as a collection (public and internal routes).
pub(super) static ORDER_LIST: Listed<Query, OrderRow, OrderView> = Listed {
    listing: &ORDERS,
    all: orders::all,
    view: view::order,
};

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
pub(crate) async fn list(call: ListCall, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    call.caller.require_merchant_or_admin()?;
    ORDER_LIST.list(&state, &call).await
}

#[utoipa::path(
    get,
    path = "/api/v1.0.0/payOrders/{uuid}",
    operation_id = "getPayOrder",
    tag = "payOrders",
    summary = "Get a pay order",
    params(UuidPath),
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
    params(UuidPath, crate::api_doc::PayOrderListParams),
    responses(
        (status = 200, description = "OK", body = Collection<OrderView>),
        (status = 404, description = "The pay mode is unknown or another merchant's.", body = ApiError)
    )
)]
pub(crate) async fn list_of_mode(
    call: ListCall,
    path: web::Path<String>,
    rid: RequestId,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    call.caller.require_merchant_or_admin()?;
    ORDER_LIST.under(Parent::PayMode, &state, &call, path, &rid).await
}

#[utoipa::path(
    get,
    path = "/api/v1.0.0/payModeTemplates/{uuid}/payOrders",
    operation_id = "listPayOrdersOfTemplate",
    tag = "payOrders",
    summary = "List a template's orders",
    params(UuidPath, crate::api_doc::PayOrderListParams),
    responses(
        (status = 200, description = "OK", body = Collection<OrderView>),
        (status = 404, description = "The template is unknown.", body = ApiError)
    )
)]
pub(crate) async fn list_of_template(
    call: ListCall,
    path: web::Path<String>,
    rid: RequestId,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    call.caller.require_merchant_or_admin()?;
    ORDER_LIST.under(Parent::Template, &state, &call, path, &rid).await
}
