//! A payModeTemplate's writable data and the validation of `registerPayModeTemplate`.

use payserver_shared::fields::{flag, nullable, text, url};
use serde::Deserialize;

use crate::error::Error;

payserver_shared::text_enum! {
    /// A template's status: a disabled template cannot be opened (9003).
    pub enum Status {
        Enabled = "enabled",
        Disabled = "disabled",
    }
}

/// Every writable field of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateData {
    pub pay_template_id: String,
    pub name: String,
    pub description: Option<String>,
    pub check_env_url: Option<String>,
    pub pay_url: Option<String>,
    pub refund_url: Option<String>,
    pub query_url: Option<String>,
    pub icon_href: Option<String>,
    pub order_valid_time: i32,
    pub is_online: i32,
    pub is_sign_account: i32,
    pub is_async_notify: i32,
    pub is_thrid_pay: i32,
    pub pay_channel: Option<String>,
    pub pay_way: Option<String>,
    pub status: Status,
}

impl TemplateData {
    /// A template with the contract's defaults (24 h validity, offline, enabled).
    pub fn new(pay_template_id: &str, name: &str) -> Self {
        Self {
            pay_template_id: pay_template_id.to_string(),
            name: name.to_string(),
            description: None,
            check_env_url: None,
            pay_url: None,
            refund_url: None,
            query_url: None,
            icon_href: None,
            order_valid_time: 24,
            is_online: 0,
            is_sign_account: 0,
            is_async_notify: 0,
            is_thrid_pay: 0,
            pay_channel: None,
            pay_way: None,
            status: Status::Enabled,
        }
    }
}

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
    /// Required on create; at most 64 characters; never null.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = String, max_length = 64)]
    pub name: Option<Option<String>>,
    /// At most 255 characters; empty is null.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 255)]
    pub description: Option<Option<String>>,
    /// Absolute http(s) URL; empty is null.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub check_env_url: Option<Option<String>>,
    /// Absolute http(s) URL; empty is null.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub pay_url: Option<Option<String>>,
    /// Absolute http(s) URL; empty is null.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub refund_url: Option<Option<String>>,
    /// Absolute http(s) URL; empty is null.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub query_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub icon_href: Option<Option<String>>,
    /// Hours, 1-8760 (default 24).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = i64, minimum = 1, maximum = 8760)]
    pub order_valid_time: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = i64, minimum = 0, maximum = 1)]
    pub is_online: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = i64, minimum = 0, maximum = 1)]
    pub is_sign_account: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = i64, minimum = 0, maximum = 1)]
    pub is_async_notify: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = i64, minimum = 0, maximum = 1)]
    pub is_thrid_pay: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub pay_channel: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub pay_way: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(schema_with = crate::api_doc::register_status_schema)]
    pub status: Option<Option<String>>,
}

/// A validated registration: the fields given, each already checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplatePatch {
    pub uuid: Option<String>,
    pub pay_template_id: String,
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub check_env_url: Option<Option<String>>,
    pub pay_url: Option<Option<String>>,
    pub refund_url: Option<Option<String>>,
    pub query_url: Option<Option<String>>,
    pub icon_href: Option<Option<String>>,
    pub order_valid_time: Option<i32>,
    pub is_online: Option<i32>,
    pub is_sign_account: Option<i32>,
    pub is_async_notify: Option<i32>,
    pub is_thrid_pay: Option<i32>,
    pub pay_channel: Option<Option<String>>,
    pub pay_way: Option<Option<String>>,
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
    pub fn validate(self) -> Result<TemplatePatch, Error> {
        let pay_template_id = self
            .pay_template_id
            .map(|s| s.trim().to_string())
            .ok_or_else(|| invalid("payTemplateId is required"))?;
        if !is_pay_template_id(&pay_template_id) {
            return Err(invalid("payTemplateId must be 1-64 characters of [0-9A-Za-z_-]"));
        }
        let uuid = self.uuid.map(|u| u.trim().to_string()).filter(|u| !u.is_empty());
        if let Some(u) = &uuid
            && !payserver_shared::ids::is_uuid(u)
        {
            return Err(invalid("uuid must be 22 characters of [0-9A-Za-z]"));
        }
        let name = match text("name", self.name, 64)? {
            None => None,
            Some(Some(n)) => Some(n),
            Some(None) => return Err(invalid("name cannot be empty")),
        };
        let order_valid_time = match self.order_valid_time {
            None => None,
            Some(Some(h)) if (1..=8760).contains(&h) => Some(h as i32),
            Some(_) => return Err(invalid("orderValidTime must be a whole number of hours from 1 to 8760")),
        };
        let status = match self.status {
            None => None,
            Some(s) => Some(
                s.as_deref()
                    .and_then(Status::parse)
                    .ok_or_else(|| invalid("status must be enabled or disabled"))?,
            ),
        };
        Ok(TemplatePatch {
            uuid,
            pay_template_id,
            name,
            description: text("description", self.description, 255)?,
            check_env_url: url("checkEnvUrl", self.check_env_url)?,
            pay_url: url("payUrl", self.pay_url)?,
            refund_url: url("refundUrl", self.refund_url)?,
            query_url: url("queryUrl", self.query_url)?,
            icon_href: url("iconHref", self.icon_href)?,
            order_valid_time,
            is_online: flag("isOnline", self.is_online)?,
            is_sign_account: flag("isSignAccount", self.is_sign_account)?,
            is_async_notify: flag("isAsyncNotify", self.is_async_notify)?,
            is_thrid_pay: flag("isThridPay", self.is_thrid_pay)?,
            pay_channel: text("payChannel", self.pay_channel, 32)?,
            pay_way: text("payWay", self.pay_way, 32)?,
            status,
        })
    }
}

impl TemplatePatch {
    /// The data of a new template; `name` is required on create.
    pub fn create(&self) -> Result<TemplateData, Error> {
        let name = self
            .name
            .as_deref()
            .ok_or_else(|| invalid("name is required to create a template"))?;
        let mut data = TemplateData::new(&self.pay_template_id, name);
        self.apply(&mut data);
        Ok(data)
    }

    /// Changes the fields given; the others keep their values.
    pub fn apply(&self, d: &mut TemplateData) {
        fn set<T: Clone>(target: &mut T, v: &Option<T>) {
            if let Some(v) = v {
                *target = v.clone();
            }
        }
        if let Some(n) = &self.name {
            d.name = n.clone();
        }
        set(&mut d.description, &self.description);
        set(&mut d.check_env_url, &self.check_env_url);
        set(&mut d.pay_url, &self.pay_url);
        set(&mut d.refund_url, &self.refund_url);
        set(&mut d.query_url, &self.query_url);
        set(&mut d.icon_href, &self.icon_href);
        set(&mut d.order_valid_time, &self.order_valid_time);
        set(&mut d.is_online, &self.is_online);
        set(&mut d.is_sign_account, &self.is_sign_account);
        set(&mut d.is_async_notify, &self.is_async_notify);
        set(&mut d.is_thrid_pay, &self.is_thrid_pay);
        set(&mut d.pay_channel, &self.pay_channel);
        set(&mut d.pay_way, &self.pay_way);
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
