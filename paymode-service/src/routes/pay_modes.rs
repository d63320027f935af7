//! `/payModes`, `/payModes/{uuid}`, `/listAllPayModes` and `/payModeTemplates/{uuid}/payModes`.
//!
//! Every route here is a merchant route: it needs the `merchant` or `admin` role (connector
//! credentials and role-less tokens get 403), and every `{uuid}` goes through `path_id` (an id
//! with a slash, backslash or dot segment is unknown: 404).

use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use payserver_shared::auth::Caller;
use payserver_shared::collection::{Collection, OrderBy, Page};
use payserver_shared::href::BaseUrl;
use payserver_shared::http::RequestId;
use payserver_shared::params::Params;
use payserver_shared::path::path_id;
use payserver_shared::{ApiError, ApiResult};

use super::view::{CreatedItem, ListAll, ListAllItem, PayModeView, UnopenedItem};
use crate::db::models::PayModeRow;
use crate::db::repo::{self, ListFilter};
use crate::domain::PayModeRequest;
use crate::domain::fields::named_merchant;
use crate::domain::listing::{ORDER_FIELDS, expand_template};
use crate::error::Error;
use crate::flows;
use crate::startup::AppState;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/payModes")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/payModes/{uuid}")
            .route(web::get().to(get))
            .route(web::put().to(update))
            .route(web::delete().to(delete)),
    )
    .service(web::resource("/listAllPayModes").route(web::get().to(list_all)))
    .service(web::resource("/payModeTemplates/{uuid}/payModes").route(web::get().to(list_of_template)));
}

/// The merchant a GET names through `merchantUUID`/`merchantHref`.
fn named(params: &Params) -> ApiResult<Option<String>> {
    named_merchant(params.str("merchantUUID"), params.str("merchantHref")).map_err(ApiError::from)
}

/// The merchant whose modes a caller may address by uuid: `None` for admins and services (all).
/// A caller that is neither privileged nor bound to a merchant sees nothing: every uuid is a 404.
fn owner(caller: &Caller) -> ApiResult<Option<String>> {
    if caller.is_privileged() {
        return Ok(None);
    }
    caller
        .merchant_uuid
        .clone()
        .map(Some)
        .ok_or_else(|| Error::NotFound.into())
}

/// Views of rows, with their templates embedded when `expand=payModeTemplate`.
async fn views(
    rows: Vec<PayModeRow>,
    expand: bool,
    base: &BaseUrl,
    state: &AppState,
    rid: &RequestId,
) -> ApiResult<Vec<PayModeView>> {
    let templates = if expand {
        flows::templates_of(state, &rows, Some(rid)).await?
    } else {
        Default::default()
    };
    Ok(rows
        .into_iter()
        .map(|r| {
            let entry = r.pay_template_id.as_deref().and_then(|id| templates.get(id)).cloned();
            let mut view = PayModeView::new(r, base, &state.clock);
            if let Some(entry) = entry {
                view.embed_template(&entry.raw, base);
            }
            view
        })
        .collect())
}

/// A page of modes for the list endpoints: scope, filters, order, paging and expand.
async fn page_of(
    caller: &Caller,
    params: &Params,
    template_uuid: Option<String>,
    state: &AppState,
    base: &BaseUrl,
    req: &HttpRequest,
    rid: &RequestId,
) -> ApiResult<HttpResponse> {
    let page = Page::from_params(params)?;
    let order = OrderBy::parse(params.str("orderBy"), &ORDER_FIELDS)?;
    let expand = expand_template(params.str("expand")).map_err(ApiError::from)?;
    let filter = ListFilter {
        merchant_uuid: caller.list_scope(named(params)?.as_deref())?,
        is_opened: params.flag("isOpened")?,
        pay_template_id: params.str("payTemplateId").map(str::to_string),
        template_uuid,
    };
    let (size, rows) = state
        .db
        .run(move |conn| repo::list(conn, &filter, order, page))
        .await
        .map_err(ApiError::from)?;
    let items = views(rows, expand, base, state, rid).await?;
    Ok(HttpResponse::Ok().json(Collection::new(base.request_href(req), page, size, items)))
}

#[tracing::instrument(skip_all)]
async fn list(
    caller: Caller,
    params: Params,
    base: BaseUrl,
    req: HttpRequest,
    rid: RequestId,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    caller.require_merchant_or_admin()?;
    page_of(&caller, &params, None, &state, &base, &req, &rid).await
}

/// `GET /payModeTemplates/{uuid}/payModes`: 404 when template-service does not know the uuid.
#[tracing::instrument(skip_all, fields(template = %path))]
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
    let template = state
        .templates
        .by_uuid(&path_id(path.into_inner())?, Some(&rid))
        .await?;
    page_of(&caller, &params, Some(template.uuid), &state, &base, &req, &rid).await
}

#[tracing::instrument(skip_all)]
async fn create(
    caller: Caller,
    body: web::Json<PayModeRequest>,
    base: BaseUrl,
    rid: RequestId,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    caller.require_merchant_or_admin()?;
    let new = body.into_inner().into_new().map_err(ApiError::from)?;
    let row = flows::open(&state, &caller, new, Some(&rid))
        .await
        .map_err(ApiError::from)?;
    let view = PayModeView::new(row, &base, &state.clock);
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
    rid: RequestId,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    caller.require_merchant_or_admin()?;
    let expand = expand_template(params.str("expand")).map_err(ApiError::from)?;
    let (uuid, owner) = (path_id(path.into_inner())?, owner(&caller)?);
    let row = state
        .db
        .run(move |conn| repo::by_uuid(conn, &uuid, owner.as_deref()))
        .await
        .map_err(ApiError::from)?;
    let view = views(vec![row], expand, &base, &state, &rid)
        .await?
        .pop()
        .expect("one row, one view");
    Ok(HttpResponse::Ok().json(view))
}

/// Changes the fields given; `payTemplateId` and `merchantUUID` cannot change.
#[tracing::instrument(skip_all, fields(uuid = %path))]
async fn update(
    caller: Caller,
    path: web::Path<String>,
    body: web::Json<PayModeRequest>,
    base: BaseUrl,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    caller.require_merchant_or_admin()?;
    let (uuid, owner) = (path_id(path.into_inner())?, owner(&caller)?);
    let update = body.into_inner().into_update().map_err(ApiError::from)?;
    let now = payserver_shared::time::now_ms();
    let urls = state.urls.clone();
    let row = state
        .db
        .run(move |conn| repo::update(conn, &uuid, owner.as_deref(), &update, &urls, now))
        .await
        .map_err(ApiError::from)?;
    Ok(HttpResponse::Ok().json(PayModeView::new(row, &base, &state.clock)))
}

/// Deletes the mode (204), unless it has pay orders: then it is closed instead (`isOpened` 0)
/// and answered with 200 and the mode, so orders keep a mode to point at (API.md A.3).
#[tracing::instrument(skip_all, fields(uuid = %path))]
async fn delete(
    caller: Caller,
    path: web::Path<String>,
    base: BaseUrl,
    rid: RequestId,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    caller.require_merchant_or_admin()?;
    let (uuid, owner) = (path_id(path.into_inner())?, owner(&caller)?);
    let (u, o) = (uuid.clone(), owner.clone());
    state
        .db
        .run(move |conn| repo::by_uuid(conn, &u, o.as_deref()))
        .await
        .map_err(ApiError::from)?;
    if state.pay_orders.has_orders(&uuid, &rid).await? {
        let now = payserver_shared::time::now_ms();
        let row = state
            .db
            .run(move |conn| repo::close(conn, &uuid, owner.as_deref(), now))
            .await
            .map_err(ApiError::from)?;
        return Ok(HttpResponse::Ok().json(PayModeView::new(row, &base, &state.clock)));
    }
    state
        .db
        .run(move |conn| repo::delete(conn, &uuid, owner.as_deref()))
        .await
        .map_err(ApiError::from)?;
    Ok(HttpResponse::NoContent().finish())
}

/// `{size, items}`: the merchant's modes (`hasCreated: 1`), then the enabled templates it has
/// not opened (`hasCreated: 0`, no `uuid`).
#[tracing::instrument(skip_all)]
async fn list_all(
    caller: Caller,
    params: Params,
    base: BaseUrl,
    rid: RequestId,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    caller.require_merchant_or_admin()?;
    let order = OrderBy::parse(params.str("orderBy"), &ORDER_FIELDS)?;
    let merchant = caller.acting_merchant(named(&params)?.as_deref())?;
    let (modes, unopened) = flows::list_all(&state, merchant.clone(), order, Some(&rid))
        .await
        .map_err(ApiError::from)?;
    let created = modes.into_iter().map(|r| {
        ListAllItem::Created(Box::new(CreatedItem {
            mode: PayModeView::new(r, &base, &state.clock),
            has_created: 1,
        }))
    });
    let unopened = unopened
        .into_iter()
        .map(|t| ListAllItem::Unopened(Box::new(UnopenedItem::new(t, &merchant, &base))));
    let items: Vec<ListAllItem> = created.chain(unopened).collect();
    Ok(HttpResponse::Ok().json(ListAll {
        size: items.len(),
        items,
    }))
}
