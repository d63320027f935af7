//! `/tradeRecords` and its sub-collections under templates, pay modes and pay orders.

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
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

use super::orders::{visible_mode, visible_order};
use super::view::{self, TradeView};
use crate::db::models::TradeRow;
use crate::db::refunds;
use crate::db::schema::trade_records::dsl as t;
use crate::db::trades::{self, TRADES};
use crate::startup::AppState;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(endpoint("/tradeRecords").get(list))
        .service(endpoint("/tradeRecords/{uuid}").get(get))
        .service(endpoint("/payOrders/{uuid}/tradeRecords").get(list_of_order))
        .service(endpoint("/payModes/{uuid}/tradeRecords").get(list_of_mode))
        .service(endpoint("/payModeTemplates/{uuid}/tradeRecords").get(list_of_template))
        .service(endpoint("/refundOrders/{uuid}/tradeRecords").get(list_of_refund));
}

async fn respond(state: &AppState, req: ListRequest, base: &BaseUrl, http: &HttpRequest) -> ApiResult<HttpResponse> {
    let query = req.clone();
    let (size, rows) = state
        .db
        .run(move |c| TRADES.fetch(c, trades::all, &query).map_err(DbError::from))
        .await
        .map_err(ApiError::from)?;
    let items = rows.iter().map(|r| view::trade(r, base, &state.clock)).collect();
    Ok(HttpResponse::Ok().json(req.collection(base, http, size, items)))
}

#[utoipa::path(
    get,
    path = "/api/v1.0.0/tradeRecords",
    operation_id = "listTradeRecords",
    tag = "tradeRecords",
    summary = "List trade records",
    description = "`startTime`/`endTime` filter on `tradeAt`. For a merchant, the journal sums to paid minus refunded.",
    params(crate::api_doc::TradeRecordListParams),
    responses(
        (status = 200, description = "OK", body = Collection<TradeView>)
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
    let f = TRADES.parse_for(&caller, &params, &state.clock)?;
    respond(&state, f, &base, &req).await
}

#[utoipa::path(
    get,
    path = "/api/v1.0.0/tradeRecords/{uuid}",
    operation_id = "getTradeRecord",
    tag = "tradeRecords",
    summary = "Get a trade record",
    params(("uuid" = String, Path, description = "The resource's uuid (22 of [0-9A-Za-z]).", example = "irAl37TewwGEchYrXUWsfA")),
    responses(
        (status = 200, description = "OK", body = TradeView),
        (status = 404, description = "The trade record is unknown or another merchant's.", body = ApiError)
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
        .run(move |c| {
            t::trade_records
                .filter(t::uuid.eq(&uuid))
                .select(TradeRow::as_select())
                .first(c)
                .optional()
                .map_err(DbError::from)
        })
        .await
        .map_err(ApiError::from)?;
    let row = row
        .filter(|r| caller.may_see(&r.merchant_uuid))
        .ok_or_else(|| ApiError::not_found("tradeRecord not found"))?;
    Ok(HttpResponse::Ok().json(view::trade(&row, &base, &state.clock)))
}

#[utoipa::path(
    get,
    path = "/api/v1.0.0/payOrders/{uuid}/tradeRecords",
    operation_id = "listTradeRecordsOfPayOrder",
    tag = "tradeRecords",
    summary = "List the trade records of a pay order",
    description = "`startTime`/`endTime` filter on `tradeAt`. For a merchant, the journal sums to paid minus refunded.",
    params(("uuid" = String, Path, description = "The resource's uuid (22 of [0-9A-Za-z]).", example = "irAl37TewwGEchYrXUWsfA"), crate::api_doc::TradeRecordListParams),
    responses(
        (status = 200, description = "OK", body = Collection<TradeView>),
        (status = 404, description = "The pay order is unknown or another merchant's.", body = ApiError)
    )
)]
pub(crate) async fn list_of_order(
    caller: Caller,
    path: web::Path<String>,
    params: Params,
    base: BaseUrl,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    caller.require_merchant_or_admin()?;
    let uuid = path_id(path.into_inner())?;
    let mut f = TRADES.parse_for(&caller, &params, &state.clock)?;
    let order = visible_order(&state, &caller, uuid).await?;
    f.pin("payOrderUUID", order.uuid);
    respond(&state, f, &base, &req).await
}

#[utoipa::path(
    get,
    path = "/api/v1.0.0/payModes/{uuid}/tradeRecords",
    operation_id = "listTradeRecordsOfPayMode",
    tag = "tradeRecords",
    summary = "List the trade records of a pay mode",
    description = "`startTime`/`endTime` filter on `tradeAt`. For a merchant, the journal sums to paid minus refunded.",
    params(("uuid" = String, Path, description = "The resource's uuid (22 of [0-9A-Za-z]).", example = "irAl37TewwGEchYrXUWsfA"), crate::api_doc::TradeRecordListParams),
    responses(
        (status = 200, description = "OK", body = Collection<TradeView>),
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
    let mut f = TRADES.parse_for(&caller, &params, &state.clock)?;
    visible_mode(&state, &caller, &mode, &rid).await?;
    f.pin("payModeUUID", mode);
    respond(&state, f, &base, &req).await
}

#[utoipa::path(
    get,
    path = "/api/v1.0.0/payModeTemplates/{uuid}/tradeRecords",
    operation_id = "listTradeRecordsOfTemplate",
    tag = "tradeRecords",
    summary = "List the trade records of a template",
    description = "`startTime`/`endTime` filter on `tradeAt`. For a merchant, the journal sums to paid minus refunded.",
    params(("uuid" = String, Path, description = "The resource's uuid (22 of [0-9A-Za-z]).", example = "irAl37TewwGEchYrXUWsfA"), crate::api_doc::TradeRecordListParams),
    responses(
        (status = 200, description = "OK", body = Collection<TradeView>),
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
    let mut f = TRADES.parse_for(&caller, &params, &state.clock)?;
    let pay_template_id = state
        .upstreams
        .template_pay_id(&template, &rid)
        .await?
        .ok_or_else(|| ApiError::not_found("payModeTemplate not found"))?;
    f.pin("payTemplateId", pay_template_id);
    respond(&state, f, &base, &req).await
}

/// A refund order's journal rows. Its owner is read here, from the reservation the refund
/// held on its pay order: every refund that moved money reserved first, and refund-service's
/// public routes refuse the service token.
#[utoipa::path(
    get,
    path = "/api/v1.0.0/refundOrders/{uuid}/tradeRecords",
    operation_id = "listTradeRecordsOfRefundOrder",
    tag = "tradeRecords",
    summary = "List the trade records of a refund order",
    description = "`startTime`/`endTime` filter on `tradeAt`. For a merchant, the journal sums to paid minus refunded.",
    params(("uuid" = String, Path, description = "The resource's uuid (22 of [0-9A-Za-z]).", example = "irAl37TewwGEchYrXUWsfA"), crate::api_doc::TradeRecordListParams),
    responses(
        (status = 200, description = "OK", body = Collection<TradeView>),
        (status = 404, description = "The refund order is unknown or another merchant's.", body = ApiError)
    )
)]
pub(crate) async fn list_of_refund(
    caller: Caller,
    path: web::Path<String>,
    params: Params,
    base: BaseUrl,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    caller.require_merchant_or_admin()?;
    let uuid = path_id(path.into_inner())?;
    let mut f = TRADES.parse_for(&caller, &params, &state.clock)?;
    let of = uuid.clone();
    let owner = state
        .db
        .run(move |c| refunds::refund_order_merchant(c, &of).map_err(DbError::from))
        .await
        .map_err(ApiError::from)?;
    match owner {
        Some(m) if caller.may_see(&m) => {}
        _ => return Err(ApiError::not_found("refundOrder not found")),
    }
    f.pin("refundOrderUUID", uuid);
    respond(&state, f, &base, &req).await
}
