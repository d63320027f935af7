//! `/members`, `/members/{uuid}`, `/members/{uuid}/recharge`, `/members/{uuid}/counts` and
//! `/members/{uuid}/statement` (API.md A.7). Only the merchant and admin roles manage members
//! (403 otherwise; service tokens never reach these public routes, the `Caller` extractor
//! refuses them). A merchant sees only its own members (another merchant's answer 404);
//! admins act for any merchant, or for the one they name with `merchantUUID`/`merchantHref`.
//! Every `{uuid}` goes through `shared::path::path_id`: actix has percent-decoded it, and a
//! `%2F` must not reach the database as a `/`.

use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use connector_contract::shared::auth::Caller;
use connector_contract::shared::collection::{Collection, OrderBy, Page};
use connector_contract::shared::href::BaseUrl;
use connector_contract::shared::params::Params;
use connector_contract::shared::path::path_id;
use connector_contract::shared::time::now_ms;
use connector_contract::shared::{ApiError, ApiResult};

use super::view::{LedgerView, MemberView};
use crate::db::repo::{self, Member, MemberFilter, StatementFilter};
use crate::domain::fields::named_merchant;
use crate::domain::listing::{MEMBER_ORDER_FIELDS, STATEMENT_ORDER_FIELDS, kind};
use crate::domain::member::{CountsRequest, MemberRequest, RechargeRequest, Status};
use crate::error::Error;
use crate::startup::AppState;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/members")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/members/{uuid}")
            .route(web::get().to(get))
            .route(web::put().to(update)),
    )
    .service(web::resource("/members/{uuid}/recharge").route(web::post().to(recharge)))
    .service(web::resource("/members/{uuid}/counts").route(web::post().to(add_counts)))
    .service(web::resource("/members/{uuid}/statement").route(web::get().to(statement)));
}

/// The merchant whose members the caller addresses: its own (naming another is a 403), or for
/// admins the one they name, else all (`None`).
fn scope(caller: &Caller, named: Result<Option<String>, Error>) -> ApiResult<Option<String>> {
    caller.require_merchant_or_admin()?;
    caller.list_scope(named.map_err(ApiError::from)?.as_deref())
}

fn params_merchant(params: &Params) -> Result<Option<String>, Error> {
    Ok(named_merchant(params.str("merchantUUID"), params.str("merchantHref"))?)
}

async fn run<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&mut connector_contract::shared::db::DbConnection) -> Result<T, Error> + Send + 'static,
) -> ApiResult<T> {
    state.db.run(f).await.map_err(ApiError::from)
}

fn member_json(member: Member, base: &BaseUrl, state: &AppState) -> HttpResponse {
    HttpResponse::Ok().json(MemberView::new(member, base, &state.clock))
}

#[tracing::instrument(skip_all)]
async fn list(
    caller: Caller,
    params: Params,
    base: BaseUrl,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let merchant = scope(&caller, params_merchant(&params))?;
    let page = Page::from_params(&params)?;
    let order = OrderBy::parse(params.str("orderBy"), &MEMBER_ORDER_FIELDS)?;
    let filter = MemberFilter {
        merchant_uuid: merchant,
        mobile: params.str("mobile").map(|s| s.trim().to_string()),
        card_no: params.str("cardNo").map(|s| s.trim().to_string()),
        status: params.one_of("status", &Status::ALL)?,
    };
    let (size, members) = run(&state, move |conn| repo::list(conn, &filter, order, page)).await?;
    let items: Vec<MemberView> = members
        .into_iter()
        .map(|m| MemberView::new(m, &base, &state.clock))
        .collect();
    Ok(HttpResponse::Ok().json(Collection::new(base.request_href(&req), page, size, items)))
}

#[tracing::instrument(skip_all)]
async fn create(
    caller: Caller,
    body: web::Json<MemberRequest>,
    base: BaseUrl,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    caller.require_merchant_or_admin()?;
    let body = body.into_inner();
    let merchant = caller.acting_merchant(body.named_merchant().map_err(ApiError::from)?.as_deref())?;
    let new = body.into_new().map_err(ApiError::from)?;
    let now = now_ms();
    let member = run(&state, move |conn| repo::insert(conn, &merchant, &new, now)).await?;
    let view = MemberView::new(member, &base, &state.clock);
    Ok(HttpResponse::Created()
        .insert_header((LOCATION, view.href.clone()))
        .json(view))
}

#[tracing::instrument(skip_all, fields(uuid = %path))]
async fn get(
    caller: Caller,
    path: web::Path<String>,
    params: Params,
    base: BaseUrl,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let owner = scope(&caller, params_merchant(&params))?;
    let uuid = path_id(path.into_inner())?;
    let member = run(&state, move |conn| repo::by_uuid(conn, &uuid, owner.as_deref())).await?;
    Ok(member_json(member, &base, &state))
}

/// Changes the fields given (`name`, `mobile`, `cardNo`, `status`); the others stay.
#[tracing::instrument(skip_all, fields(uuid = %path))]
async fn update(
    caller: Caller,
    path: web::Path<String>,
    body: web::Json<MemberRequest>,
    base: BaseUrl,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let owner = scope(&caller, body.named_merchant())?;
    let patch = body.into_patch().map_err(ApiError::from)?;
    let (uuid, now) = (path_id(path.into_inner())?, now_ms());
    let member = run(&state, move |conn| {
        repo::update(conn, &uuid, owner.as_deref(), &patch, now)
    })
    .await?;
    Ok(member_json(member, &base, &state))
}

/// Credits the balance once per `clientRechargeNo`; a replay answers the member as it is.
#[tracing::instrument(skip_all, fields(uuid = %path))]
async fn recharge(
    caller: Caller,
    path: web::Path<String>,
    body: web::Json<RechargeRequest>,
    base: BaseUrl,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let owner = scope(&caller, body.named_merchant())?;
    let r = body.into_recharge().map_err(ApiError::from)?;
    let (uuid, now) = (path_id(path.into_inner())?, now_ms());
    let member = run(&state, move |conn| {
        repo::recharge(conn, &uuid, owner.as_deref(), &r, now)
    })
    .await?;
    Ok(member_json(member, &base, &state))
}

#[tracing::instrument(skip_all, fields(uuid = %path))]
async fn add_counts(
    caller: Caller,
    path: web::Path<String>,
    body: web::Json<CountsRequest>,
    base: BaseUrl,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let owner = scope(&caller, body.named_merchant())?;
    let add = body.into_add().map_err(ApiError::from)?;
    let (uuid, now) = (path_id(path.into_inner())?, now_ms());
    let member = run(&state, move |conn| {
        repo::add_counts(conn, &uuid, owner.as_deref(), &add, now)
    })
    .await?;
    Ok(member_json(member, &base, &state))
}

#[tracing::instrument(skip_all, fields(uuid = %path))]
async fn statement(
    caller: Caller,
    path: web::Path<String>,
    params: Params,
    base: BaseUrl,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let owner = scope(&caller, params_merchant(&params))?;
    let page = Page::from_params(&params)?;
    let order = OrderBy::parse(params.str("orderBy"), &STATEMENT_ORDER_FIELDS)?;
    let time = |name: &str| -> ApiResult<Option<i64>> {
        params
            .str(name)
            .map(|s| {
                state.clock.parse_filter(s).ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "{name} must be \"YYYY-MM-DD HH:mm:ss\" or 13-digit epoch milliseconds"
                    ))
                })
            })
            .transpose()
    };
    let filter = StatementFilter {
        kind: params.one_of("kind", &kind::ALL)?,
        start: time("startTime")?,
        end: time("endTime")?,
    };
    let uuid = path_id(path.into_inner())?;
    let (size, entries) = run(&state, move |conn| {
        let member = repo::row_by_uuid(conn, &uuid, owner.as_deref())?;
        repo::statement(conn, &member.uuid, &filter, order, page)
    })
    .await?;
    let items: Vec<LedgerView> = entries.into_iter().map(|e| LedgerView::new(e, &state.clock)).collect();
    Ok(HttpResponse::Ok().json(Collection::new(base.request_href(&req), page, size, items)))
}
