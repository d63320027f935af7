//! `/refundOrders` and the refund sub-collections of pay orders, pay modes and templates.

use actix_web::{HttpResponse, web};
use payserver_shared::auth::Caller;
use payserver_shared::collection::Collection;
use payserver_shared::href::BaseUrl;
use payserver_shared::http::RequestId;
use payserver_shared::http::endpoint;
use payserver_shared::listing::{ListCall, ListRequest};
use payserver_shared::path::{UuidPath, path_id};
use payserver_shared::query;
use payserver_shared::visible::{owned_by, visible};
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

/// The parents a refund sub-collection hangs under.
#[derive(Debug, Clone, Copy)]
enum Parent {
    PayOrder,
    PayMode,
    Template,
}

impl Parent {
    /// The filter to pin and its value for the parent `uuid`, once the caller is known to see
    /// it (404 when it is unknown or another merchant's).
    async fn pin(
        self,
        state: &AppState,
        caller: &Caller,
        uuid: String,
        rid: &RequestId,
    ) -> ApiResult<(&'static str, String)> {
        let up = &state.upstreams;
        Ok(match self {
            Parent::PayOrder => {
                owned_by(caller, up.pay_order_owner(&uuid, rid).await?.as_deref(), "payOrder")?;
                ("payOrderUUID", uuid)
            }
            Parent::PayMode => {
                owned_by(caller, up.pay_mode_owner(&uuid, rid).await?.as_deref(), "payMode")?;
                ("payModeUUID", uuid)
            }
            Parent::Template => ("payTemplateId", up.template_pay_id(&uuid, rid).await?),
        })
    }
}

/// The parsed list call, after the role check (a service token is refused before any
/// parameter is looked at).
fn parse(state: &AppState, call: &ListCall) -> ApiResult<ListRequest> {
    call.caller.require_merchant_or_admin()?;
    call.parse(&REFUNDS, &state.clock)
}

/// The page `query` asks for.
async fn answer(state: &AppState, call: &ListCall, query: &ListRequest) -> ApiResult<HttpResponse> {
    let view = |row| view::refund(&row, &call.base, &state.clock);
    call.answer(&REFUNDS, &state.db, refunds::all, query, view).await
}

/// `GET /<parent>/{uuid}/refundOrders`: the refunds pinned to the parent named by the path.
async fn list_under(
    parent: Parent,
    state: &AppState,
    call: &ListCall,
    path: web::Path<String>,
    rid: &RequestId,
) -> ApiResult<HttpResponse> {
    let mut query = parse(state, call)?;
    let uuid = path_id(path.into_inner())?;
    let (filter, value) = parent.pin(state, &call.caller, uuid, rid).await?;
    query.pin(filter, value);
    answer(state, call, &query).await
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
pub(crate) async fn list(call: ListCall, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let query = parse(&state, &call)?;
    answer(&state, &call, &query).await
}

#[utoipa::path(
    get,
    path = "/api/v1.0.0/refundOrders/{uuid}",
    operation_id = "getRefundOrder",
    tag = "refundOrders",
    summary = "Get a refund order",
    params(UuidPath),
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
    let row = query::run(&state.db, move |c| refunds::by_uuid(c, &uuid)).await?;
    let row = visible(&caller, row, |r| &r.merchant_uuid, "refundOrder")?;
    Ok(HttpResponse::Ok().json(view::refund(&row, &base, &state.clock)))
}

#[utoipa::path(
    get,
    path = "/api/v1.0.0/payOrders/{uuid}/refundOrders",
    operation_id = "listRefundOrdersOfPayOrder",
    tag = "refundOrders",
    summary = "List the refunds of a pay order",
    description = "`startTime`/`endTime` filter on `createdAt`.",
    params(UuidPath, crate::api_doc::RefundOrderListParams),
    responses(
        (status = 200, description = "OK", body = Collection<RefundView>),
        (status = 404, description = "The pay order is unknown or another merchant's.", body = ApiError)
    )
)]
pub(crate) async fn list_of_pay_order(
    call: ListCall,
    path: web::Path<String>,
    rid: RequestId,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    list_under(Parent::PayOrder, &state, &call, path, &rid).await
}

#[utoipa::path(
    get,
    path = "/api/v1.0.0/payModes/{uuid}/refundOrders",
    operation_id = "listRefundOrdersOfPayMode",
    tag = "refundOrders",
    summary = "List the refunds of a pay mode",
    description = "`startTime`/`endTime` filter on `createdAt`.",
    params(UuidPath, crate::api_doc::RefundOrderListParams),
    responses(
        (status = 200, description = "OK", body = Collection<RefundView>),
        (status = 404, description = "The pay mode is unknown or another merchant's.", body = ApiError)
    )
)]
pub(crate) async fn list_of_mode(
    call: ListCall,
    path: web::Path<String>,
    rid: RequestId,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    list_under(Parent::PayMode, &state, &call, path, &rid).await
}

#[utoipa::path(
    get,
    path = "/api/v1.0.0/payModeTemplates/{uuid}/refundOrders",
    operation_id = "listRefundOrdersOfTemplate",
    tag = "refundOrders",
    summary = "List the refunds of a template",
    description = "`startTime`/`endTime` filter on `createdAt`.",
    params(UuidPath, crate::api_doc::RefundOrderListParams),
    responses(
        (status = 200, description = "OK", body = Collection<RefundView>),
        (status = 404, description = "The template is unknown.", body = ApiError)
    )
)]
pub(crate) async fn list_of_template(
    call: ListCall,
    path: web::Path<String>,
    rid: RequestId,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    list_under(Parent::Template, &state, &call, path, &rid).await
}
