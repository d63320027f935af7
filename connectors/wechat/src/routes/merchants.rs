//! `/wechatMerchants/{merchantUUID}`: a merchant's WeChat Pay sub-merchant. Which
//! `sub_mch_id` a merchant is paid into is an operator's decision, so only `admin` writes
//! (else 403); a merchant reads its own entry (another merchant's is a 404, like a missing
//! one), an admin any. Other roles (`connector`, none) are a 403.

use actix_web::{HttpResponse, web};
use connector_contract::shared::auth::{Caller, Role};
use connector_contract::shared::href::BaseUrl;
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
        web::resource("/wechatMerchants/{merchantUUID}")
            .route(web::get().to(get))
            .route(web::put().to(put))
            .route(web::delete().to(delete)),
    );
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MerchantView {
    href: String,
    id: i64,
    #[serde(rename = "merchantUUID")]
    merchant_uuid: String,
    sub_mch_id: String,
    sub_app_id: Option<String>,
    created_at: String,
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

/// Reading: the merchant itself, or an admin.
fn may_read(caller: &Caller, merchant: &str) -> ApiResult<()> {
    caller.require_merchant_or_admin()?;
    if caller.has(Role::Admin) || caller.merchant_uuid.as_deref() == Some(merchant) {
        Ok(())
    } else {
        Err(Error::NotFound.into())
    }
}

#[tracing::instrument(skip_all, fields(merchant = %path))]
async fn get(
    caller: Caller,
    path: web::Path<String>,
    base: BaseUrl,
    c: web::Data<WechatConnector>,
) -> ApiResult<HttpResponse> {
    may_read(&caller, &path)?;
    let merchant = path.into_inner();
    let row = c
        .db()
        .run(move |conn| repo::merchant(conn, &merchant)?.ok_or(Error::NotFound))
        .await
        .map_err(ApiError::from)?;
    Ok(HttpResponse::Ok().json(MerchantView::new(row, &base, &c.clock)))
}

#[tracing::instrument(skip_all, fields(merchant = %path))]
async fn put(
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
        .await
        .map_err(ApiError::from)?;
    tracing::info!(sub_mch_id = %row.sub_mch_id, "WeChat Pay sub-merchant set");
    Ok(HttpResponse::Ok().json(MerchantView::new(row, &base, &c.clock)))
}

#[tracing::instrument(skip_all, fields(merchant = %path))]
async fn delete(caller: Caller, path: web::Path<String>, c: web::Data<WechatConnector>) -> ApiResult<HttpResponse> {
    caller.require(Role::Admin)?;
    let merchant = path.into_inner();
    let deleted = c
        .db()
        .run(move |conn| repo::delete_merchant(conn, &merchant))
        .await
        .map_err(ApiError::from)?;
    if deleted {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(Error::NotFound.into())
    }
}
