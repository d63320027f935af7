//! A merchant's ISV authorization: the `app_auth_token` Alipay issued when the merchant
//! authorized this application (third-party application authorization).

/// `PUT /alipayMerchants/{merchantUUID}` body.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = AlipayMerchantRequest)]
pub struct PutMerchant {
    /// 1-128 printable characters without spaces.
    #[serde(default)]
    #[schema(value_type = String, required = true, min_length = 1, max_length = 128)]
    pub app_auth_token: Option<String>,
}

/// The token, or why it is not one: 1-128 printable ASCII characters without spaces (Alipay
/// issues about 40).
pub fn parse_token(raw: Option<&str>) -> Result<String, String> {
    let token = raw.map(str::trim).unwrap_or_default();
    if token.is_empty() {
        return Err("appAuthToken is required".into());
    }
    if token.len() > 128 || !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err("appAuthToken must be 1-128 printable characters without spaces".into());
    }
    Ok(token.to_string())
}

/// Never shown in full: `2020****c8f1`.
pub fn mask_token(token: &str) -> String {
    if token.len() < 12 || !token.is_ascii() {
        return "****".into();
    }
    format!("{}****{}", &token[..4], &token[token.len() - 4..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_validated_and_masked() {
        assert_eq!(parse_token(Some(" 202011BB7fd1c8f1 ")).unwrap(), "202011BB7fd1c8f1");
        assert!(parse_token(None).is_err());
        assert!(parse_token(Some("a b")).is_err());
        assert!(parse_token(Some(&"x".repeat(129))).is_err());
        assert_eq!(mask_token("202011BB7fd1c8f1"), "2020****c8f1");
        assert_eq!(mask_token("short"), "****");
    }
}
