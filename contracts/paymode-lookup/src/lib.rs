//! The pay-mode lookup paymode-service serves under `/internal/v1/payModes/{uuid}` and
//! payorder-service calls on every pay (it caches nothing: closing a mode or disabling its
//! template refuses the very next pay). One type for both sides.

use serde::{Deserialize, Serialize};

/// The path of one mode's lookup, below paymode-service's base URL.
pub fn path(uuid: &str) -> String {
    format!("/internal/v1/payModes/{uuid}")
}

/// A mode's template as paymode-service read it for this answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TemplateStatus {
    Enabled,
    Disabled,
    /// template-service no longer knows the template.
    Missing,
}

/// What a pay needs of a pay mode, now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PayModeNow {
    pub uuid: String,
    #[serde(rename = "merchantUUID")]
    pub merchant_uuid: String,
    pub name: String,
    pub pay_template_id: Option<String>,
    pub pay_channel: Option<String>,
    pub pay_way: Option<String>,
    pub pay_url: Option<String>,
    pub refund_url: Option<String>,
    pub query_url: Option<String>,
    pub is_online: i32,
    pub is_async_notify: i32,
    pub is_opened: i32,
    pub order_valid_time: i32,
    /// `None` for a custom mode (no template).
    pub template_status: Option<TemplateStatus>,
    /// `isOpened` 1, payable (an online mode has a payUrl) and the template, if any, enabled.
    pub usable: bool,
}

impl PayModeNow {
    /// Whether the mode's template is enabled now; `None` for a custom mode, or when
    /// template-service no longer knows the template (not a refusal).
    pub fn template_enabled(&self) -> Option<bool> {
        match self.template_status {
            Some(TemplateStatus::Enabled) => Some(true),
            Some(TemplateStatus::Disabled) => Some(false),
            Some(TemplateStatus::Missing) | None => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_status_reads_as_the_words_paymode_sends() {
        let v = serde_json::json!({
            "uuid": "u", "merchantUUID": "m", "name": "n", "payTemplateId": null, "payChannel": null,
            "payWay": null, "payUrl": "http://c/pay", "refundUrl": null, "queryUrl": null,
            "isOnline": 0, "isAsyncNotify": 0, "isOpened": 1, "orderValidTime": 24,
            "templateStatus": "missing", "usable": true, "href": "ignored: the public view's extra fields"
        });
        let m: PayModeNow = serde_json::from_value(v).unwrap();
        assert_eq!(m.template_enabled(), None);
        assert_eq!(m.template_status, Some(TemplateStatus::Missing));
        assert_eq!(path("x"), "/internal/v1/payModes/x");
    }
}
