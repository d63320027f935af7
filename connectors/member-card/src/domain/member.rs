//! A member's writable data and the validation of `POST /members`, `PUT /members/{uuid}`,
//! `POST /members/{uuid}/recharge` and `POST /members/{uuid}/counts`.

use connector_contract::shared::amount::Amount;
use serde::Deserialize;

use super::counts::CountItem;
use super::fields::{invalid, mobile, name, named_merchant, nullable, required_token, text, token};
use crate::error::Error;

/// A balance never grows past this (10^15 fen): far beyond any real card, far below overflow.
pub const MAX_BALANCE: i64 = 1_000_000_000_000_000;
/// Counts added or used by one item of one request.
pub const MAX_COUNT: i32 = 1_000_000;
/// What a count item may hold at most.
pub const MAX_REMAINING: i32 = 1_000_000_000;

pub const NAME_MAX: usize = 64;

/// A member's status: a disabled member cannot pay, recharge or take counts.
pub use connector_contract::shared::enabled::EnabledStatus as Status;

/// A member's `status` is read trimmed.
fn status(v: Option<Option<String>>) -> Result<Option<Status>, Error> {
    Ok(Status::field(v.map(|s| s.map(|s| s.trim().to_string())))?)
}

/// A body that may name the merchant to act for (admins and services): `merchantUUID` and
/// `merchantHref` first, then the body's own fields; and its `named_merchant`.
macro_rules! merchant_body {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(#[$uuid_meta:meta])*
            merchant_uuid;
            $($fields:tt)*
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $(#[$uuid_meta])*
            #[serde(rename = "merchantUUID", default, deserialize_with = "nullable")]
            #[schema(value_type = Option<String>)]
            pub merchant_uuid: Option<Option<String>>,
            #[serde(default, deserialize_with = "nullable")]
            #[schema(value_type = Option<String>)]
            pub merchant_href: Option<Option<String>>,
            $($fields)*
        }

        impl $name {
            pub fn named_merchant(&self) -> Result<Option<String>, Error> {
                body_merchant(&self.merchant_uuid, &self.merchant_href)
            }
        }
    };
}

merchant_body! {
    /// The body of `POST /members` and `PUT /members/{uuid}` as sent. Unknown fields (and the
    /// read-only ones: balance, counts) are ignored; wrong types are a 400 of the JSON extractor.
    #[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
    #[serde(rename_all = "camelCase")]
    #[schema(
        description = "Body of `POST /members` (name required) and `PUT /members/{uuid}` (the fields given change). `balance` and `counts` are read-only and ignored."
    )]
    pub struct MemberRequest {
        /// Admins and services: the merchant to act for.
        merchant_uuid;
        /// Required on create; at most 64 characters.
        #[serde(default, deserialize_with = "nullable")]
        #[schema(value_type = String, max_length = 64)]
        pub name: Option<Option<String>>,
        #[serde(default, deserialize_with = "nullable")]
        #[schema(value_type = Option<String>)]
        pub mobile: Option<Option<String>>,
        /// Unique per merchant (409).
        #[serde(default, deserialize_with = "nullable")]
        #[schema(value_type = Option<String>)]
        pub card_no: Option<Option<String>>,
        #[serde(default, deserialize_with = "nullable")]
        #[schema(schema_with = crate::api_doc::status_schema)]
        pub status: Option<Option<String>>,
    }
}

/// The changes of a `PUT`: `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberPatch {
    pub name: Option<String>,
    pub mobile: Option<Option<String>>,
    pub card_no: Option<Option<String>>,
    pub status: Option<Status>,
}

/// A member to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMember {
    pub name: String,
    pub mobile: Option<String>,
    pub card_no: Option<String>,
    pub status: Status,
}

/// The merchant named in a body (`merchantUUID`/`merchantHref`).
pub fn body_merchant(uuid: &Option<Option<String>>, href: &Option<Option<String>>) -> Result<Option<String>, Error> {
    Ok(named_merchant(
        uuid.clone().flatten().as_deref(),
        href.clone().flatten().as_deref(),
    )?)
}

impl MemberRequest {
    fn patch(self) -> Result<MemberPatch, Error> {
        Ok(MemberPatch {
            name: name("name", self.name, NAME_MAX)?,
            mobile: mobile(self.mobile)?,
            card_no: token("cardNo", self.card_no)?,
            status: status(self.status)?,
        })
    }

    /// `name` is required; `mobile`, `cardNo` optional; a new member is enabled unless told.
    pub fn into_new(self) -> Result<NewMember, Error> {
        let p = self.patch()?;
        Ok(NewMember {
            name: p.name.ok_or_else(|| invalid("name is required"))?,
            mobile: p.mobile.flatten(),
            card_no: p.card_no.flatten(),
            status: p.status.unwrap_or(Status::Enabled),
        })
    }

    pub fn into_patch(self) -> Result<MemberPatch, Error> {
        self.patch()
    }
}

/// A member's editable fields as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberFields {
    pub name: String,
    pub mobile: Option<String>,
    pub card_no: Option<String>,
    pub status: Status,
}

impl MemberPatch {
    /// The fields after the patch.
    pub fn apply_to(&self, f: &MemberFields) -> MemberFields {
        MemberFields {
            name: self.name.clone().unwrap_or_else(|| f.name.clone()),
            mobile: self.mobile.clone().unwrap_or_else(|| f.mobile.clone()),
            card_no: self.card_no.clone().unwrap_or_else(|| f.card_no.clone()),
            status: self.status.unwrap_or(f.status),
        }
    }
}

fn amount(v: Option<Option<i64>>) -> Result<i64, Error> {
    let fen = v.flatten().ok_or_else(|| invalid("amount is required"))?;
    Amount::new(fen)
        .map(Amount::fen)
        .ok_or_else(|| invalid(format!("amount must be between 1 and {} fen", Amount::MAX)))
}

merchant_body! {
    /// `POST /members/{uuid}/recharge` as sent.
    #[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
    #[serde(rename_all = "camelCase")]
    pub struct RechargeRequest {
        merchant_uuid;
        /// Fen, 1 to 10^12.
        #[serde(default, deserialize_with = "nullable")]
        #[schema(value_type = i64, required = true, minimum = 1, maximum = 1_000_000_000_000_i64)]
        pub amount: Option<Option<i64>>,
        /// The idempotency key: a replay answers the member as it is; reused for another recharge is a 409.
        #[serde(default, deserialize_with = "nullable")]
        #[schema(value_type = String, required = true)]
        pub client_recharge_no: Option<Option<String>>,
    }
}

/// A validated recharge: idempotent by `client_recharge_no` within the merchant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recharge {
    pub amount: i64,
    pub client_recharge_no: String,
}

impl RechargeRequest {
    pub fn into_recharge(self) -> Result<Recharge, Error> {
        Ok(Recharge {
            amount: amount(self.amount)?,
            client_recharge_no: required_token("clientRechargeNo", self.client_recharge_no)?,
        })
    }
}

merchant_body! {
    /// `POST /members/{uuid}/counts` as sent.
    #[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
    #[serde(rename_all = "camelCase")]
    #[schema(as = MemberCountsRequest)]
    pub struct CountsRequest {
        merchant_uuid;
        #[serde(rename = "merchandiseUUID", default, deserialize_with = "nullable")]
        #[schema(value_type = String, required = true)]
        pub merchandise_uuid: Option<Option<String>>,
        #[serde(rename = "styleUUID", default, deserialize_with = "nullable")]
        #[schema(value_type = Option<String>)]
        pub style_uuid: Option<Option<String>>,
        /// At most 128 characters.
        #[serde(default, deserialize_with = "nullable")]
        #[schema(value_type = String, required = true, max_length = 128)]
        pub name: Option<Option<String>>,
        /// 1 to 1000000.
        #[serde(default, deserialize_with = "nullable")]
        #[schema(value_type = i64, required = true, minimum = 1, maximum = 1_000_000)]
        pub count: Option<Option<i64>>,
        /// Optional: makes the addition idempotent like a recharge.
        #[serde(default, deserialize_with = "nullable")]
        #[schema(value_type = Option<String>)]
        pub client_recharge_no: Option<Option<String>>,
    }
}

/// Counts to add to one item of a member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountAdd {
    pub item: CountItem,
    pub client_recharge_no: Option<String>,
}

impl CountsRequest {
    pub fn into_add(self) -> Result<CountAdd, Error> {
        let merchandise_uuid = required_token("merchandiseUUID", self.merchandise_uuid)?;
        let style_uuid = token("styleUUID", self.style_uuid)?.flatten();
        let name = text("name", self.name, 128)?
            .flatten()
            .ok_or_else(|| invalid("name is required"))?;
        let count = match self.count {
            Some(Some(n)) if (1..=i64::from(MAX_COUNT)).contains(&n) => n as i32,
            None | Some(None) => return Err(invalid("count is required")),
            Some(Some(_)) => return Err(invalid(format!("count must be between 1 and {MAX_COUNT}"))),
        };
        Ok(CountAdd {
            item: CountItem {
                merchandise_uuid,
                style_uuid,
                name: Some(name),
                count,
            },
            client_recharge_no: token("clientRechargeNo", self.client_recharge_no)?.flatten(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn req<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn a_new_member_needs_a_name_and_valid_optional_fields() {
        let m =
            req::<MemberRequest>(json!({"name": " 张三 ", "mobile": "13800000000", "cardNo": "VIP-1", "balance": 99}))
                .into_new()
                .unwrap();
        assert_eq!(
            m,
            NewMember {
                name: "张三".into(),
                mobile: Some("13800000000".into()),
                card_no: Some("VIP-1".into()),
                status: Status::Enabled
            }
        );
        assert!(req::<MemberRequest>(json!({})).into_new().is_err());
        assert!(
            req::<MemberRequest>(json!({"name": "a", "cardNo": "a b"}))
                .into_new()
                .is_err()
        );
        assert!(
            req::<MemberRequest>(json!({"name": "a", "status": "frozen"}))
                .into_new()
                .is_err()
        );
        assert!(serde_json::from_value::<MemberRequest>(json!({"name": 5})).is_err());
    }

    #[test]
    fn a_patch_changes_only_what_it_names() {
        let before = MemberFields {
            name: "a".into(),
            mobile: Some("1".into()),
            card_no: Some("c".into()),
            status: Status::Enabled,
        };
        let p = req::<MemberRequest>(json!({"mobile": null, "status": "disabled"}))
            .into_patch()
            .unwrap();
        let after = p.apply_to(&before);
        assert_eq!(after.name, "a");
        assert_eq!(after.mobile, None);
        assert_eq!(after.card_no.as_deref(), Some("c"));
        assert_eq!(after.status, Status::Disabled);
        assert!(req::<MemberRequest>(json!({"name": null})).into_patch().is_err());
        assert!(req::<MemberRequest>(json!({"status": null})).into_patch().is_err());
    }

    #[test]
    fn recharges_need_an_amount_in_range_and_a_client_number() {
        let r = req::<RechargeRequest>(json!({"amount": 100, "clientRechargeNo": "r-1"}))
            .into_recharge()
            .unwrap();
        assert_eq!((r.amount, r.client_recharge_no.as_str()), (100, "r-1"));
        for bad in [
            json!({"amount": 0, "clientRechargeNo": "r"}),
            json!({"amount": -5, "clientRechargeNo": "r"}),
            json!({"amount": Amount::MAX + 1, "clientRechargeNo": "r"}),
            json!({"clientRechargeNo": "r"}),
            json!({"amount": 1}),
            json!({"amount": 1, "clientRechargeNo": "no spaces"}),
            json!({"amount": 1, "clientRechargeNo": "x".repeat(65)}),
        ] {
            assert!(req::<RechargeRequest>(bad.clone()).into_recharge().is_err(), "{bad}");
        }
        assert!(serde_json::from_value::<RechargeRequest>(json!({"amount": 1.5})).is_err());
        assert!(serde_json::from_value::<RechargeRequest>(json!({"amount": "100"})).is_err());
    }

    #[test]
    fn counts_to_add_name_an_item_and_a_positive_count() {
        let a = req::<CountsRequest>(json!({"merchandiseUUID": "m1", "styleUUID": "", "name": "洗车", "count": 5}))
            .into_add()
            .unwrap();
        assert_eq!(a.item.style_uuid, None);
        assert_eq!(a.item.count, 5);
        assert_eq!(a.client_recharge_no, None);
        for bad in [
            json!({"merchandiseUUID": "m1", "name": "x", "count": 0}),
            json!({"merchandiseUUID": "m1", "name": "x"}),
            json!({"name": "x", "count": 1}),
            json!({"merchandiseUUID": "m1", "count": 1}),
            json!({"merchandiseUUID": "m1", "name": "x", "count": MAX_COUNT as i64 + 1}),
        ] {
            assert!(req::<CountsRequest>(bad.clone()).into_add().is_err(), "{bad}");
        }
    }
}
