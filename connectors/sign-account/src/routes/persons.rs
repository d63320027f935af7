//! `/signAccounters/{uuid}/signPersons` and `/signAccounters/{uuid}/signPersons/{uuid}`.

use actix_web::{HttpResponse, web};
use connector_contract::shared::auth::Caller;
use connector_contract::shared::collection::Collection;
use connector_contract::shared::created::created;
use connector_contract::shared::db::DbConnection;
use connector_contract::shared::href::BaseUrl;
use connector_contract::shared::http::endpoint;
use connector_contract::shared::listing::ListCall;
use connector_contract::shared::path::{UuidPath, path_id};
use connector_contract::shared::time::now_ms;
use connector_contract::shared::{ApiError, ApiResult};

use super::view::PersonView;
use super::{owner, view_of};
use crate::SignAccount;
use crate::db::repo::{self, PERSONS};
use crate::domain::PersonRequest;

/// The caller's scope and the path's `(accounter, person)`, each checked as a uuid.
fn person_path(caller: &Caller, path: web::Path<(String, String)>) -> ApiResult<(Option<String>, (String, String))> {
    let (accounter, person) = path.into_inner();
    Ok((owner(caller)?, (path_id(accounter)?, path_id(person)?)))
}

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(endpoint("/signAccounters/{uuid}/signPersons").get(list).post(create))
        .service(
            endpoint("/signAccounters/{uuid}/signPersons/{person}")
                .get(get)
                .put(update),
        );
}

accounter_list! {
    /// The query parameters of `GET /signAccounters/{uuid}/signPersons`.
    PersonListParams = PERSONS;
    "/api/v1.0.0/signAccounters/{uuid}/signPersons", "listSignPersons", "List an accounter's sign persons";
    PersonView, repo::list_persons, |call, state, r| PersonView::new(r, &call.base, &state.clock)
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
    let create = move |conn: &mut DbConnection| repo::create_person(conn, &accounter, owner.as_deref(), &data, now);
    let view = view_of(&state, create, |row, clock| PersonView::new(row, &base, clock)).await?;
    Ok(created(&view.href, &view))
}

resource_routes! {
    path = "/api/v1.0.0/signAccounters/{uuid}/signPersons/{signPersonUUID}", (String, String) => person_path, PersonView,
    get = (
        "getSignPerson",
        "Get a sign person",
        params(UuidPath, ("signPersonUUID" = String, Path, description = "The sign person's uuid."))
    ),
    load = |conn, (accounter, person), owner| repo::person(conn, &accounter, &person, owner),
    put = ("updateSignPerson", "Update a sign person"),
    body = PersonRequest => validate_patch,
    store = |conn, (accounter, person), owner, patch, now| repo::update_person(conn, &accounter, &person, owner, patch, now),
}
