//! `/signAccounters` and `/signAccounters/{uuid}`.

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

use super::owner;
use super::view::AccounterView;
use crate::SignAccount;
use crate::db::repo::{self, ACCOUNTERS};
use crate::domain::{CreateAccounter, UpdateAccounter};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(endpoint("/signAccounters").get(list).post(create))
        .service(endpoint("/signAccounters/{uuid}").get(get).put(update));
}

connector_contract::shared::list_params!(
    /// The query parameters of `GET /signAccounters`.
    pub(crate) AccounterListParams, ACCOUNTERS
);

#[utoipa::path(
    get,
    path = "/api/v1.0.0/signAccounters",
    operation_id = "listSignAccounters",
    tag = "signAccounters",
    summary = "List sign accounters",
    params(AccounterListParams),
    responses((status = 200, description = "OK", body = Collection<AccounterView>))
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn list(call: ListCall, state: web::Data<SignAccount>) -> ApiResult<HttpResponse> {
    call.caller.require_merchant_or_admin()?;
    let query = call.parse(&ACCOUNTERS, &state.clock)?;
    let (size, rows) = ACCOUNTERS.page(&state.db, repo::all_accounters, &query).await?;
    let items = rows
        .into_iter()
        .map(|r| AccounterView::new(r, &call.base, &state.clock))
        .collect();
    Ok(call.respond::<AccounterView>(&query, size, items))
}

/// 201 with the new accounter; the merchant is the token's, or the one an admin names.
#[utoipa::path(
    post,
    path = "/api/v1.0.0/signAccounters",
    operation_id = "createSignAccounter",
    tag = "signAccounters",
    summary = "Create a sign accounter",
    request_body = CreateAccounter,
    responses((status = 201, description = "Created.", body = AccounterView, headers(("Location" = String, description = "The new resource's href."))))
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn create(
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
        .await?;
    tracing::info!(uuid = %row.uuid, merchant = %row.merchant_uuid, "signAccounter created");
    let view = AccounterView::new(row, &base, &state.clock);
    Ok(created(&view.href, &view))
}

#[utoipa::path(
    get,
    path = "/api/v1.0.0/signAccounters/{uuid}",
    operation_id = "getSignAccounter",
    tag = "signAccounters",
    summary = "Get a sign accounter",
    params(UuidPath),
    responses(
        (status = 200, description = "OK", body = AccounterView),
        (status = 404, description = "Unknown resource (another merchant's answers alike).", body = ApiError),
    )
)]
#[tracing::instrument(skip_all, fields(uuid = %path))]
pub(crate) async fn get(
    caller: Caller,
    path: web::Path<String>,
    base: BaseUrl,
    state: web::Data<SignAccount>,
) -> ApiResult<HttpResponse> {
    let (owner, uuid) = (owner(&caller)?, path_id(path.into_inner())?);
    let row = state
        .db
        .run(move |conn| repo::accounter(conn, &uuid, owner.as_deref()))
        .await?;
    Ok(HttpResponse::Ok().json(AccounterView::new(row, &base, &state.clock)))
}

/// Changes the fields given (`name, description, creditLimit, status`); a credit limit below
/// the used credit is a 409.
#[utoipa::path(
    put,
    path = "/api/v1.0.0/signAccounters/{uuid}",
    operation_id = "updateSignAccounter",
    tag = "signAccounters",
    summary = "Update a sign accounter",
    description = "A credit limit below the used credit is a 409.",
    params(UuidPath),
    request_body = UpdateAccounter,
    responses(
        (status = 200, description = "OK", body = AccounterView),
        (status = 404, description = "Unknown resource (another merchant's answers alike).", body = ApiError),
        (status = 409, description = "The credit limit is below the used credit.", body = ApiError),
    )
)]
#[tracing::instrument(skip_all, fields(uuid = %path))]
pub(crate) async fn update(
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
        .await?;
    Ok(HttpResponse::Ok().json(AccounterView::new(row, &base, &state.clock)))
}
