//! alipay's part of the public OpenAPI document: the merchants' authorizations under `/api/v1.0.0`
//! (the contract's `/connector/*` routes are not public). The workspace merges the parts into
//! the gateway's document and adds the answers every public route can give (400, 401, 403,
//! 413, 429, 5xx).

use crate::routes::merchants;

connector_contract::merchant_settings_api_doc!(
    "alipayMerchants",
    "AlipayMerchant",
    crate::domain::merchant::PutMerchant
);
