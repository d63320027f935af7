//! `/refundOrders` and the refund sub-collections of pay orders, pay modes and templates.

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
use crate::db::refunds::{self, RefundFilter};
use crate::domain::{ORDER_FIELDS, RefundStatus};
use crate::startup::AppState;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/refundOrders").route(web::get().to(list)))
        .service(web::resource("/refundOrders/{uuid}").route(web::get().to(get)))
        .service(web::resource("/payOrders/{uuid}/refundOrders").route(web::get().to(list_of_pay_order)))
        .service(web::resource("/payModes/{uuid}/refundOrders").route(web::get().to(list_of_mode)))
        .service(web::resource("/payModeTemplates/{uuid}/refundOrders").route(web::get().to(list_of_template)));
}

fn filter(state: &AppState, caller: &Caller, params: &Params) -> Result<RefundFilter, ApiError> {
    Ok(RefundFilter {
        merchant: list_scope(caller, params)?,
        client_refund_no: params.str("clientRefundNo").map(str::to_string),
        traction_no: params.str("tractionNo").map(str::to_string),
        pay_traction_no: params.str("payTractionNo").map(str::to_string),
        pay_order_uuid: params.str("payOrderUUID").map(str::to_string),
        pay_mode_uuid: params.str("payModeUUID").map(str::to_string),
        pay_template_id: params.str("payTemplateId").map(str::to_string),
        status: params.one_of("status", &RefundStatus::ALL)?,
        start: params.time(&state.clock, "startTime")?,
        end: params.time(&state.clock, "endTime")?,
    })
}

async fn respond(
    state: &AppState,
    f: RefundFilter,
    params: &Params,
    base: &BaseUrl,
    req: &HttpRequest,
) -> ApiResult<HttpResponse> {
    let page = Page::from_params(params)?;
    let order = OrderBy::parse(params.str("orderBy"), &ORDER_FIELDS)?;
    let (size, rows) = state
        .db
        .run(move |c| refunds::list(c, &f, order, page).map_err(DbError::from))
        .await
        .map_err(ApiError::from)?;
    let items = rows.iter().map(|r| view::refund(r, base, &state.clock)).collect();
    Ok(HttpResponse::Ok().json(Collection::new(base.request_href(req), page, size, items)))
}

async fn list(
    caller: Caller,
    params: Params,
    base: BaseUrl,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let f = filter(&state, &caller, &params)?;
    respond(&state, f, &params, &base, &req).await
}

async fn get(
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

async fn list_of_pay_order(
    caller: Caller,
    path: web::Path<String>,
    params: Params,
    base: BaseUrl,
    req: HttpRequest,
    rid: RequestId,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let mut f = filter(&state, &caller, &params)?;
    let uuid = path_id(path.into_inner())?;
    visible(&caller, state.upstreams.pay_order_owner(&uuid, &rid).await?, "payOrder")?;
    f.pay_order_uuid = Some(uuid);
    respond(&state, f, &params, &base, &req).await
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
    let mut f = filter(&state, &caller, &params)?;
    let uuid = path_id(path.into_inner())?;
    visible(&caller, state.upstreams.pay_mode_owner(&uuid, &rid).await?, "payMode")?;
    f.pay_mode_uuid = Some(uuid);
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
    let mut f = filter(&state, &caller, &params)?;
    let uuid = path_id(path.into_inner())?;
    let id = state
        .upstreams
        .template_pay_id(&uuid, &rid)
        .await?
        .ok_or_else(|| ApiError::not_found("payModeTemplate not found"))?;
    f.pay_template_id = Some(id);
    respond(&state, f, &params, &base, &req).await
}
