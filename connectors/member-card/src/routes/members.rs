//! `/members`, `/members/{uuid}`, `/members/{uuid}/recharge`, `/members/{uuid}/counts` and
//! `/members/{uuid}/statement` (API.md A.7). Only the merchant and admin roles manage members
//! (403 otherwise; service tokens never reach these public routes, the `Caller` extractor
//! refuses them). A merchant sees only its own members (another merchant's answer 404);
//! admins act for any merchant, or for the one they name with `merchantUUID`/`merchantHref`.
//! Every `{uuid}` goes through `shared::path::path_id`: actix has percent-decoded it, and a
//! `%2F` must not reach the database as a `/`.

use actix_web::{HttpResponse, web};
use connector_contract::shared::auth::Caller;
use connector_contract::shared::collection::Collection;
use connector_contract::shared::created::created;
use connector_contract::shared::db::DbConnection;
use connector_contract::shared::href::BaseUrl;
use connector_contract::shared::http::endpoint;
use connector_contract::shared::listing::ListCall;
use connector_contract::shared::params::Params;
use connector_contract::shared::path::{UuidPath, path_id};
use connector_contract::shared::time::now_ms;
use connector_contract::shared::{ApiError, ApiResult};

use super::view::{LedgerView, MemberView};
use crate::connector::MemberCard;
use crate::db::repo::{self, MEMBERS, Member, STATEMENT};
use crate::domain::fields::named_merchant;
use crate::domain::member::{CountsRequest, MemberRequest, RechargeRequest};
use crate::error::Error;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(endpoint("/members").get(list).post(create))
        .service(endpoint("/members/{uuid}").get(get).put(update))
        .service(endpoint("/members/{uuid}/recharge").post(recharge))
        .service(endpoint("/members/{uuid}/counts").post(add_counts))
        .service(endpoint("/members/{uuid}/statement").get(statement));
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
    state: &MemberCard,
    f: impl FnOnce(&mut DbConnection) -> Result<T, Error> + Send + 'static,
) -> ApiResult<T> {
    state.db.run(f).await.map_err(ApiError::from)
}

fn member_json(member: Member, base: &BaseUrl, state: &MemberCard) -> HttpResponse {
    HttpResponse::Ok().json(MemberView::new(member, base, &state.clock))
}

/// What the member writes (`PUT`, recharge, counts) run: the repository function, given the
/// member's uuid, the caller's merchant scope, the validated body and the time.
type MemberWrite<C> = fn(&mut DbConnection, &str, Option<&str>, &C, i64) -> Result<Member, Error>;

/// Runs `write` with `command` on the path's member, within `owner`'s scope, and answers the
/// member after it. Callers check the caller and the body first: a 403 or a 400 comes before
/// a 404.
async fn write_member<C: Send + 'static>(
    state: &MemberCard,
    base: &BaseUrl,
    path: web::Path<String>,
    owner: Option<String>,
    command: C,
    write: MemberWrite<C>,
) -> ApiResult<HttpResponse> {
    let (uuid, now) = (path_id(path.into_inner())?, now_ms());
    let member = run(state, move |conn| write(conn, &uuid, owner.as_deref(), &command, now)).await?;
    Ok(member_json(member, base, state))
}

connector_contract::shared::list_params!(
    /// The query parameters of `GET /members`.
    pub(crate) MemberListParams, MEMBERS
);

connector_contract::shared::list_params!(
    /// The query parameters of `GET /members/{uuid}/statement`.
    pub(crate) StatementParams, STATEMENT
);

#[utoipa::path(
    get,
    path = "/api/v1.0.0/members",
    operation_id = "listMembers",
    tag = "members",
    summary = "List members",
    description = "Roles merchant (its own members), admin or service.",
    params(MemberListParams),
    responses((status = 200, description = "OK", body = Collection<MemberView>))
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn list(call: ListCall, state: web::Data<MemberCard>) -> ApiResult<HttpResponse> {
    call.caller.require_merchant_or_admin()?;
    let query = call.parse(&MEMBERS, &state.clock)?;
    let q = query.clone();
    let (size, members) = run(&state, move |conn| repo::list(conn, &q)).await?;
    let items = members
        .into_iter()
        .map(|m| MemberView::new(m, &call.base, &state.clock))
        .collect();
    Ok(call.respond(&query, size, items))
}

#[utoipa::path(
    post,
    path = "/api/v1.0.0/members",
    operation_id = "createMember",
    tag = "members",
    summary = "Create a member",
    request_body = MemberRequest,
    responses(
        (status = 201, description = "Created.", body = MemberView, headers(("Location" = String, description = "The new resource's href."))),
        (status = 409, description = "The cardNo is taken by another member of the merchant.", body = ApiError),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn create(
    caller: Caller,
    body: web::Json<MemberRequest>,
    base: BaseUrl,
    state: web::Data<MemberCard>,
) -> ApiResult<HttpResponse> {
    caller.require_merchant_or_admin()?;
    let body = body.into_inner();
    let merchant = caller.acting_merchant(body.named_merchant().map_err(ApiError::from)?.as_deref())?;
    let new = body.into_new().map_err(ApiError::from)?;
    let now = now_ms();
    let member = run(&state, move |conn| repo::insert(conn, &merchant, &new, now)).await?;
    let view = MemberView::new(member, &base, &state.clock);
    Ok(created(&view.href, &view))
}

#[utoipa::path(
    get,
    path = "/api/v1.0.0/members/{uuid}",
    operation_id = "getMember",
    tag = "members",
    summary = "Get a member",
    params(
        UuidPath,
        ("merchantUUID" = Option<String>, Query, description = "The merchant to act for. Default: the token's merchant (admins and services: all merchants in lists). Naming another merchant is a 403 unless the caller is admin or service."),
        ("merchantHref" = Option<String>, Query, description = "The merchant's link; its last path segment names the merchant (as `merchantUUID`)."),
    ),
    responses(
        (status = 200, description = "OK", body = MemberView),
        (status = 404, description = "Unknown resource (another merchant's answers alike).", body = ApiError),
    )
)]
#[tracing::instrument(skip_all, fields(uuid = %path))]
pub(crate) async fn get(
    caller: Caller,
    path: web::Path<String>,
    params: Params,
    base: BaseUrl,
    state: web::Data<MemberCard>,
) -> ApiResult<HttpResponse> {
    let owner = scope(&caller, params_merchant(&params))?;
    let uuid = path_id(path.into_inner())?;
    let member = run(&state, move |conn| repo::by_uuid(conn, &uuid, owner.as_deref())).await?;
    Ok(member_json(member, &base, &state))
}

/// The member writes (`PUT`, recharge, counts) are one route shape: a `{uuid}` path, a body
/// naming the merchant, a 200 with the member after the write, a 404 for an unknown (or another
/// merchant's) member and a 409 when the write conflicts. Each names its method, path, body,
/// the body's conversion to the repository's command and the repository function.
macro_rules! member_write {
    ($(
        $(#[$doc:meta])*
        $method:ident $path:literal, $operation_id:literal, $summary:literal $(, description = $description:literal)?;
        $name:ident($body:ty) => $into:ident, $write:path,
        ok = $ok:literal, conflict = $conflict:literal;
    )+) => {$(
        $(#[$doc])*
        #[utoipa::path(
            $method,
            path = $path,
            operation_id = $operation_id,
            tag = "members",
            summary = $summary,
            $(description = $description,)?
            params(UuidPath),
            request_body = $body,
            responses(
                (status = 200, description = $ok, body = MemberView),
                (status = 404, description = "Unknown resource (another merchant's answers alike).", body = ApiError),
                (status = 409, description = $conflict, body = ApiError),
            )
        )]
        #[tracing::instrument(skip_all, fields(uuid = %path))]
        pub(crate) async fn $name(
            caller: Caller,
            path: web::Path<String>,
            body: web::Json<$body>,
            base: BaseUrl,
            state: web::Data<MemberCard>,
        ) -> ApiResult<HttpResponse> {
            let body = body.into_inner();
            let owner = scope(&caller, body.named_merchant())?;
            let command = body.$into().map_err(ApiError::from)?;
            write_member(&state, &base, path, owner, command, $write).await
        }
    )+};
}

member_write! {
    /// Changes the fields given (`name`, `mobile`, `cardNo`, `status`); the others stay.
    put "/api/v1.0.0/members/{uuid}", "updateMember", "Update a member";
    update(MemberRequest) => into_patch, repo::update,
    ok = "OK", conflict = "The cardNo is taken by another member of the merchant.";

    /// Credits the balance once per `clientRechargeNo`; a replay answers the member as it is.
    post "/api/v1.0.0/members/{uuid}/recharge", "rechargeMember", "Recharge a member's stored value",
    description = "Idempotent by `clientRechargeNo`: a replay answers the member as it is; the same number for another recharge is a 409.";
    recharge(RechargeRequest) => into_recharge, repo::recharge,
    ok = "The member after the recharge.",
    conflict = "The clientRechargeNo was used for another request, the member is disabled, or the balance would exceed its maximum.";

    post "/api/v1.0.0/members/{uuid}/counts", "addMemberCounts", "Add counts to a member's count card";
    add_counts(CountsRequest) => into_add, repo::add_counts,
    ok = "The member with the counts added.",
    conflict = "The clientRechargeNo was used for another request, the member is disabled, or the remaining counts would exceed their maximum.";
}

#[utoipa::path(
    get,
    path = "/api/v1.0.0/members/{uuid}/statement",
    operation_id = "getMemberStatement",
    tag = "members",
    summary = "A member's ledger",
    params(UuidPath, StatementParams),
    responses(
        (status = 200, description = "OK", body = Collection<LedgerView>),
        (status = 404, description = "Unknown resource (another merchant's answers alike).", body = ApiError),
    )
)]
#[tracing::instrument(skip_all, fields(uuid = %path))]
pub(crate) async fn statement(
    call: ListCall,
    path: web::Path<String>,
    state: web::Data<MemberCard>,
) -> ApiResult<HttpResponse> {
    call.caller.require_merchant_or_admin()?;
    // The caller's merchant scope is the member's: another merchant's member is a 404.
    let query = call.parse(&STATEMENT, &state.clock)?;
    let uuid = path_id(path.into_inner())?;
    let q = query.clone();
    let (size, entries) = run(&state, move |conn| {
        let member = repo::row_by_uuid(conn, &uuid, q.merchant.as_deref())?;
        repo::statement(conn, &member.uuid, &q)
    })
    .await?;
    let items = entries.into_iter().map(|e| LedgerView::new(e, &state.clock)).collect();
    Ok(call.respond::<LedgerView>(&query, size, items))
}
