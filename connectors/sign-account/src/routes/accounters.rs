//! `/signAccounters` and `/signAccounters/{uuid}`.

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

use super::view::AccounterView;
use super::{owner, view_of};
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
    let create = move |conn: &mut DbConnection| repo::create_accounter(conn, &merchant, &new, now);
    let view = view_of(&state, create, |row, clock| {
        tracing::info!(uuid = %row.uuid, merchant = %row.merchant_uuid, "signAccounter created");
        AccounterView::new(row, &base, clock)
    })
    .await?;
    Ok(created(&view.href, &view))
}

/// The caller's scope and the path's accounter, checked as a uuid.
fn accounter_path(caller: &Caller, path: web::Path<String>) -> ApiResult<(Option<String>, String)> {
    Ok((owner(caller)?, path_id(path.into_inner())?))
}

resource_routes! {
    path = "/api/v1.0.0/signAccounters/{uuid}", String => accounter_path, AccounterView,
    span_field = uuid,
    get = ("getSignAccounter", "Get a sign accounter", params(UuidPath)),
    load = |conn, uuid, owner| repo::accounter(conn, &uuid, owner),
    /// Changes the fields given (`name, description, creditLimit, status`); a credit limit below
    /// the used credit is a 409.
    put = (
        "updateSignAccounter",
        "Update a sign accounter",
        description = "A credit limit below the used credit is a 409."
    ),
    body = UpdateAccounter => validate, conflict = "The credit limit is below the used credit.",
    store = |conn, uuid, owner, patch, now| repo::update_accounter(conn, &uuid, owner, patch, now),
}
