//! `/alipayMerchants/{merchantUUID}`: a merchant's ISV authorization (`appAuthToken`), never
//! shown in full. The token decides which Alipay account a merchant's pays go to, so only
//! `admin` writes (else 403); a merchant reads its own entry (another merchant's is a 404), an
//! admin any. Other roles (`connector`, none) are a 403.

use actix_web::{HttpResponse, web};
use connector_contract::merchant_settings::{deleted, may_read};
use connector_contract::shared::auth::{Caller, Role};
use connector_contract::shared::href::BaseUrl;
use connector_contract::shared::http::endpoint;
use connector_contract::shared::time::{Clock, now_ms};
use connector_contract::shared::{ApiError, ApiResult};
use serde::Serialize;

use crate::db::models::MerchantRow;
use crate::db::repo;
use crate::domain::merchant::{PutMerchant, mask_token, parse_token};
use crate::error::Error;
use crate::startup::AppState;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(
        endpoint("/alipayMerchants/{merchantUUID}")
            .get(get)
            .put(put)
            .delete(delete),
    );
}

/// A merchant's Alipay ISV authorization.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = AlipayMerchant)]
pub(crate) struct MerchantView {
    /// Absolute public URL of this resource, through the gateway.
    #[schema(format = "uri")]
    href: String,
    /// The row's integer id.
    id: i64,
    /// 22 characters of [0-9A-Za-z] (nanoid).
    #[schema(pattern = "^[0-9A-Za-z]{22}$", example = "irAl37TewwGEchYrXUWsfA")]
    uuid: String,
    /// The merchant's uuid (1-64 of [0-9A-Za-z_-]).
    #[serde(rename = "merchantUUID")]
    merchant_uuid: String,
    /// Masked, never shown in full.
    #[schema(example = "2020****c8f1")]
    app_auth_token: String,
    /// Time `YYYY-MM-DD HH:mm:ss` in the display offset (default +08:00).
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", example = "2018-07-12 13:01:30")]
    created_at: String,
    /// Time `YYYY-MM-DD HH:mm:ss` in the display offset (default +08:00).
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", example = "2018-07-12 13:01:30")]
    modified_at: String,
}

impl MerchantView {
    fn new(r: MerchantRow, base: &BaseUrl, clock: &Clock) -> Self {
        Self {
            href: base.api(&format!("alipayMerchants/{}", r.merchant_uuid)),
            id: r.id,
            uuid: r.uuid,
            merchant_uuid: r.merchant_uuid,
            app_auth_token: mask_token(&r.app_auth_token),
            created_at: clock.render(r.created_at),
            modified_at: clock.render(r.modified_at),
        }
    }
}

/// The path's merchantUUID, when it can be one.
fn merchant_of(path: &str) -> ApiResult<String> {
    let ok = !path.is_empty()
        && path.len() <= 64
        && path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(path.to_string())
    } else {
        Err(ApiError::bad_request("merchantUUID must be 1-64 of [0-9A-Za-z_-]"))
    }
}

/// Writing: which Alipay account a merchant is paid into is an operator's decision (admin).
fn may_write(caller: &Caller, path: &str) -> ApiResult<String> {
    caller.require(Role::Admin)?;
    merchant_of(path)
}

#[utoipa::path(
    get,
    path = "/api/v1.0.0/alipayMerchants/{merchantUUID}",
    operation_id = "getAlipayMerchant",
    tag = "alipayMerchants",
    summary = "Get a merchant's Alipay authorization",
    description = "The merchant itself, or an admin for any merchant; another merchant's answers 404 like a missing one. A malformed merchantUUID is a 400.",
    params(("merchantUUID" = String, Path, description = "The merchant's uuid (1-64 of [0-9A-Za-z_-]).")),
    responses(
        (status = 200, description = "OK", body = MerchantView),
        (status = 400, description = "A malformed merchantUUID.", body = ApiError),
        (status = 404, description = "Unknown resource (another merchant's answers alike).", body = ApiError),
    )
)]
#[tracing::instrument(skip_all, fields(merchant = %path))]
pub(crate) async fn get(
    caller: Caller,
    path: web::Path<String>,
    base: BaseUrl,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    may_read(&caller, &path, Error::NotFound)?;
    let merchant = merchant_of(&path)?;
    let row = state
        .db
        .run(move |conn| repo::merchant(conn, &merchant)?.ok_or(Error::NotFound))
        .await?;
    Ok(HttpResponse::Ok().json(MerchantView::new(row, &base, &state.clock)))
}

#[utoipa::path(
    put,
    path = "/api/v1.0.0/alipayMerchants/{merchantUUID}",
    operation_id = "putAlipayMerchant",
    tag = "alipayMerchants",
    summary = "Set a merchant's Alipay authorization (app_auth_token)",
    description = "Admin only (403 otherwise): which Alipay account a merchant is paid into is an operator's decision. Creates or replaces the authorization. A malformed merchantUUID is a 400.",
    params(("merchantUUID" = String, Path, description = "The merchant's uuid (1-64 of [0-9A-Za-z_-]).")),
    request_body = PutMerchant,
    responses(
        (status = 200, description = "OK", body = MerchantView),
        (status = 400, description = "A malformed merchantUUID or appAuthToken.", body = ApiError),
    )
)]
#[tracing::instrument(skip_all, fields(merchant = %path))]
pub(crate) async fn put(
    caller: Caller,
    path: web::Path<String>,
    body: web::Json<PutMerchant>,
    base: BaseUrl,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let merchant = may_write(&caller, &path)?;
    let token = parse_token(body.app_auth_token.as_deref()).map_err(ApiError::bad_request)?;
    let now = now_ms();
    let row = state
        .db
        .run(move |conn| repo::put_merchant(conn, &merchant, &token, now))
        .await?;
    tracing::info!(merchant = %row.merchant_uuid, "alipay app_auth_token set");
    Ok(HttpResponse::Ok().json(MerchantView::new(row, &base, &state.clock)))
}

#[utoipa::path(
    delete,
    path = "/api/v1.0.0/alipayMerchants/{merchantUUID}",
    operation_id = "deleteAlipayMerchant",
    tag = "alipayMerchants",
    summary = "Remove a merchant's Alipay authorization",
    description = "Admin only (403 otherwise). A malformed merchantUUID is a 400.",
    params(("merchantUUID" = String, Path, description = "The merchant's uuid (1-64 of [0-9A-Za-z_-]).")),
    responses(
        (status = 204, description = "Removed."),
        (status = 400, description = "A malformed merchantUUID.", body = ApiError),
        (status = 404, description = "Unknown resource (another merchant's answers alike).", body = ApiError),
    )
)]
#[tracing::instrument(skip_all, fields(merchant = %path))]
pub(crate) async fn delete(
    caller: Caller,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let merchant = may_write(&caller, &path)?;
    let found = state.db.run(move |conn| repo::delete_merchant(conn, &merchant)).await?;
    deleted(found, Error::NotFound)
}
