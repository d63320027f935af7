//! A merchant's WeChat Pay settings: its sub-merchant id (`sub_mch_id`) and, optionally, its
//! own app id (`sub_appid`).

use serde::Deserialize;

/// `PUT /wechatMerchants/{merchantUUID}`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = WechatMerchantRequest)]
pub struct MerchantRequest {
    /// 1-32 digits.
    #[schema(value_type = String, required = true, pattern = "^[0-9]{1,32}$")]
    pub sub_mch_id: Option<String>,
    /// 1-32 letters or digits (e.g. wx8888888888888888); empty is none.
    #[serde(default)]
    pub sub_app_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerchantSettings {
    pub sub_mch_id: String,
    pub sub_appid: Option<String>,
}

impl MerchantRequest {
    pub fn validate(self) -> Result<MerchantSettings, String> {
        let sub_mch_id = self.sub_mch_id.map(|s| s.trim().to_string()).unwrap_or_default();
        if sub_mch_id.is_empty() || sub_mch_id.len() > 32 || !sub_mch_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err("subMchId must be the WeChat Pay sub-merchant id: 1-32 digits".into());
        }
        let sub_appid = self.sub_app_id.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        if let Some(a) = &sub_appid
            && (a.len() > 32 || !a.bytes().all(|b| b.is_ascii_alphanumeric()))
        {
            return Err("subAppId must be 1-32 letters or digits (e.g. wx8888888888888888)".into());
        }
        Ok(MerchantSettings { sub_mch_id, sub_appid })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(id: Option<&str>, app: Option<&str>) -> MerchantRequest {
        MerchantRequest {
            sub_mch_id: id.map(str::to_string),
            sub_app_id: app.map(str::to_string),
        }
    }

    #[test]
    fn sub_merchant_ids_are_digits() {
        assert_eq!(
            req(Some(" 1900000110 "), Some("")).validate().unwrap(),
            MerchantSettings {
                sub_mch_id: "1900000110".into(),
                sub_appid: None
            }
        );
        assert_eq!(
            req(Some("1"), Some("wx8888888888888888"))
                .validate()
                .unwrap()
                .sub_appid
                .as_deref(),
            Some("wx8888888888888888")
        );
        for bad in [
            req(None, None),
            req(Some(""), None),
            req(Some("19x"), None),
            req(Some(&"1".repeat(33)), None),
        ] {
            assert!(bad.validate().is_err());
        }
        assert!(req(Some("1"), Some("wx-1")).validate().is_err());
    }
}
