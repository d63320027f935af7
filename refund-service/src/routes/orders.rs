//! `/refundOrders` and the refund sub-collections of pay orders, pay modes and templates.

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

use super::view::{self, RefundView};
use crate::db::refunds::{self, REFUNDS};
use crate::startup::AppState;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(endpoint("/refundOrders").get(list))
        .service(endpoint("/refundOrders/{uuid}").get(get))
        .service(endpoint("/payOrders/{uuid}/refundOrders").get(list_of_pay_order))
        .service(endpoint("/payModes/{uuid}/refundOrders").get(list_of_mode))
        .service(endpoint("/payModeTemplates/{uuid}/refundOrders").get(list_of_template));
}

/// The parsed list call, after the role check (a service token is refused before any
/// parameter is looked at).
fn parse(state: &AppState, caller: &Caller, params: &Params) -> ApiResult<ListRequest> {
    caller.require_merchant_or_admin()?;
    REFUNDS.parse_for(caller, params, &state.clock)
}

async fn respond(state: &AppState, req: ListRequest, base: &BaseUrl, http: &HttpRequest) -> ApiResult<HttpResponse> {
    let query = req.clone();
    let (size, rows) = state
        .db
        .run(move |c| REFUNDS.fetch(c, refunds::all, &query).map_err(DbError::from))
        .await
        .map_err(ApiError::from)?;
    let items = rows.iter().map(|r| view::refund(r, base, &state.clock)).collect();
    Ok(HttpResponse::Ok().json(req.collection(base, http, size, items)))
}

#[utoipa::path(
    get,
    path = "/api/v1.0.0/refundOrders",
    operation_id = "listRefundOrders",
    tag = "refundOrders",
    summary = "List refund orders",
    description = "`startTime`/`endTime` filter on `createdAt`.",
    params(crate::api_doc::RefundOrderListParams),
    responses(
        (status = 200, description = "OK", body = Collection<RefundView>)
    )
)]
pub(crate) async fn list(
    caller: Caller,
    params: Params,
    base: BaseUrl,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let f = parse(&state, &caller, &params)?;
    respond(&state, f, &base, &req).await
}

#[utoipa::path(
    get,
    path = "/api/v1.0.0/refundOrders/{uuid}",
    operation_id = "getRefundOrder",
    tag = "refundOrders",
    summary = "Get a refund order",
    params(("uuid" = String, Path, description = "The resource's uuid (22 of [0-9A-Za-z]).", example = "irAl37TewwGEchYrXUWsfA")),
    responses(
        (status = 200, description = "OK", body = RefundView),
        (status = 404, description = "The refund order is unknown or another merchant's.", body = ApiError)
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
    let row = state
        .db
        .run(move |c| refunds::by_uuid(c, &uuid).map_err(DbError::from))
        .await
        .map_err(ApiError::from)?;
    let row = row
        .filter(|r| caller.may_see(&r.merchant_uuid))
        .ok_or_else(|| ApiError::not_found("refundOrder not found"))?;
    Ok(HttpResponse::Ok().json(view::refund(&row, &base, &state.clock)))
}

fn visible(caller: &Caller, owner: Option<String>, what: &str) -> Result<(), ApiError> {
    match owner {
        Some(m) if caller.may_see(&m) => Ok(()),
        _ => Err(ApiError::not_found(format!("{what} not found"))),
    }
}

#[utoipa::path(
    get,
    path = "/api/v1.0.0/payOrders/{uuid}/refundOrders",
    operation_id = "listRefundOrdersOfPayOrder",
    tag = "refundOrders",
    summary = "List the refunds of a pay order",
    description = "`startTime`/`endTime` filter on `createdAt`.",
    params(("uuid" = String, Path, description = "The resource's uuid (22 of [0-9A-Za-z]).", example = "irAl37TewwGEchYrXUWsfA"), crate::api_doc::RefundOrderListParams),
    responses(
        (status = 200, description = "OK", body = Collection<RefundView>),
        (status = 404, description = "The pay order is unknown or another merchant's.", body = ApiError)
    )
)]
pub(crate) async fn list_of_pay_order(
    caller: Caller,
    path: web::Path<String>,
    params: Params,
    base: BaseUrl,
    req: HttpRequest,
    rid: RequestId,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let mut f = parse(&state, &caller, &params)?;
    let uuid = path_id(path.into_inner())?;
    visible(&caller, state.upstreams.pay_order_owner(&uuid, &rid).await?, "payOrder")?;
    f.pin("payOrderUUID", uuid);
    respond(&state, f, &base, &req).await
}

#[utoipa::path(
    get,
    path = "/api/v1.0.0/payModes/{uuid}/refundOrders",
    operation_id = "listRefundOrdersOfPayMode",
    tag = "refundOrders",
    summary = "List the refunds of a pay mode",
    description = "`startTime`/`endTime` filter on `createdAt`.",
    params(("uuid" = String, Path, description = "The resource's uuid (22 of [0-9A-Za-z]).", example = "irAl37TewwGEchYrXUWsfA"), crate::api_doc::RefundOrderListParams),
    responses(
        (status = 200, description = "OK", body = Collection<RefundView>),
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
    let mut f = parse(&state, &caller, &params)?;
    let uuid = path_id(path.into_inner())?;
    visible(&caller, state.upstreams.pay_mode_owner(&uuid, &rid).await?, "payMode")?;
    f.pin("payModeUUID", uuid);
    respond(&state, f, &base, &req).await
}

#[utoipa::path(
    get,
    path = "/api/v1.0.0/payModeTemplates/{uuid}/refundOrders",
    operation_id = "listRefundOrdersOfTemplate",
    tag = "refundOrders",
    summary = "List the refunds of a template",
    description = "`startTime`/`endTime` filter on `createdAt`.",
    params(("uuid" = String, Path, description = "The resource's uuid (22 of [0-9A-Za-z]).", example = "irAl37TewwGEchYrXUWsfA"), crate::api_doc::RefundOrderListParams),
    responses(
        (status = 200, description = "OK", body = Collection<RefundView>),
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
    let mut f = parse(&state, &caller, &params)?;
    let uuid = path_id(path.into_inner())?;
    let id = state
        .upstreams
        .template_pay_id(&uuid, &rid)
        .await?
        .ok_or_else(|| ApiError::not_found("payModeTemplate not found"))?;
    f.pin("payTemplateId", id);
    respond(&state, f, &base, &req).await
}
