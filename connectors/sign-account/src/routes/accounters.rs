//! `/signAccounters` and `/signAccounters/{uuid}`.

use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use connector_contract::shared::auth::Caller;
use connector_contract::shared::collection::{Collection, OrderBy, Page};
use connector_contract::shared::href::BaseUrl;
use connector_contract::shared::params::Params;
use connector_contract::shared::path::path_id;
use connector_contract::shared::time::now_ms;
use connector_contract::shared::{ApiError, ApiResult};

use super::view::AccounterView;
use super::{named, owner};
use crate::SignAccount;
use crate::db::repo::{self, AccounterFilter};
use crate::domain::accounter::ORDER_FIELDS;
use crate::domain::{CreateAccounter, Status, UpdateAccounter};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/signAccounters")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/signAccounters/{uuid}")
            .route(web::get().to(get))
            .route(web::put().to(update)),
    );
}

#[tracing::instrument(skip_all)]
async fn list(
    caller: Caller,
    params: Params,
    base: BaseUrl,
    req: HttpRequest,
    state: web::Data<SignAccount>,
) -> ApiResult<HttpResponse> {
    caller.require_merchant_or_admin()?;
    let page = Page::from_params(&params)?;
    let order = OrderBy::parse(params.str("orderBy"), &ORDER_FIELDS)?;
    let filter = AccounterFilter {
        merchant_uuid: caller.list_scope(named(&params)?.as_deref())?,
        status: params.one_of("status", &Status::ALL)?,
        name: params.str("name").map(str::to_string),
    };
    let (size, rows) = state
        .db
        .run(move |conn| repo::list_accounters(conn, &filter, order, page))
        .await
        .map_err(ApiError::from)?;
    let items = rows
        .into_iter()
        .map(|r| AccounterView::new(r, &base, &state.clock))
        .collect();
    Ok(HttpResponse::Ok().json(Collection::new(base.request_href(&req), page, size, items)))
}

/// 201 with the new accounter; the merchant is the token's, or the one an admin names.
#[tracing::instrument(skip_all)]
async fn create(
    caller: Caller,
    body: web::Json<CreateAccounter>,
    base: BaseUrl,
    state: web::Data<SignAccount>,
) -> ApiResult<HttpResponse> {
    caller.require_merchant_or_admin()?;
    let new = body.into_inner().validate()?;
    let merchant = caller.acting_merchant(new.named_merchant.as_deref())?;
    let now = now_ms();
    let row = state
        .db
        .run(move |conn| repo::create_accounter(conn, &merchant, &new, now))
        .await
        .map_err(ApiError::from)?;
    tracing::info!(uuid = %row.uuid, merchant = %row.merchant_uuid, "signAccounter created");
    let view = AccounterView::new(row, &base, &state.clock);
    Ok(HttpResponse::Created()
        .insert_header((LOCATION, view.href.clone()))
        .json(view))
}

#[tracing::instrument(skip_all, fields(uuid = %path))]
async fn get(
    caller: Caller,
    path: web::Path<String>,
    base: BaseUrl,
    state: web::Data<SignAccount>,
) -> ApiResult<HttpResponse> {
    let (owner, uuid) = (owner(&caller)?, path_id(path.into_inner())?);
    let row = state
        .db
        .run(move |conn| repo::accounter(conn, &uuid, owner.as_deref()))
        .await
        .map_err(ApiError::from)?;
    Ok(HttpResponse::Ok().json(AccounterView::new(row, &base, &state.clock)))
}

/// Changes the fields given (`name, description, creditLimit, status`); a credit limit below
/// the used credit is a 409.
#[tracing::instrument(skip_all, fields(uuid = %path))]
async fn update(
    caller: Caller,
    path: web::Path<String>,
    body: web::Json<UpdateAccounter>,
    base: BaseUrl,
    state: web::Data<SignAccount>,
) -> ApiResult<HttpResponse> {
    let (owner, uuid) = (owner(&caller)?, path_id(path.into_inner())?);
    let patch = body.into_inner().validate()?;
    let now = now_ms();
    let row = state
        .db
        .run(move |conn| repo::update_accounter(conn, &uuid, owner.as_deref(), &patch, now))
        .await
        .map_err(ApiError::from)?;
    Ok(HttpResponse::Ok().json(AccounterView::new(row, &base, &state.clock)))
}
