//! `/wechatMerchants/{merchantUUID}`: a merchant's WeChat Pay sub-merchant. Which
//! `sub_mch_id` a merchant is paid into is an operator's decision, so only `admin` writes
//! (else 403); a merchant reads its own entry (another merchant's is a 404, like a missing
//! one), an admin any. Other roles (`connector`, none) are a 403.

use actix_web::{HttpResponse, web};
use connector_contract::merchant_settings::{deleted, may_read};
use connector_contract::shared::auth::{Caller, Role};
use connector_contract::shared::href::BaseUrl;
use connector_contract::shared::http::endpoint;
use connector_contract::shared::time::{Clock, now_ms};
use connector_contract::shared::{ApiError, ApiResult};
use serde::Serialize;

use crate::connector::WechatConnector;
use crate::db::models::MerchantRow;
use crate::db::repo;
use crate::domain::merchant::MerchantRequest;
use crate::error::Error;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(
        endpoint("/wechatMerchants/{merchantUUID}")
            .get(get)
            .put(put)
            .delete(delete),
    );
}

/// A merchant's WeChat Pay sub-merchant settings.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = WechatMerchant)]
pub(crate) struct MerchantView {
    /// Absolute public URL of this resource, through the gateway.
    #[schema(format = "uri")]
    href: String,
    /// The row's integer id.
    id: i64,
    /// The merchant's uuid (1-64 of [0-9A-Za-z_-]).
    #[serde(rename = "merchantUUID")]
    merchant_uuid: String,
    /// WeChat Pay sub-merchant id.
    sub_mch_id: String,
    #[schema(required = true)]
    sub_app_id: Option<String>,
    /// Time `YYYY-MM-DD HH:mm:ss` in the display offset (default +08:00).
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", example = "2018-07-12 13:01:30")]
    created_at: String,
    /// Time `YYYY-MM-DD HH:mm:ss` in the display offset (default +08:00).
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", example = "2018-07-12 13:01:30")]
    modified_at: String,
}

impl MerchantView {
    fn new(row: MerchantRow, base: &BaseUrl, clock: &Clock) -> Self {
        Self {
            href: base.api(&format!("wechatMerchants/{}", row.merchant_uuid)),
            id: row.id,
            merchant_uuid: row.merchant_uuid,
            sub_mch_id: row.sub_mch_id,
            sub_app_id: row.sub_appid,
            created_at: clock.render(row.created_at),
            modified_at: clock.render(row.modified_at),
        }
    }
}

#[utoipa::path(
    get,
    path = "/api/v1.0.0/wechatMerchants/{merchantUUID}",
    operation_id = "getWechatMerchant",
    tag = "wechatMerchants",
    summary = "Get a merchant's WeChat Pay settings",
    description = "The merchant itself, or an admin for any merchant; another merchant's answers 404 like a missing one.",
    params(("merchantUUID" = String, Path, description = "The merchant's uuid (1-64 of [0-9A-Za-z_-]).")),
    responses(
        (status = 200, description = "OK", body = MerchantView),
        (status = 404, description = "Unknown resource (another merchant's answers alike).", body = ApiError),
    )
)]
#[tracing::instrument(skip_all, fields(merchant = %path))]
pub(crate) async fn get(
    caller: Caller,
    path: web::Path<String>,
    base: BaseUrl,
    c: web::Data<WechatConnector>,
) -> ApiResult<HttpResponse> {
    may_read(&caller, &path, Error::NotFound)?;
    let merchant = path.into_inner();
    let row = c
        .db()
        .run(move |conn| repo::merchant(conn, &merchant)?.ok_or(Error::NotFound))
        .await?;
    Ok(HttpResponse::Ok().json(MerchantView::new(row, &base, &c.clock)))
}

#[utoipa::path(
    put,
    path = "/api/v1.0.0/wechatMerchants/{merchantUUID}",
    operation_id = "putWechatMerchant",
    tag = "wechatMerchants",
    summary = "Set a merchant's WeChat Pay settings",
    description = "Admin only (403 otherwise): which sub-merchant a merchant is paid into is an operator's decision. Creates or replaces the settings.",
    params(("merchantUUID" = String, Path, description = "The merchant's uuid (1-64 of [0-9A-Za-z_-]).")),
    request_body = MerchantRequest,
    responses(
        (status = 200, description = "OK", body = MerchantView),
        (status = 400, description = "A malformed subMchId or subAppId.", body = ApiError),
    )
)]
#[tracing::instrument(skip_all, fields(merchant = %path))]
pub(crate) async fn put(
    caller: Caller,
    path: web::Path<String>,
    body: web::Json<MerchantRequest>,
    base: BaseUrl,
    c: web::Data<WechatConnector>,
) -> ApiResult<HttpResponse> {
    caller.require(Role::Admin)?;
    let merchant = path.into_inner();
    let settings = body.into_inner().validate().map_err(ApiError::bad_request)?;
    let now = now_ms();
    let row = c
        .db()
        .run(move |conn| repo::put_merchant(conn, &merchant, &settings, now))
        .await?;
    tracing::info!(sub_mch_id = %row.sub_mch_id, "WeChat Pay sub-merchant set");
    Ok(HttpResponse::Ok().json(MerchantView::new(row, &base, &c.clock)))
}

#[utoipa::path(
    delete,
    path = "/api/v1.0.0/wechatMerchants/{merchantUUID}",
    operation_id = "deleteWechatMerchant",
    tag = "wechatMerchants",
    summary = "Remove a merchant's WeChat Pay settings",
    description = "Admin only (403 otherwise).",
    params(("merchantUUID" = String, Path, description = "The merchant's uuid (1-64 of [0-9A-Za-z_-]).")),
    responses(
        (status = 204, description = "Removed."),
        (status = 404, description = "Unknown resource (another merchant's answers alike).", body = ApiError),
    )
)]
#[tracing::instrument(skip_all, fields(merchant = %path))]
pub(crate) async fn delete(
    caller: Caller,
    path: web::Path<String>,
    c: web::Data<WechatConnector>,
) -> ApiResult<HttpResponse> {
    caller.require(Role::Admin)?;
    let merchant = path.into_inner();
    let found = c.db().run(move |conn| repo::delete_merchant(conn, &merchant)).await?;
    deleted(found, Error::NotFound)
}
