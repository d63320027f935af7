//! Count-card items (会员储次): what a pay's `merchandiseDetails` names, what a pay deducted
//! (recorded, so that a refund restores exactly that), and what the statement shows.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::fields::is_token;
use super::member::MAX_COUNT;

/// Uses of one merchandise (and style) of a member. `style_uuid` `None` is merchandise
/// without styles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(
    as = MemberLedgerCount,
    description = "One item of a count entry: the merchandise (and style) and how many counts."
)]
pub struct CountItem {
    #[serde(rename = "merchandiseUUID")]
    pub merchandise_uuid: String,
    #[serde(rename = "styleUUID")]
    #[schema(required = true)]
    pub style_uuid: Option<String>,
    #[schema(required = true)]
    pub name: Option<String>,
    pub count: i32,
}

/// The most items one count pay may name.
pub const MAX_ITEMS: usize = 100;

impl CountItem {
    /// The stored key of the style: `''` for none.
    pub fn style_key(&self) -> &str {
        self.style_uuid.as_deref().unwrap_or("")
    }

    /// How a reason names the item: `"洗车" (merchandiseUUID m1, styleUUID s1)`.
    pub fn label(&self) -> String {
        let ids = match &self.style_uuid {
            Some(s) => format!("merchandiseUUID {}, styleUUID {s}", self.merchandise_uuid),
            None => format!("merchandiseUUID {}", self.merchandise_uuid),
        };
        match &self.name {
            Some(n) => format!("\"{n}\" ({ids})"),
            None => ids,
        }
    }
}

/// Items as stored in the `counts` columns.
pub fn to_json(items: &[CountItem]) -> String {
    serde_json::to_string(items).expect("count items serialise")
}

/// The stored `counts` column; `None` when absent or unreadable.
pub fn from_json(raw: Option<&str>) -> Option<Vec<CountItem>> {
    raw.and_then(|s| serde_json::from_str(s).ok())
}

fn id_field(v: &serde_json::Map<String, Value>, i: usize, key: &str, required: bool) -> Result<Option<String>, String> {
    match v.get(key) {
        None | Some(Value::Null) if required => Err(format!("merchandiseDetails[{i}].{key} is required")),
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() && !required => Ok(None),
        Some(Value::String(s)) if is_token(s.trim()) => Ok(Some(s.trim().to_string())),
        Some(_) => Err(format!(
            "merchandiseDetails[{i}].{key} must be 1-64 characters of [0-9A-Za-z_-]"
        )),
    }
}

/// `payParams.merchandiseDetails`: a non-empty array of `{name, merchandiseUUID, styleUUID,
/// count}` with whole counts > 0. Items naming one merchandise and style twice are merged.
/// An error is the reason the pay is refused.
pub fn parse_details(v: &Value) -> Result<Vec<CountItem>, String> {
    let Value::Array(list) = v else {
        return Err("payParams.merchandiseDetails must be an array".into());
    };
    if list.is_empty() {
        return Err("payParams.merchandiseDetails must not be empty".into());
    }
    if list.len() > MAX_ITEMS {
        return Err(format!("payParams.merchandiseDetails has more than {MAX_ITEMS} items"));
    }
    let mut items: Vec<CountItem> = Vec::with_capacity(list.len());
    for (i, entry) in list.iter().enumerate() {
        let Value::Object(obj) = entry else {
            return Err(format!("merchandiseDetails[{i}] must be an object"));
        };
        let merchandise_uuid = id_field(obj, i, "merchandiseUUID", true)?.unwrap_or_default();
        let style_uuid = id_field(obj, i, "styleUUID", false)?;
        let name = match obj.get("name") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.chars().count() <= 128 => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
            Some(_) => {
                return Err(format!(
                    "merchandiseDetails[{i}].name must be text of at most 128 characters"
                ));
            }
        };
        let count = match obj.get("count").and_then(Value::as_i64) {
            Some(n) if (1..=i64::from(MAX_COUNT)).contains(&n) => n as i32,
            _ => {
                return Err(format!(
                    "merchandiseDetails[{i}].count must be a whole number between 1 and {MAX_COUNT}"
                ));
            }
        };
        match items
            .iter_mut()
            .find(|it| it.merchandise_uuid == merchandise_uuid && it.style_uuid == style_uuid)
        {
            Some(same) => {
                same.count += count;
                if same.count > MAX_COUNT {
                    return Err(format!("{} is used more than {MAX_COUNT} times", same.label()));
                }
            }
            None => items.push(CountItem {
                merchandise_uuid,
                style_uuid,
                name,
                count,
            }),
        }
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn details_parse_and_merge_repeated_items() {
        let items = parse_details(&json!([
            {"name": "项目A", "merchandiseUUID": "mA", "styleUUID": "sA", "count": 1},
            {"name": "项目B", "merchandiseUUID": "mB", "count": 2},
            {"name": "项目A", "merchandiseUUID": "mA", "styleUUID": "sA", "count": 3},
        ]))
        .unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!((items[0].count, items[0].style_key()), (4, "sA"));
        assert_eq!((items[1].count, items[1].style_key()), (2, ""));
        assert_eq!(from_json(Some(&to_json(&items))).unwrap(), items);
    }

    #[test]
    fn bad_details_say_what_is_wrong() {
        for (bad, why) in [
            (json!({}), "must be an array"),
            (json!([]), "must not be empty"),
            (json!([1]), "must be an object"),
            (json!([{"count": 1}]), "merchandiseUUID is required"),
            (
                json!([{"merchandiseUUID": "m", "count": 0}]),
                "count must be a whole number",
            ),
            (
                json!([{"merchandiseUUID": "m", "count": -1}]),
                "count must be a whole number",
            ),
            (
                json!([{"merchandiseUUID": "m", "count": 1.5}]),
                "count must be a whole number",
            ),
            (
                json!([{"merchandiseUUID": "m", "count": "1"}]),
                "count must be a whole number",
            ),
            (json!([{"merchandiseUUID": "m"}]), "count must be a whole number"),
            (
                json!([{"merchandiseUUID": "m", "styleUUID": 7, "count": 1}]),
                "styleUUID must be",
            ),
            (
                json!([{"merchandiseUUID": "m", "name": [], "count": 1}]),
                "name must be text",
            ),
        ] {
            let reason = parse_details(&bad).unwrap_err();
            assert!(reason.contains(why), "{bad}: {reason}");
        }
    }

    #[test]
    fn labels_name_the_item() {
        let it = CountItem {
            merchandise_uuid: "m1".into(),
            style_uuid: Some("s1".into()),
            name: Some("洗车".into()),
            count: 1,
        };
        assert_eq!(it.label(), "\"洗车\" (merchandiseUUID m1, styleUUID s1)");
    }
}
