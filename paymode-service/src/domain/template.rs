//! A payModeTemplate as template-service answers it (API.md A.2), and the rules for opening a
//! pay mode from it.

use serde::Deserialize;

use super::paymode::{PayModeData, PayModePatch};
use crate::error::Error;

payserver_shared::text_enum! {
    /// A template's status as template-service has it, or `missing` when template-service no
    /// longer knows the template of a mode (such a mode is not usable).
    pub enum TemplateStatus {
        Enabled = "enabled",
        Disabled = "disabled",
        Missing = "missing",
    }
}

payserver_shared::pay_method_struct! {
    /// A template: its identity, the pay method it defines, its status and its times.
    #[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Template {
        #[serde(default)]
        pub id: i64,
        pub uuid: String,
        pub pay_template_id: String,
    } with_pay_method {
        pub status: TemplateStatus,
        #[serde(default)]
        pub created_at: Option<String>,
        #[serde(default)]
        pub modified_at: Option<String>,
    }
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl Template {
    pub fn is_enabled(&self) -> bool {
        self.status == TemplateStatus::Enabled
    }

    /// The checkEnvUrl to call before opening, if the template has one.
    pub fn check_env_url(&self) -> Option<String> {
        non_empty(&self.check_env_url)
    }

    /// Refuses a template that cannot be opened: disabled, or online without a payUrl (9003).
    pub fn check_usable(&self) -> Result<(), Error> {
        if !self.is_enabled() {
            return Err(Error::TemplateUnusable(format!(
                "payTemplateId:{} is disabled and cannot be opened",
                self.pay_template_id
            )));
        }
        if self.is_online == 1 && non_empty(&self.pay_url).is_none() {
            return Err(Error::TemplateUnusable(format!(
                "payTemplateId:{} is online but has no payUrl",
                self.pay_template_id
            )));
        }
        Ok(())
    }

    /// The template's fields as a new mode's data (opened, not a fast pay, `uiOrder` 0), with
    /// the body's overrides applied.
    pub fn open(&self, overrides: &PayModePatch) -> PayModeData {
        let t = self.clone();
        let mut d = payserver_shared::pay_method_moved!(t => PayModeData {
            is_fast_pay: 0,
            is_opened: 1,
            ui_order: 0,
        });
        // An empty or blank text of the template is none in the mode.
        for text in [
            &mut d.description,
            &mut d.check_env_url,
            &mut d.pay_url,
            &mut d.refund_url,
            &mut d.query_url,
            &mut d.icon_href,
            &mut d.pay_channel,
            &mut d.pay_way,
        ] {
            *text = non_empty(text);
        }
        overrides.template_overrides().apply(&mut d);
        d
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use payserver_shared::pay_method::PayMethodPatch;

    use super::*;

    pub fn template(id: &str) -> Template {
        Template {
            id: 1,
            uuid: "irAl37TewwGEchYrXUWsfA".into(),
            pay_template_id: id.into(),
            name: "微信扫码枪".into(),
            description: Some("微信扫码枪支付".into()),
            check_env_url: Some(String::new()),
            pay_url: Some("http://c/pay".into()),
            refund_url: None,
            query_url: None,
            icon_href: None,
            order_valid_time: 2,
            is_online: 1,
            is_sign_account: 0,
            is_async_notify: 1,
            is_thrid_pay: 1,
            pay_channel: Some("微信".into()),
            pay_way: Some("扫码枪".into()),
            status: TemplateStatus::Enabled,
            created_at: None,
            modified_at: None,
        }
    }

    #[test]
    fn opening_copies_the_template_and_applies_only_the_allowed_overrides() {
        let t = template("T1");
        let overrides = PayModePatch {
            method: PayMethodPatch {
                name: Some("微信".into()),
                pay_url: Some(Some("http://evil/pay".into())),
                ..Default::default()
            },
            ui_order: Some(3),
            is_fast_pay: Some(1),
            ..Default::default()
        };
        let d = t.open(&overrides);
        assert_eq!(
            (d.name.as_str(), d.ui_order, d.is_fast_pay, d.is_opened),
            ("微信", 3, 1, 1)
        );
        assert_eq!(d.pay_url.as_deref(), Some("http://c/pay"));
        assert_eq!(
            (d.order_valid_time, d.is_async_notify, d.pay_channel.as_deref()),
            (2, 1, Some("微信"))
        );
        assert_eq!(d.check_env_url, None, "an empty checkEnvUrl means none");
    }

    #[test]
    fn disabled_templates_and_online_ones_without_pay_url_are_unusable() {
        let mut t = template("T1");
        assert!(t.check_usable().is_ok());
        t.status = TemplateStatus::Disabled;
        assert!(matches!(t.check_usable(), Err(Error::TemplateUnusable(_))));
        let mut t = template("T1");
        t.pay_url = None;
        assert!(matches!(t.check_usable(), Err(Error::TemplateUnusable(_))));
        t.is_online = 0;
        assert!(t.check_usable().is_ok(), "an offline template needs no payUrl");
    }

    #[test]
    fn template_service_json_parses() {
        let v = serde_json::json!({
            "href": "http://t/api/v1.0.0/payModeTemplates/x", "id": 4, "uuid": "x", "payTemplateId": "T1", "name": "n",
            "description": null, "checkEnvUrl": null, "payUrl": null, "refundUrl": null, "queryUrl": null, "iconHref": null,
            "orderValidTime": 24, "isOnline": 0, "isSignAccount": 0, "isAsyncNotify": 0, "isThridPay": 0,
            "payChannel": null, "payWay": null, "status": "enabled", "createdAt": "2026-11-01 10:00:00",
            "modifiedAt": "2026-11-01 10:00:00", "payModes": {"href": "http://t/x/payModes"}
        });
        let t: Template = serde_json::from_value(v).unwrap();
        assert_eq!((t.id, t.is_enabled()), (4, true));
    }
}
