//! `/wechatMerchants/{merchantUUID}`: a merchant's WeChat Pay sub-merchant. Which
//! `sub_mch_id` a merchant is paid into is an operator's decision, so only `admin` writes
//! (else 403); a merchant reads its own entry (another merchant's is a 404, like a missing
//! one), an admin any. Other roles (`connector`, none) are a 403.

use connector_contract::shared::href::BaseUrl;
use connector_contract::shared::time::Clock;
use serde::Serialize;

use crate::connector::WechatConnector;
use crate::db::repo;
use crate::db::schema::MerchantRow;
use crate::domain::merchant::{MerchantRequest, MerchantSettings};
use crate::error::Error;

connector_contract::shared::resource_view! {
    /// A merchant's WeChat Pay sub-merchant settings.
    // `pub` only because it is the `View` of a public trait impl; the module is crate-private.
    #[derive(Serialize, utoipa::ToSchema)]
    #[serde(rename_all = "camelCase")]
    #[schema(as = WechatMerchant)]
    pub struct MerchantView {
        href;
        id;
    } with (merchant_uuid) {
        /// WeChat Pay sub-merchant id.
        sub_mch_id: String,
        #[schema(required = true)]
        sub_app_id: Option<String>,
    } with (created_at, modified_at)
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

connector_contract::merchant_settings_routes! {
    state = WechatConnector,
    row = MerchantRow,
    repo = repo,
    db = |c| c.db(),
    // Any path: an unknown merchant is a 404 like a missing one.
    merchant_of = |path: &str| Ok(path.to_string()),
    request = MerchantRequest => MerchantSettings: MerchantRequest::validate,
    view = MerchantView: |c, row, base| MerchantView::new(row, base, &c.clock),
    stored = |row| tracing::info!(sub_mch_id = %row.sub_mch_id, "WeChat Pay sub-merchant set"),
    route = "/wechatMerchants/{merchantUUID}",
    path = "/api/v1.0.0/wechatMerchants/{merchantUUID}",
    tag = "wechatMerchants",
    get = (
        "getWechatMerchant",
        "Get a merchant's WeChat Pay settings",
        "The merchant itself, or an admin for any merchant; another merchant's answers 404 like a missing one."
    ),
    put = (
        "putWechatMerchant",
        "Set a merchant's WeChat Pay settings",
        "Admin only (403 otherwise): which sub-merchant a merchant is paid into is an operator's decision. Creates or replaces the settings.",
        bad_body = "A malformed subMchId or subAppId."
    ),
    delete = (
        "deleteWechatMerchant",
        "Remove a merchant's WeChat Pay settings",
        "Admin only (403 otherwise)."
    ),
}
