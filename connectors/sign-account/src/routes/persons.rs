//! `/signAccounters/{uuid}/signPersons` and `/signAccounters/{uuid}/signPersons/{uuid}`.

use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use connector_contract::shared::auth::Caller;
use connector_contract::shared::collection::Collection;
use connector_contract::shared::href::BaseUrl;
use connector_contract::shared::http::endpoint;
use connector_contract::shared::params::Params;
use connector_contract::shared::path::path_id;
use connector_contract::shared::time::now_ms;
use connector_contract::shared::{ApiError, ApiResult};

use super::owner;
use super::view::PersonView;
use crate::SignAccount;
use crate::db::repo::{self, PERSONS};
use crate::domain::PersonRequest;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(endpoint("/signAccounters/{uuid}/signPersons").get(list).post(create))
        .service(
            endpoint("/signAccounters/{uuid}/signPersons/{person}")
                .get(get)
                .put(update),
        );
}

connector_contract::shared::list_params!(
    /// The query parameters of `GET /signAccounters/{uuid}/signPersons`.
    pub(crate) PersonListParams, PERSONS
);

#[utoipa::path(
    get,
    path = "/api/v1.0.0/signAccounters/{uuid}/signPersons",
    operation_id = "listSignPersons",
    tag = "signAccounters",
    summary = "List an accounter's sign persons",
    params(("uuid" = String, Path, description = "The resource's uuid (22 of [0-9A-Za-z]).", example = "irAl37TewwGEchYrXUWsfA"), PersonListParams),
    responses(
        (status = 200, description = "OK", body = Collection<PersonView>),
        (status = 404, description = "Unknown resource (another merchant's answers alike).", body = ApiError),
    )
)]
#[tracing::instrument(skip_all, fields(accounter = %path))]
pub(crate) async fn list(
    caller: Caller,
    path: web::Path<String>,
    params: Params,
    base: BaseUrl,
    req: HttpRequest,
    state: web::Data<SignAccount>,
) -> ApiResult<HttpResponse> {
    let (owner, accounter) = (owner(&caller)?, path_id(path.into_inner())?);
    let query = PERSONS.parse(&params, &state.clock)?;
    let q = query.clone();
    let (size, rows) = state
        .db
        .run(move |conn| repo::list_persons(conn, &accounter, owner.as_deref(), &q))
        .await
        .map_err(ApiError::from)?;
    let items = rows
        .into_iter()
        .map(|r| PersonView::new(r, &base, &state.clock))
        .collect();
    Ok(HttpResponse::Ok().json(query.collection(&base, &req, size, items)))
}

/// 201 with the new person, who belongs to the accounter's merchant.
#[utoipa::path(
    post,
    path = "/api/v1.0.0/signAccounters/{uuid}/signPersons",
    operation_id = "createSignPerson",
    tag = "signAccounters",
    summary = "Add a sign person",
    params(("uuid" = String, Path, description = "The resource's uuid (22 of [0-9A-Za-z]).", example = "irAl37TewwGEchYrXUWsfA")),
    request_body = PersonRequest,
    responses(
        (status = 201, description = "Created.", body = PersonView, headers(("Location" = String, description = "The new resource's href."))),
        (status = 404, description = "Unknown resource (another merchant's answers alike).", body = ApiError),
    )
)]
#[tracing::instrument(skip_all, fields(accounter = %path))]
pub(crate) async fn create(
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

#[utoipa::path(
    get,
    path = "/api/v1.0.0/signAccounters/{uuid}/signPersons/{signPersonUUID}",
    operation_id = "getSignPerson",
    tag = "signAccounters",
    summary = "Get a sign person",
    params(("uuid" = String, Path, description = "The resource's uuid (22 of [0-9A-Za-z]).", example = "irAl37TewwGEchYrXUWsfA"), ("signPersonUUID" = String, Path, description = "The sign person's uuid.")),
    responses(
        (status = 200, description = "OK", body = PersonView),
        (status = 404, description = "Unknown resource (another merchant's answers alike).", body = ApiError),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn get(
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

#[utoipa::path(
    put,
    path = "/api/v1.0.0/signAccounters/{uuid}/signPersons/{signPersonUUID}",
    operation_id = "updateSignPerson",
    tag = "signAccounters",
    summary = "Update a sign person",
    params(("uuid" = String, Path, description = "The resource's uuid (22 of [0-9A-Za-z]).", example = "irAl37TewwGEchYrXUWsfA"), ("signPersonUUID" = String, Path, description = "The sign person's uuid.")),
    request_body = PersonRequest,
    responses(
        (status = 200, description = "OK", body = PersonView),
        (status = 404, description = "Unknown resource (another merchant's answers alike).", body = ApiError),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn update(
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
