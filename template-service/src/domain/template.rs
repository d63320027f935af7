//! A payModeTemplate's writable data and the validation of `registerPayModeTemplate`.

use payserver_shared::fields::nullable;
use payserver_shared::pay_method::{PayMethod, PayMethodPatch, set};
use serde::Deserialize;

use crate::error::Error;

payserver_shared::text_enum! {
    /// A template's status: a disabled template cannot be opened (9003).
    pub enum Status {
        Enabled = "enabled",
        Disabled = "disabled",
    }
}

payserver_shared::pay_method_struct! {
    /// Every writable field of a template: its id, the pay method it defines, and its status.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct TemplateData {
        pub pay_template_id: String,
    } with_pay_method {
        pub status: Status,
    }
}

impl TemplateData {
    /// A template with the contract's defaults (24 h validity, offline, enabled).
    pub fn new(pay_template_id: &str, name: &str) -> Self {
        let m = PayMethod::new(name);
        payserver_shared::pay_method_moved!(m => Self {
            pay_template_id: pay_template_id.to_string(),
            status: Status::Enabled,
        })
    }
}

payserver_shared::pay_method_body! {
    /// The `registerPayModeTemplate` body as sent. Unknown fields are ignored; wrong types are
    /// rejected by the JSON extractor (400). Its schema is `RegisterPayModeTemplateRequest`.
    #[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
    #[serde(rename_all = "camelCase")]
    #[schema(
        as = RegisterPayModeTemplateRequest,
        description = "Creates the template, or updates the one with the same `payTemplateId`. On update, fields left out keep their values and an explicit null clears a nullable field. Unknown fields are ignored."
    )]
    pub struct RegisterRequest {
        /// Optional on create (22 of [0-9A-Za-z], must be unused); cannot change on update.
        #[schema(value_type = String, required = false, pattern = "^[0-9A-Za-z]{22}$", example = "irAl37TewwGEchYrXUWsfA")]
        pub uuid: Option<String>,
        /// Required; the upsert key. 1-64 of [0-9A-Za-z_-].
        #[schema(value_type = String, required = true, pattern = "^[0-9A-Za-z_-]{1,64}$")]
        pub pay_template_id: Option<String>,
    } with_pay_method {
        /// Required on create; at most 64 characters; never null.
        name,
        /// At most 255 characters; empty is null.
        #[schema(max_length = 255)]
        description,
        /// Absolute http(s) URL; empty is null.
        check_env_url,
        /// Absolute http(s) URL; empty is null.
        pay_url,
        /// Absolute http(s) URL; empty is null.
        refund_url,
        /// Absolute http(s) URL; empty is null.
        query_url,
        icon_href,
        /// Hours, 1-8760 (default 24).
        order_valid_time,
        is_online,
        is_sign_account,
        is_async_notify,
        is_thrid_pay,
        pay_channel,
        pay_way,
    } {
        #[serde(default, deserialize_with = "nullable")]
        #[schema(schema_with = crate::api_doc::register_status_schema)]
        pub status: Option<Option<String>>,
    }
}

/// A validated registration: the fields given, each already checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplatePatch {
    pub uuid: Option<String>,
    pub pay_template_id: String,
    pub method: PayMethodPatch,
    pub status: Option<Status>,
}

fn invalid(msg: impl Into<String>) -> Error {
    Error::Invalid(msg.into())
}

/// `payTemplateId`: 1-64 of `[0-9A-Za-z_-]` (the seed uses upper-case GUIDs).
pub fn is_pay_template_id(s: &str) -> bool {
    (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl RegisterRequest {
    pub fn validate(mut self) -> Result<TemplatePatch, Error> {
        let pay_template_id = self
            .pay_template_id
            .take()
            .map(|s| s.trim().to_string())
            .ok_or_else(|| invalid("payTemplateId is required"))?;
        if !is_pay_template_id(&pay_template_id) {
            return Err(invalid("payTemplateId must be 1-64 characters of [0-9A-Za-z_-]"));
        }
        let uuid = self.uuid.take().map(|u| u.trim().to_string()).filter(|u| !u.is_empty());
        if let Some(u) = &uuid
            && !payserver_shared::ids::is_uuid(u)
        {
            return Err(invalid("uuid must be 22 characters of [0-9A-Za-z]"));
        }
        let status = match self.status.take() {
            None => None,
            Some(s) => Some(
                s.as_deref()
                    .and_then(Status::parse)
                    .ok_or_else(|| invalid("status must be enabled or disabled"))?,
            ),
        };
        let method = payserver_shared::pay_method_patch!(self);
        Ok(TemplatePatch {
            uuid,
            pay_template_id,
            method,
            status,
        })
    }
}

impl TemplatePatch {
    /// The data of a new template; `name` is required on create.
    pub fn create(&self) -> Result<TemplateData, Error> {
        let name = self
            .method
            .name
            .as_deref()
            .ok_or_else(|| invalid("name is required to create a template"))?;
        let mut data = TemplateData::new(&self.pay_template_id, name);
        self.apply(&mut data);
        Ok(data)
    }

    /// Changes the fields given; the others keep their values.
    pub fn apply(&self, d: &mut TemplateData) {
        self.method.apply(d);
        set(&mut d.status, &self.status);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(json: serde_json::Value) -> Result<TemplatePatch, Error> {
        serde_json::from_value::<RegisterRequest>(json).unwrap().validate()
    }

    #[test]
    fn seed_example_validates_and_empty_urls_become_null() {
        let p = req(serde_json::json!({
            "uuid": "rDdNnmkt97nSCiooVgJlvw", "payTemplateId": "017AFC80-95FA-11E8-B0EC-5384BC9767FE",
            "name": "微信扫码枪", "description": "微信支付xx", "checkEnvUrl": "", "payUrl": "", "refundUrl": "",
            "isSignAccount": 0, "isOnline": 1, "isAsyncNotify": 0, "payChannel": "微信", "payWay": "扫码枪", "isThridPay": 1
        }))
        .unwrap();
        let d = p.create().unwrap();
        assert_eq!(d.pay_url, None);
        assert_eq!(d.is_online, 1);
        assert_eq!(d.order_valid_time, 24);
        assert_eq!(d.pay_channel.as_deref(), Some("微信"));
    }

    #[test]
    fn invalid_fields_are_rejected() {
        for bad in [
            serde_json::json!({"name": "x"}),
            serde_json::json!({"payTemplateId": "a b", "name": "x"}),
            serde_json::json!({"payTemplateId": "T1", "isOnline": 2}),
            serde_json::json!({"payTemplateId": "T1", "orderValidTime": 0}),
            serde_json::json!({"payTemplateId": "T1", "payUrl": "ftp://x"}),
            serde_json::json!({"payTemplateId": "T1", "status": "gone"}),
            serde_json::json!({"payTemplateId": "T1", "uuid": "short"}),
            serde_json::json!({"payTemplateId": "T1", "name": null}),
        ] {
            assert!(req(bad.clone()).is_err(), "{bad}");
        }
    }

    #[test]
    fn create_needs_a_name_and_update_keeps_what_is_left_out() {
        let p = req(serde_json::json!({"payTemplateId": "T1", "isOnline": 1})).unwrap();
        assert!(p.create().is_err());
        let mut d = TemplateData::new("T1", "old");
        d.description = Some("keep".into());
        d.pay_url = Some("http://x/pay".into());
        let p = req(serde_json::json!({"payTemplateId": "T1", "payUrl": null, "status": "disabled"})).unwrap();
        p.apply(&mut d);
        assert_eq!(
            (d.name.as_str(), d.description.as_deref(), d.pay_url, d.status),
            ("old", Some("keep"), None, Status::Disabled)
        );
    }
}
