//! `/alipayMerchants/{merchantUUID}`: a merchant's ISV authorization (`appAuthToken`), never
//! shown in full. The token decides which Alipay account a merchant's pays go to, so only
//! `admin` writes (else 403); a merchant reads its own entry (another merchant's is a 404), an
//! admin any. Other roles (`connector`, none) are a 403.

use connector_contract::shared::href::BaseUrl;
use connector_contract::shared::time::Clock;
use connector_contract::shared::{ApiError, ApiResult};
use serde::Serialize;

use crate::connector::AlipayConnector;
use crate::db::repo;
use crate::db::schema::MerchantRow;
use crate::domain::merchant::{PutMerchant, mask_token, parse_token};
use crate::error::Error;

connector_contract::shared::resource_view! {
    /// A merchant's Alipay ISV authorization.
    // `pub` only because it is the `View` of a public trait impl; the module is crate-private.
    #[derive(Debug, Serialize, utoipa::ToSchema)]
    #[serde(rename_all = "camelCase")]
    #[schema(as = AlipayMerchant)]
    pub struct MerchantView {
        href;
        id;
        uuid;
        /// The merchant's uuid (1-64 of [0-9A-Za-z_-]).
        #[serde(rename = "merchantUUID")]
        merchant_uuid: String,
        /// Masked, never shown in full.
        #[schema(example = "2020****c8f1")]
        app_auth_token: String,
    } with (created_at, modified_at)
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

// Writing: which Alipay account a merchant is paid into is an operator's decision (admin).
connector_contract::merchant_settings_routes! {
    state = AlipayConnector,
    row = MerchantRow,
    repo = repo,
    db = |c| &c.0.db,
    merchant_of = merchant_of,
    request = PutMerchant => String: |body: PutMerchant| parse_token(body.app_auth_token.as_deref()),
    view = MerchantView: |c, row, base| MerchantView::new(row, base, &c.0.clock),
    stored = |row| tracing::info!(merchant = %row.merchant_uuid, "alipay app_auth_token set"),
    route = "/alipayMerchants/{merchantUUID}",
    path = "/api/v1.0.0/alipayMerchants/{merchantUUID}",
    tag = "alipayMerchants",
    get = (
        "getAlipayMerchant",
        "Get a merchant's Alipay authorization",
        "The merchant itself, or an admin for any merchant; another merchant's answers 404 like a missing one. A malformed merchantUUID is a 400.",
        bad_path = "A malformed merchantUUID."
    ),
    put = (
        "putAlipayMerchant",
        "Set a merchant's Alipay authorization (app_auth_token)",
        "Admin only (403 otherwise): which Alipay account a merchant is paid into is an operator's decision. Creates or replaces the authorization. A malformed merchantUUID is a 400.",
        bad_body = "A malformed merchantUUID or appAuthToken."
    ),
    delete = (
        "deleteAlipayMerchant",
        "Remove a merchant's Alipay authorization",
        "Admin only (403 otherwise). A malformed merchantUUID is a 400.",
        bad_path = "A malformed merchantUUID."
    ),
}
