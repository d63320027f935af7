//! A pay mode's writable data and the validation of `POST /payModes` and `PUT /payModes/{uuid}`.

use serde::Deserialize;

use super::connector_urls::{UrlPolicy, keep_template_urls};
use payserver_shared::pay_method::{PayMethod, PayMethodPatch, set};

use super::fields::{flag, int_in, invalid, is_pay_template_id, merchant_of_href, named_merchant, nullable};
use super::template::TemplateStatus;
use crate::error::Error;

payserver_shared::pay_method_struct! {
    /// Every field of a pay mode that is not an identity: the template's fields (copied when the
    /// mode is opened from a template) and the merchant's own settings.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct PayModeData {} with_pay_method {
        pub is_fast_pay: i32,
        pub is_opened: i32,
        pub ui_order: i32,
    }
}

impl PayModeData {
    /// A custom mode with the contract's defaults: 24 h validity, offline, opened, not a fast
    /// pay, `uiOrder` 0.
    pub fn new(name: &str) -> Self {
        let m = PayMethod::new(name);
        payserver_shared::pay_method_moved!(m => Self {
            is_fast_pay: 0,
            is_opened: 1,
            ui_order: 0,
        })
    }

    /// An online mode must say where to pay.
    pub fn check_payable(&self) -> Result<(), Error> {
        if self.is_online == 1 && self.pay_url.is_none() {
            return Err(invalid("an online pay mode (isOnline 1) needs a payUrl"));
        }
        Ok(())
    }

    /// Whether the mode may take a pay now: opened, payable, and, when it was opened from a
    /// template, that template enabled now (`template_status` as template-service has it;
    /// `None` for a custom mode).
    pub fn usable(&self, template_status: Option<TemplateStatus>) -> bool {
        self.is_opened == 1
            && self.check_payable().is_ok()
            && template_status.is_none_or(|s| s == TemplateStatus::Enabled)
    }
}

payserver_shared::pay_method_body! {
    /// The body of `POST /payModes` and `PUT /payModes/{uuid}` as sent. Unknown fields are
    /// ignored; wrong types are rejected by the JSON extractor (400).
    #[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
    #[serde(rename_all = "camelCase")]
    #[schema(
        description = "Body of `POST /payModes` and `PUT /payModes/{uuid}`. A mode opened from a template may only set `name, description, iconHref, orderValidTime, uiOrder, isOpened, isFastPay` itself. On update the fields given change, the others stay."
    )]
    pub struct PayModeRequest {
        /// The merchant to act for; default the token's. Another merchant's is a 403 unless admin.
        #[serde(rename = "merchantUUID", default, deserialize_with = "nullable")]
        #[schema(value_type = String)]
        pub merchant_uuid: Option<Option<String>>,
        /// The merchant's link (its last segment is the merchant's uuid); stored as `merchant.href`.
        #[serde(default, deserialize_with = "nullable")]
        #[schema(value_type = String)]
        pub merchant_href: Option<Option<String>>,
        /// Create: open from this template (its fields are copied). Absent: a custom mode. Update: may be repeated, never changed.
        #[serde(default, deserialize_with = "nullable")]
        #[schema(value_type = Option<String>)]
        pub pay_template_id: Option<Option<String>>,
    } with_pay_method {
        /// Required for a custom mode; at most 64 characters.
        name,
        description,
        /// Custom modes only.
        check_env_url,
        /// Custom modes only; an online mode needs one (400).
        pay_url,
        /// Custom modes only.
        refund_url,
        /// Custom modes only.
        query_url,
        icon_href,
        /// Hours, 1-8760.
        order_valid_time,
        /// Custom modes only.
        is_online,
        /// Custom modes only.
        is_sign_account,
        /// Custom modes only.
        is_async_notify,
        /// Custom modes only.
        is_thrid_pay,
        /// Custom modes only.
        pay_channel,
        /// Custom modes only.
        pay_way,
    } {
        #[serde(default, deserialize_with = "nullable")]
        #[schema(value_type = i64, minimum = 0, maximum = 1)]
        pub is_fast_pay: Option<Option<i64>>,
        /// Default 1.
        #[serde(default, deserialize_with = "nullable")]
        #[schema(value_type = i64, minimum = 0, maximum = 1)]
        pub is_opened: Option<Option<i64>>,
        #[serde(default, deserialize_with = "nullable")]
        #[schema(value_type = i32)]
        pub ui_order: Option<Option<i64>>,
    }
}

/// Validated writable fields: the pay method's, and the merchant's own settings. `None`
/// leaves a field as it is, `Some(None)` clears it. The method's fields read as its own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PayModePatch {
    pub method: PayMethodPatch,
    pub is_fast_pay: Option<i32>,
    pub is_opened: Option<i32>,
    pub ui_order: Option<i32>,
}

impl std::ops::Deref for PayModePatch {
    type Target = PayMethodPatch;

    fn deref(&self) -> &PayMethodPatch {
        &self.method
    }
}

/// A validated `POST /payModes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPayMode {
    /// The merchant the body names (`merchantUUID` or `merchantHref`), if any.
    pub named_merchant: Option<String>,
    /// The `merchantHref` given, kept as the mode's `merchant.href`.
    pub merchant_href: Option<String>,
    pub kind: NewKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewKind {
    /// Opened from a template: its fields are copied, then the body's overrides applied (only
    /// `name, description, iconHref, orderValidTime, uiOrder, isOpened, isFastPay`; other
    /// template fields in the body are ignored, except connector URLs, which must not differ
    /// from the template's: see [`keep_template_urls`]).
    FromTemplate {
        pay_template_id: String,
        overrides: PayModePatch,
    },
    /// Fully custom.
    Custom(PayModeData),
}

/// A validated `PUT /payModes/{uuid}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Update {
    /// `payTemplateId` as given (`Some(None)` for null or empty); it must not differ.
    pub pay_template_id: Option<Option<String>>,
    /// The merchant named by `merchantUUID`/`merchantHref`; it must be the owner.
    pub named_merchant: Option<String>,
    /// A new `merchant.href` (naming the same merchant), or `Some(None)` to clear it.
    pub merchant_href: Option<Option<String>>,
    pub patch: PayModePatch,
}

fn trimmed_id(v: Option<Option<String>>) -> Result<Option<Option<String>>, Error> {
    let v = v.map(|o| o.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()));
    if let Some(Some(id)) = &v
        && !is_pay_template_id(id)
    {
        return Err(invalid("payTemplateId must be 1-64 characters of [0-9A-Za-z_-]"));
    }
    Ok(v)
}

impl PayModeRequest {
    /// The writable fields, each checked.
    fn patch(self) -> Result<PayModePatch, Error> {
        let (is_fast_pay, is_opened, ui_order) = (self.is_fast_pay, self.is_opened, self.ui_order);
        Ok(PayModePatch {
            method: payserver_shared::pay_method_patch!(self),
            is_fast_pay: flag("isFastPay", is_fast_pay)?,
            is_opened: flag("isOpened", is_opened)?,
            ui_order: int_in(
                "uiOrder",
                ui_order,
                i32::MIN.into(),
                i32::MAX.into(),
                "an integer in the 32-bit range",
            )?,
        })
    }

    fn merchant_fields(&mut self) -> Result<(Option<String>, Option<Option<String>>), Error> {
        let uuid = self.merchant_uuid.take().flatten();
        let href = self
            .merchant_href
            .take()
            .map(|h| h.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()));
        let named = named_merchant(uuid.as_deref(), href.as_ref().and_then(|h| h.as_deref()))?;
        Ok((named, href))
    }

    /// Validates a create: with `payTemplateId` (non-empty) the mode is opened from that
    /// template, else it is custom and `name` is required.
    pub fn into_new(mut self) -> Result<NewPayMode, Error> {
        let (named_merchant, merchant_href) = self.merchant_fields()?;
        let pay_template_id = trimmed_id(self.pay_template_id.take())?.flatten();
        let patch = self.patch()?;
        let kind = match pay_template_id {
            Some(pay_template_id) => NewKind::FromTemplate {
                pay_template_id,
                overrides: patch,
            },
            None => {
                let name = patch
                    .name
                    .as_deref()
                    .ok_or_else(|| invalid("name is required for a pay mode without payTemplateId"))?;
                let mut data = PayModeData::new(name);
                patch.apply(&mut data);
                data.check_payable()?;
                NewKind::Custom(data)
            }
        };
        Ok(NewPayMode {
            named_merchant,
            merchant_href: merchant_href.flatten(),
            kind,
        })
    }

    /// Validates an update: the fields given change; identities may be repeated, not changed.
    pub fn into_update(mut self) -> Result<Update, Error> {
        let (named_merchant, merchant_href) = self.merchant_fields()?;
        let pay_template_id = trimmed_id(self.pay_template_id.take())?;
        Ok(Update {
            pay_template_id,
            named_merchant,
            merchant_href,
            patch: self.patch()?,
        })
    }
}

impl PayModePatch {
    /// Only the fields a mode opened from a template may set itself.
    pub fn template_overrides(&self) -> PayModePatch {
        PayModePatch {
            method: PayMethodPatch {
                name: self.name.clone(),
                description: self.description.clone(),
                icon_href: self.icon_href.clone(),
                order_valid_time: self.order_valid_time,
                ..PayMethodPatch::default()
            },
            ui_order: self.ui_order,
            is_opened: self.is_opened,
            is_fast_pay: self.is_fast_pay,
        }
    }

    /// Changes the fields given; the others keep their values.
    pub fn apply(&self, d: &mut PayModeData) {
        self.method.apply(d);
        set(&mut d.is_fast_pay, &self.is_fast_pay);
        set(&mut d.is_opened, &self.is_opened);
        set(&mut d.ui_order, &self.ui_order);
    }
}

impl Update {
    /// The mode's new data and `merchant.href`, or a 400 when the update tries to move the
    /// mode to another template or merchant, to change a template-based mode's connector URLs,
    /// to set a custom mode's URL outside the allowed prefixes, or leaves an online mode
    /// without a payUrl.
    pub fn apply_to(
        &self,
        data: &PayModeData,
        merchant_uuid: &str,
        merchant_href: Option<&str>,
        pay_template_id: Option<&str>,
        urls: &UrlPolicy,
    ) -> Result<(PayModeData, Option<String>), Error> {
        if let Some(given) = &self.pay_template_id
            && given.as_deref() != pay_template_id
        {
            return Err(invalid("payTemplateId of a pay mode cannot change"));
        }
        if self.named_merchant.as_deref().is_some_and(|m| m != merchant_uuid) {
            return Err(invalid("merchantUUID of a pay mode cannot change"));
        }
        let href = match &self.merchant_href {
            None => merchant_href.map(str::to_string),
            Some(h) => {
                if let Some(h) = h
                    && merchant_of_href(h)? != merchant_uuid
                {
                    return Err(invalid("merchantHref must name the pay mode's merchant"));
                }
                h.clone()
            }
        };
        if pay_template_id.is_some() {
            keep_template_urls(&self.patch, data)?;
        } else {
            urls.check_given(&self.patch)?;
        }
        let mut next = data.clone();
        self.patch.apply(&mut next);
        next.check_payable()?;
        Ok((next, href))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(v: serde_json::Value) -> PayModeRequest {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn the_seed_create_body_opens_from_its_template_with_overrides() {
        let new = request(json!({
            "merchantHref": "http://192.168.7.188:6004/api/v1.0.0/merchants/eLzwsgnlWpZN8xtvz0qgvw",
            "payTemplateId": "4CE44A21-68DA-4ADA-B7EE-371187327F75", "isOpened": 1, "uiOrder": 3, "isFastPay": 1,
            "payUrl": "http://ignored/for/templates"
        }))
        .into_new()
        .unwrap();
        assert_eq!(new.named_merchant.as_deref(), Some("eLzwsgnlWpZN8xtvz0qgvw"));
        assert!(
            new.merchant_href
                .as_deref()
                .unwrap()
                .ends_with("/merchants/eLzwsgnlWpZN8xtvz0qgvw")
        );
        let NewKind::FromTemplate {
            pay_template_id,
            overrides,
        } = new.kind
        else {
            panic!("template mode expected")
        };
        assert_eq!(pay_template_id, "4CE44A21-68DA-4ADA-B7EE-371187327F75");
        assert_eq!(
            (overrides.ui_order, overrides.is_fast_pay, overrides.is_opened),
            (Some(3), Some(1), Some(1))
        );
        assert_eq!(
            overrides.template_overrides().pay_url,
            None,
            "template-owned fields are not overridable"
        );
    }

    #[test]
    fn a_custom_mode_gets_the_defaults_and_needs_a_name() {
        let new = request(json!({"name": " 代金券 ", "payTemplateId": ""}))
            .into_new()
            .unwrap();
        let NewKind::Custom(d) = new.kind else {
            panic!("custom mode expected")
        };
        assert_eq!(
            (
                d.name.as_str(),
                d.is_opened,
                d.is_fast_pay,
                d.ui_order,
                d.order_valid_time
            ),
            ("代金券", 1, 0, 0, 24)
        );
        assert!(request(json!({"description": "no name"})).into_new().is_err());
        assert!(request(json!({"name": "x", "payTemplateId": null})).into_new().is_ok());
    }

    #[test]
    fn a_custom_online_mode_without_pay_url_is_refused() {
        assert!(request(json!({"name": "x", "isOnline": 1})).into_new().is_err());
        assert!(
            request(json!({"name": "x", "isOnline": 1, "payUrl": ""}))
                .into_new()
                .is_err()
        );
        assert!(
            request(json!({"name": "x", "isOnline": 1, "payUrl": "https://c/pay"}))
                .into_new()
                .is_ok()
        );
    }

    #[test]
    fn invalid_fields_are_refused() {
        for bad in [
            json!({"name": "x", "isOpened": 2}),
            json!({"name": "x", "isFastPay": null}),
            json!({"name": "x", "orderValidTime": 8761}),
            json!({"name": "x", "uiOrder": 2147483648i64}),
            json!({"name": "x", "refundUrl": "ftp://x"}),
            json!({"name": "x".repeat(65)}),
            json!({"name": "x", "payChannel": "c".repeat(33)}),
            json!({"name": "x", "payTemplateId": "a b"}),
            json!({"name": "x", "merchantUUID": "m1", "merchantHref": "http://h/merchants/m2"}),
            json!({"name": ""}),
        ] {
            assert!(request(bad.clone()).into_new().is_err(), "{bad}");
        }
    }

    #[test]
    fn an_update_changes_what_is_given_and_clears_explicit_nulls() {
        let mut d = PayModeData::new("old");
        d.description = Some("keep?".into());
        d.icon_href = Some("http://i/x.png".into());
        let u = request(json!({"description": null, "uiOrder": -5, "isOpened": 0}))
            .into_update()
            .unwrap();
        let (next, href) = u
            .apply_to(&d, "m1", Some("http://h/m1"), None, &UrlPolicy::default())
            .unwrap();
        assert_eq!((next.description, next.ui_order, next.is_opened), (None, -5, 0));
        assert_eq!(
            (next.name.as_str(), next.icon_href.as_deref()),
            ("old", Some("http://i/x.png"))
        );
        assert_eq!(href.as_deref(), Some("http://h/m1"));
    }

    #[test]
    fn an_update_cannot_move_a_mode_or_break_it() {
        let d = PayModeData::new("m");
        let apply = |v: serde_json::Value| {
            request(v)
                .into_update()
                .unwrap()
                .apply_to(&d, "m1", None, Some("T1"), &UrlPolicy::default())
        };
        assert!(apply(json!({"payTemplateId": "T1", "merchantUUID": "m1"})).is_ok());
        assert!(apply(json!({"payTemplateId": "T2"})).is_err());
        assert!(apply(json!({"payTemplateId": null})).is_err());
        assert!(apply(json!({"merchantUUID": "m2"})).is_err());
        assert!(apply(json!({"merchantHref": "http://h/shops/m2"})).is_err());
        assert_eq!(
            apply(json!({"merchantHref": "http://h/shops/m1"}))
                .unwrap()
                .1
                .as_deref(),
            Some("http://h/shops/m1")
        );
        assert!(apply(json!({"isOnline": 1})).is_err(), "online without payUrl");
        assert!(request(json!({"name": null})).into_update().is_err());
    }

    #[test]
    fn a_mode_is_usable_when_opened_and_its_template_is_enabled_now() {
        let mut d = PayModeData::new("m");
        assert!(d.usable(None), "custom");
        assert!(d.usable(Some(TemplateStatus::Enabled)));
        assert!(!d.usable(Some(TemplateStatus::Disabled)));
        assert!(!d.usable(Some(TemplateStatus::Missing)));
        d.is_opened = 0;
        assert!(!d.usable(None));
    }

    #[test]
    fn a_template_based_mode_keeps_its_urls_and_a_custom_one_stays_under_the_prefixes() {
        let mut d = PayModeData::new("m");
        d.pay_url = Some("http://127.0.0.1:6203/connector/pay".into());
        let urls = UrlPolicy::new(vec!["http://127.0.0.1:6203/".into()]);
        let apply = |v: serde_json::Value, template: Option<&str>| {
            request(v)
                .into_update()
                .unwrap()
                .apply_to(&d, "m1", None, template, &urls)
        };
        assert!(apply(json!({"payUrl": "http://127.0.0.1:6203/connector/pay"}), Some("T1")).is_ok());
        assert!(apply(json!({"payUrl": "http://127.0.0.1:6203/other"}), Some("T1")).is_err());
        assert!(apply(json!({"checkEnvUrl": "http://127.0.0.1:6203/x"}), Some("T1")).is_err());
        assert!(apply(json!({"refundUrl": "http://127.0.0.1:6203/refund"}), None).is_ok());
        assert!(apply(json!({"queryUrl": "http://169.254.169.254/"}), None).is_err());
        assert!(apply(json!({"name": "only the name"}), None).is_ok());
    }
}
