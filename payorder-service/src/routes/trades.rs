//! `/tradeRecords` and its sub-collections under templates, pay modes, pay orders and refund
//! orders.

use actix_web::{HttpResponse, web};
use payserver_shared::auth::Caller;
use payserver_shared::collection::Collection;
use payserver_shared::href::BaseUrl;
use payserver_shared::http::RequestId;
use payserver_shared::http::endpoint;
use payserver_shared::listing::ListCall;
use payserver_shared::path::{UuidPath, path_id};
use payserver_shared::query;
use payserver_shared::visible::visible;
use payserver_shared::{ApiError, ApiResult};

use super::listed::{Listed, Parent};
use super::view::{self, TradeView};
use crate::db::models::TradeRow;
use crate::db::trades::{self, Query, TRADES};
use crate::startup::AppState;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(endpoint("/tradeRecords").get(list))
        .service(endpoint("/tradeRecords/{uuid}").get(get))
        .service(endpoint("/payOrders/{uuid}/tradeRecords").get(list_of_order))
        .service(endpoint("/payModes/{uuid}/tradeRecords").get(list_of_mode))
        .service(endpoint("/payModeTemplates/{uuid}/tradeRecords").get(list_of_template))
        .service(endpoint("/refundOrders/{uuid}/tradeRecords").get(list_of_refund));
}

/// The journal as a collection.
static TRADE_LIST: Listed<Query, TradeRow, TradeView> = Listed {
    listing: &TRADES,
    all: trades::all,
    view: view::trade,
};

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
pub(crate) async fn list(call: ListCall, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    call.caller.require_merchant_or_admin()?;
    TRADE_LIST.list(&state, &call).await
}

#[utoipa::path(
    get,
    path = "/api/v1.0.0/tradeRecords/{uuid}",
    operation_id = "getTradeRecord",
    tag = "tradeRecords",
    summary = "Get a trade record",
    params(UuidPath),
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
    let row = query::run(&state.db, move |c| trades::by_uuid(c, &uuid)).await?;
    let row = visible(&caller, row, |r| &r.merchant_uuid, "tradeRecord")?;
    Ok(HttpResponse::Ok().json(view::trade(&row, &base, &state.clock)))
}

#[utoipa::path(
    get,
    path = "/api/v1.0.0/payOrders/{uuid}/tradeRecords",
    operation_id = "listTradeRecordsOfPayOrder",
    tag = "tradeRecords",
    summary = "List the trade records of a pay order",
    description = "`startTime`/`endTime` filter on `tradeAt`. For a merchant, the journal sums to paid minus refunded.",
    params(UuidPath, crate::api_doc::TradeRecordListParams),
    responses(
        (status = 200, description = "OK", body = Collection<TradeView>),
        (status = 404, description = "The pay order is unknown or another merchant's.", body = ApiError)
    )
)]
pub(crate) async fn list_of_order(
    call: ListCall,
    path: web::Path<String>,
    rid: RequestId,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    call.caller.require_merchant_or_admin()?;
    TRADE_LIST.under(Parent::PayOrder, &state, &call, path, &rid).await
}

#[utoipa::path(
    get,
    path = "/api/v1.0.0/payModes/{uuid}/tradeRecords",
    operation_id = "listTradeRecordsOfPayMode",
    tag = "tradeRecords",
    summary = "List the trade records of a pay mode",
    description = "`startTime`/`endTime` filter on `tradeAt`. For a merchant, the journal sums to paid minus refunded.",
    params(UuidPath, crate::api_doc::TradeRecordListParams),
    responses(
        (status = 200, description = "OK", body = Collection<TradeView>),
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
    TRADE_LIST.under(Parent::PayMode, &state, &call, path, &rid).await
}

#[utoipa::path(
    get,
    path = "/api/v1.0.0/payModeTemplates/{uuid}/tradeRecords",
    operation_id = "listTradeRecordsOfTemplate",
    tag = "tradeRecords",
    summary = "List the trade records of a template",
    description = "`startTime`/`endTime` filter on `tradeAt`. For a merchant, the journal sums to paid minus refunded.",
    params(UuidPath, crate::api_doc::TradeRecordListParams),
    responses(
        (status = 200, description = "OK", body = Collection<TradeView>),
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
    TRADE_LIST.under(Parent::Template, &state, &call, path, &rid).await
}

/// A refund order's journal rows (its owner is read from its reservation, see `listed.rs`).
#[utoipa::path(
    get,
    path = "/api/v1.0.0/refundOrders/{uuid}/tradeRecords",
    operation_id = "listTradeRecordsOfRefundOrder",
    tag = "tradeRecords",
    summary = "List the trade records of a refund order",
    description = "`startTime`/`endTime` filter on `tradeAt`. For a merchant, the journal sums to paid minus refunded.",
    params(UuidPath, crate::api_doc::TradeRecordListParams),
    responses(
        (status = 200, description = "OK", body = Collection<TradeView>),
        (status = 404, description = "The refund order is unknown or another merchant's.", body = ApiError)
    )
)]
pub(crate) async fn list_of_refund(
    call: ListCall,
    path: web::Path<String>,
    rid: RequestId,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    call.caller.require_merchant_or_admin()?;
    TRADE_LIST.under(Parent::RefundOrder, &state, &call, path, &rid).await
}
