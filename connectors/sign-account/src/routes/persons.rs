//! `/signAccounters/{uuid}/signPersons` and `/signAccounters/{uuid}/signPersons/{uuid}`.

use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use connector_contract::shared::auth::Caller;
use connector_contract::shared::collection::{Collection, OrderBy, Page};
use connector_contract::shared::href::BaseUrl;
use connector_contract::shared::params::Params;
use connector_contract::shared::path::path_id;
use connector_contract::shared::time::now_ms;
use connector_contract::shared::{ApiError, ApiResult};

use super::owner;
use super::view::PersonView;
use crate::SignAccount;
use crate::db::repo;
use crate::domain::PersonRequest;
use crate::domain::person::ORDER_FIELDS;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/signAccounters/{uuid}/signPersons")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/signAccounters/{uuid}/signPersons/{person}")
            .route(web::get().to(get))
            .route(web::put().to(update)),
    );
}

#[tracing::instrument(skip_all, fields(accounter = %path))]
async fn list(
    caller: Caller,
    path: web::Path<String>,
    params: Params,
    base: BaseUrl,
    req: HttpRequest,
    state: web::Data<SignAccount>,
) -> ApiResult<HttpResponse> {
    let (owner, accounter) = (owner(&caller)?, path_id(path.into_inner())?);
    let page = Page::from_params(&params)?;
    let order = OrderBy::parse(params.str("orderBy"), &ORDER_FIELDS)?;
    let (size, rows) = state
        .db
        .run(move |conn| repo::list_persons(conn, &accounter, owner.as_deref(), order, page))
        .await
        .map_err(ApiError::from)?;
    let items = rows
        .into_iter()
        .map(|r| PersonView::new(r, &base, &state.clock))
        .collect();
    Ok(HttpResponse::Ok().json(Collection::new(base.request_href(&req), page, size, items)))
}

/// 201 with the new person, who belongs to the accounter's merchant.
#[tracing::instrument(skip_all, fields(accounter = %path))]
async fn create(
    caller: Caller,
    path: web::Path<String>,
    body: web::Json<PersonRequest>,
    base: BaseUrl,
    state: web::Data<SignAccount>,
) -> ApiResult<HttpResponse> {
    let (owner, accounter) = (owner(&caller)?, path_id(path.into_inner())?);
    let data = body.into_inner().validate_new()?;
    let now = now_ms();
    let row = state
        .db
        .run(move |conn| repo::create_person(conn, &accounter, owner.as_deref(), &data, now))
        .await
        .map_err(ApiError::from)?;
    let view = PersonView::new(row, &base, &state.clock);
    Ok(HttpResponse::Created()
        .insert_header((LOCATION, view.href.clone()))
        .json(view))
}

#[tracing::instrument(skip_all)]
async fn get(
    caller: Caller,
    path: web::Path<(String, String)>,
    base: BaseUrl,
    state: web::Data<SignAccount>,
) -> ApiResult<HttpResponse> {
    let (accounter, person) = path.into_inner();
    let (owner, accounter, person) = (owner(&caller)?, path_id(accounter)?, path_id(person)?);
    let row = state
        .db
        .run(move |conn| repo::person(conn, &accounter, &person, owner.as_deref()))
        .await
        .map_err(ApiError::from)?;
    Ok(HttpResponse::Ok().json(PersonView::new(row, &base, &state.clock)))
}

#[tracing::instrument(skip_all)]
async fn update(
    caller: Caller,
    path: web::Path<(String, String)>,
    body: web::Json<PersonRequest>,
    base: BaseUrl,
    state: web::Data<SignAccount>,
) -> ApiResult<HttpResponse> {
    let (accounter, person) = path.into_inner();
    let (owner, accounter, person) = (owner(&caller)?, path_id(accounter)?, path_id(person)?);
    let patch = body.into_inner().validate_patch()?;
    let now = now_ms();
    let row = state
        .db
        .run(move |conn| repo::update_person(conn, &accounter, &person, owner.as_deref(), &patch, now))
        .await
        .map_err(ApiError::from)?;
    Ok(HttpResponse::Ok().json(PersonView::new(row, &base, &state.clock)))
}
