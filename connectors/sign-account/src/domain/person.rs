//! Sign persons (签字人): who may sign for an accounter.

use serde::Deserialize;

use super::fields::{invalid, name, nullable, text};
use crate::error::Error;

pub const NAME_MAX: usize = 64;
pub const MOBILE_MAX: usize = 32;

/// `POST /signAccounters/{uuid}/signPersons` and `PUT .../signPersons/{uuid}` as sent.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(
    as = SignPersonRequest,
    description = "Body of create (name required) and update (the fields given change)."
)]
pub struct PersonRequest {
    /// Required on create; at most 64 characters.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = String, max_length = 64)]
    pub name: Option<Option<String>>,
    /// A phone number (digits, spaces, dashes, an optional leading +), at most 32.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 32)]
    pub mobile: Option<Option<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonData {
    pub name: String,
    pub mobile: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonPatch {
    pub name: Option<String>,
    pub mobile: Option<Option<String>>,
}

/// A phone number: digits with an optional leading `+`, and `-` or spaces between groups.
fn mobile(v: Option<Option<String>>) -> Result<Option<Option<String>>, Error> {
    let v = text("mobile", v, MOBILE_MAX)?;
    if let Some(Some(m)) = &v {
        let digits = m.strip_prefix('+').unwrap_or(m);
        let ok = digits.bytes().any(|b| b.is_ascii_digit())
            && digits.bytes().all(|b| b.is_ascii_digit() || b == b'-' || b == b' ');
        if !ok {
            return Err(invalid("mobile must be a phone number (digits, an optional leading +)"));
        }
    }
    Ok(v)
}

impl PersonRequest {
    pub fn validate_new(self) -> Result<PersonData, Error> {
        let patch = self.validate_patch()?;
        Ok(PersonData {
            name: patch.name.ok_or_else(|| invalid("name is required"))?,
            mobile: patch.mobile.flatten(),
        })
    }

    pub fn validate_patch(self) -> Result<PersonPatch, Error> {
        Ok(PersonPatch {
            name: name("name", self.name, NAME_MAX)?,
            mobile: mobile(self.mobile)?,
        })
    }
}

impl PersonPatch {
    pub fn apply(&self, mut d: PersonData) -> PersonData {
        if let Some(n) = &self.name {
            d.name = n.clone();
        }
        if let Some(m) = &self.mobile {
            d.mobile = m.clone();
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn req(v: serde_json::Value) -> PersonRequest {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn a_person_needs_a_name_and_at_most_a_phone_number() {
        let p = req(json!({"name": "张三", "mobile": "+86 138-0013-8000"}))
            .validate_new()
            .unwrap();
        assert_eq!(p.mobile.as_deref(), Some("+86 138-0013-8000"));
        assert_eq!(req(json!({"name": "李四"})).validate_new().unwrap().mobile, None);
        assert_eq!(
            req(json!({"name": "李四", "mobile": ""}))
                .validate_new()
                .unwrap()
                .mobile,
            None
        );
        for bad in [
            json!({}),
            json!({"name": ""}),
            json!({"name": "x", "mobile": "call me"}),
            json!({"name": "x", "mobile": "+"}),
            json!({"name": "x", "mobile": "1".repeat(33)}),
        ] {
            assert!(req(bad.clone()).validate_new().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_patch_keeps_what_is_left_out() {
        let d = PersonData {
            name: "张三".into(),
            mobile: Some("13800138000".into()),
        };
        let p = req(json!({"name": "张三丰"})).validate_patch().unwrap();
        assert_eq!(p.apply(d.clone()).mobile.as_deref(), Some("13800138000"));
        let p = req(json!({"mobile": null})).validate_patch().unwrap();
        assert_eq!(p.apply(d).mobile, None);
    }
}
