//! `/signAccounters/{uuid}/signPersons` and `/signAccounters/{uuid}/signPersons/{uuid}`.

use actix_web::{HttpResponse, web};
use connector_contract::shared::auth::Caller;
use connector_contract::shared::collection::Collection;
use connector_contract::shared::created::created;
use connector_contract::shared::href::BaseUrl;
use connector_contract::shared::http::endpoint;
use connector_contract::shared::listing::ListCall;
use connector_contract::shared::path::{UuidPath, path_id};
use connector_contract::shared::time::now_ms;
use connector_contract::shared::{ApiError, ApiResult};

use super::view::PersonView;
use super::{accounter_page, owner};
use crate::SignAccount;
use crate::db::repo::{self, PERSONS};
use crate::domain::PersonRequest;

/// The caller's scope and the path's `(accounter, person)`, each checked as a uuid.
fn person_path(caller: &Caller, path: web::Path<(String, String)>) -> ApiResult<(Option<String>, String, String)> {
    let (accounter, person) = path.into_inner();
    Ok((owner(caller)?, path_id(accounter)?, path_id(person)?))
}

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
    params(UuidPath, PersonListParams),
    responses(
        (status = 200, description = "OK", body = Collection<PersonView>),
        (status = 404, description = "Unknown resource (another merchant's answers alike).", body = ApiError),
    )
)]
#[tracing::instrument(skip_all, fields(accounter = %path))]
pub(crate) async fn list(
    call: ListCall,
    path: web::Path<String>,
    state: web::Data<SignAccount>,
) -> ApiResult<HttpResponse> {
    let (query, size, rows) = accounter_page(&call, path, &state, &PERSONS, repo::list_persons).await?;
    let items = rows
        .into_iter()
        .map(|r| PersonView::new(r, &call.base, &state.clock))
        .collect();
    Ok(call.respond::<PersonView>(&query, size, items))
}

/// 201 with the new person, who belongs to the accounter's merchant.
#[utoipa::path(
    post,
    path = "/api/v1.0.0/signAccounters/{uuid}/signPersons",
    operation_id = "createSignPerson",
    tag = "signAccounters",
    summary = "Add a sign person",
    params(UuidPath),
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
        .await?;
    let view = PersonView::new(row, &base, &state.clock);
    Ok(created(&view.href, &view))
}

#[utoipa::path(
    get,
    path = "/api/v1.0.0/signAccounters/{uuid}/signPersons/{signPersonUUID}",
    operation_id = "getSignPerson",
    tag = "signAccounters",
    summary = "Get a sign person",
    params(UuidPath, ("signPersonUUID" = String, Path, description = "The sign person's uuid.")),
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
    let (owner, accounter, person) = person_path(&caller, path)?;
    let row = state
        .db
        .run(move |conn| repo::person(conn, &accounter, &person, owner.as_deref()))
        .await?;
    Ok(HttpResponse::Ok().json(PersonView::new(row, &base, &state.clock)))
}

#[utoipa::path(
    put,
    path = "/api/v1.0.0/signAccounters/{uuid}/signPersons/{signPersonUUID}",
    operation_id = "updateSignPerson",
    tag = "signAccounters",
    summary = "Update a sign person",
    params(UuidPath, ("signPersonUUID" = String, Path, description = "The sign person's uuid.")),
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
    let (owner, accounter, person) = person_path(&caller, path)?;
    let patch = body.into_inner().validate_patch()?;
    let now = now_ms();
    let row = state
        .db
        .run(move |conn| repo::update_person(conn, &accounter, &person, owner.as_deref(), &patch, now))
        .await?;
    Ok(HttpResponse::Ok().json(PersonView::new(row, &base, &state.clock)))
}
