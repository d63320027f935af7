//! Sign accounters (挂账单位): creation and update requests, and the credit-limit rule.

use connector_contract::shared::amount::Amount;
use serde::Deserialize;

use super::fields::{invalid, name, named_merchant, nullable, text};
use crate::error::Error;

/// The largest credit limit, in fen (API.md A.1's largest amount; a limit may also be 0).
pub const MAX_CREDIT_LIMIT: i64 = Amount::MAX;

pub const NAME_MAX: usize = 64;
pub const DESCRIPTION_MAX: usize = 255;

/// An accounter's status: a disabled one cannot be charged.
pub use connector_contract::shared::enabled::EnabledStatus as Status;

fn credit_limit(v: Option<Option<i64>>) -> Result<Option<i64>, Error> {
    match v {
        None => Ok(None),
        Some(Some(n)) if (0..=MAX_CREDIT_LIMIT).contains(&n) => Ok(Some(n)),
        Some(_) => Err(invalid(format!(
            "creditLimit must be a whole number of fen from 0 to {MAX_CREDIT_LIMIT}"
        ))),
    }
}

/// `POST /signAccounters` as sent. Unknown fields are ignored; wrong types are a 400 from the
/// JSON extractor.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = SignAccounterCreate)]
pub struct CreateAccounter {
    /// At most 64 characters.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = String, required = true, max_length = 64)]
    pub name: Option<Option<String>>,
    /// Fen, 0 to 10^12.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = i64, required = true, minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub credit_limit: Option<Option<i64>>,
    /// At most 255 characters.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 255)]
    pub description: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(schema_with = crate::api_doc::create_status_schema)]
    pub status: Option<Option<String>>,
    /// Admins and services: the merchant to create it for; default the token's.
    #[serde(rename = "merchantUUID")]
    #[schema(value_type = String, required = false)]
    pub merchant_uuid: Option<String>,
    #[schema(value_type = String, required = false)]
    pub merchant_href: Option<String>,
}

/// A validated new accounter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccounter {
    pub name: String,
    pub description: Option<String>,
    pub credit_limit: i64,
    pub status: Status,
    /// The merchant the body names, if any (admins act for any merchant).
    pub named_merchant: Option<String>,
}

impl CreateAccounter {
    pub fn validate(self) -> Result<NewAccounter, Error> {
        let name = name("name", self.name, NAME_MAX)?.ok_or_else(|| invalid("name is required"))?;
        let credit_limit = credit_limit(self.credit_limit)?.ok_or_else(|| invalid("creditLimit is required"))?;
        Ok(NewAccounter {
            name,
            description: text("description", self.description, DESCRIPTION_MAX)?.flatten(),
            credit_limit,
            status: Status::field(self.status)?.unwrap_or(Status::Enabled),
            named_merchant: named_merchant(self.merchant_uuid.as_deref(), self.merchant_href.as_deref())?,
        })
    }
}

/// `PUT /signAccounters/{uuid}` as sent: the fields given change, the others stay.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = SignAccounterUpdate, description = "The fields given change, the others stay.")]
pub struct UpdateAccounter {
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = String, max_length = 64)]
    pub name: Option<Option<String>>,
    /// Fen, 0 to 10^12; below the used credit is a 409.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = i64, minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub credit_limit: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 255)]
    pub description: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(schema_with = crate::api_doc::status_schema)]
    pub status: Option<Option<String>>,
}

/// A validated update.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccounterPatch {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub credit_limit: Option<i64>,
    pub status: Option<Status>,
}

impl UpdateAccounter {
    pub fn validate(self) -> Result<AccounterPatch, Error> {
        Ok(AccounterPatch {
            name: name("name", self.name, NAME_MAX)?,
            description: text("description", self.description, DESCRIPTION_MAX)?,
            credit_limit: credit_limit(self.credit_limit)?,
            status: Status::field(self.status)?,
        })
    }
}

/// The writable state of an accounter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccounterData {
    pub name: String,
    pub description: Option<String>,
    pub credit_limit: i64,
    pub status: Status,
}

impl AccounterPatch {
    /// The accounter after the patch. A credit limit below what is already used is refused
    /// (409): the used credit can only come down through refunds.
    pub fn apply(&self, mut d: AccounterData, used_credit: i64) -> Result<AccounterData, Error> {
        if let Some(n) = &self.name {
            d.name = n.clone();
        }
        if let Some(desc) = &self.description {
            d.description = desc.clone();
        }
        if let Some(s) = self.status {
            d.status = s;
        }
        if let Some(limit) = self.credit_limit {
            check_limit(limit, used_credit)?;
            d.credit_limit = limit;
        }
        Ok(d)
    }
}

/// A credit limit must cover the credit already used.
pub fn check_limit(limit: i64, used_credit: i64) -> Result<(), Error> {
    if limit < used_credit {
        return Err(Error::Conflict(format!(
            "creditLimit {limit} is below the credit already used ({used_credit} fen); refund charges first"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn create(v: serde_json::Value) -> Result<NewAccounter, Error> {
        serde_json::from_value::<CreateAccounter>(v).unwrap().validate()
    }

    #[test]
    fn a_new_accounter_needs_a_name_and_a_credit_limit_in_range() {
        let a = create(json!({"name": " 甲公司 ", "creditLimit": 100000, "description": ""})).unwrap();
        assert_eq!(
            (a.name.as_str(), a.credit_limit, a.description, a.status),
            ("甲公司", 100000, None, Status::Enabled)
        );
        assert_eq!(create(json!({"name": "x", "creditLimit": 0})).unwrap().credit_limit, 0);
        assert!(create(json!({"name": "x", "creditLimit": MAX_CREDIT_LIMIT})).is_ok());
        for bad in [
            json!({"creditLimit": 1}),
            json!({"name": "", "creditLimit": 1}),
            json!({"name": null, "creditLimit": 1}),
            json!({"name": "x"}),
            json!({"name": "x", "creditLimit": null}),
            json!({"name": "x", "creditLimit": -1}),
            json!({"name": "x", "creditLimit": MAX_CREDIT_LIMIT + 1}),
            json!({"name": "x", "creditLimit": 1, "status": "frozen"}),
            json!({"name": "x".repeat(65), "creditLimit": 1}),
            json!({"name": "x", "creditLimit": 1, "merchantUUID": "a b"}),
        ] {
            assert!(matches!(create(bad.clone()), Err(Error::Invalid(_))), "{bad}");
        }
    }

    #[test]
    fn wrong_types_do_not_deserialize() {
        for bad in [
            json!({"name": "x", "creditLimit": "100"}),
            json!({"name": "x", "creditLimit": 1.5}),
            json!({"name": 5, "creditLimit": 1}),
        ] {
            assert!(serde_json::from_value::<CreateAccounter>(bad.clone()).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_update_changes_what_is_given_and_keeps_the_limit_above_the_used_credit() {
        let d = AccounterData {
            name: "old".into(),
            description: Some("keep".into()),
            credit_limit: 1000,
            status: Status::Enabled,
        };
        let patch = serde_json::from_value::<UpdateAccounter>(json!({"status": "disabled", "creditLimit": 600}))
            .unwrap()
            .validate()
            .unwrap();
        let after = patch.apply(d.clone(), 600).unwrap();
        assert_eq!(
            (
                after.name.as_str(),
                after.description.as_deref(),
                after.credit_limit,
                after.status
            ),
            ("old", Some("keep"), 600, Status::Disabled)
        );
        assert!(matches!(patch.apply(d.clone(), 601), Err(Error::Conflict(_))));
        let clear = serde_json::from_value::<UpdateAccounter>(json!({"description": null}))
            .unwrap()
            .validate()
            .unwrap();
        assert_eq!(
            clear.apply(d, 5000).unwrap().description,
            None,
            "no limit change, no check"
        );
        for bad in [
            json!({"name": null}),
            json!({"creditLimit": null}),
            json!({"creditLimit": -5}),
            json!({"status": null}),
        ] {
            let r = serde_json::from_value::<UpdateAccounter>(bad.clone())
                .unwrap()
                .validate();
            assert!(r.is_err(), "{bad}");
        }
    }
}
