//! Validation of request fields that every service's bodies share: free text, names, URLs,
//! 0/1 flags, bounded integers, and the merchant a request names. Each returns [`Invalid`]
//! with a message for the client; crates convert it into their own 400.

use serde::{Deserialize, Deserializer};

/// A field's value is not acceptable; the message says why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Invalid(pub String);

fn invalid(msg: impl Into<String>) -> Invalid {
    Invalid(msg.into())
}

/// For `Option<Option<T>>` fields: `Some(None)` for an explicit `null`, `None` when absent
/// (with `#[serde(default, deserialize_with = "nullable")]`).
pub fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// Free text: trimmed, empty means null, at most `max` characters.
pub fn text(field: &str, v: Option<Option<String>>, max: usize) -> Result<Option<Option<String>>, Invalid> {
    Ok(match v {
        None => None,
        Some(None) => Some(None),
        Some(Some(s)) => {
            let s = s.trim().to_string();
            if s.chars().count() > max {
                return Err(invalid(format!("{field} is longer than {max} characters")));
            }
            Some((!s.is_empty()).then_some(s))
        }
    })
}

/// A name: trimmed, 1 to `max` characters, never null (absent stays absent).
pub fn name(field: &str, v: Option<Option<String>>, max: usize) -> Result<Option<String>, Invalid> {
    match text(field, v, max)? {
        None => Ok(None),
        Some(Some(n)) => Ok(Some(n)),
        Some(None) => Err(invalid(format!("{field} cannot be empty"))),
    }
}

/// `true` for an absolute http(s) URL without whitespace.
pub fn is_http_url(u: &str) -> bool {
    let rest = u.strip_prefix("http://").or_else(|| u.strip_prefix("https://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/') && !r.contains(char::is_whitespace))
}

/// A URL: empty means null (the seed sends `''`), else an absolute http(s) URL of at most 512
/// characters.
pub fn url(field: &str, v: Option<Option<String>>) -> Result<Option<Option<String>>, Invalid> {
    let v = text(field, v, 512)?;
    if let Some(Some(u)) = &v
        && !is_http_url(u)
    {
        return Err(invalid(format!("{field} must be an absolute http or https URL")));
    }
    Ok(v)
}

/// A 0/1 flag; `null` is refused (the field has no "no value").
pub fn flag(field: &str, v: Option<Option<i64>>) -> Result<Option<i32>, Invalid> {
    match v {
        None => Ok(None),
        Some(Some(0)) => Ok(Some(0)),
        Some(Some(1)) => Ok(Some(1)),
        Some(_) => Err(invalid(format!("{field} must be 0 or 1"))),
    }
}

/// A whole number in `min..=max`; `null` is refused. `what` completes "must be ...".
pub fn int_in(field: &str, v: Option<Option<i64>>, min: i64, max: i64, what: &str) -> Result<Option<i32>, Invalid> {
    match v {
        None => Ok(None),
        Some(Some(n)) if (min..=max).contains(&n) => Ok(Some(n as i32)),
        Some(_) => Err(invalid(format!("{field} must be {what}"))),
    }
}

/// An identifier as this system accepts them (merchant uuids, client numbers, codes):
/// 1-64 of `[0-9A-Za-z_-]`.
pub fn is_token(s: &str) -> bool {
    (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The merchant uuid at the end of a `merchantHref`, which must be an absolute http(s) URL.
pub fn merchant_of_href(href: &str) -> Result<String, Invalid> {
    if href.chars().count() > 512 || !is_http_url(href) {
        return Err(invalid("merchantHref must be an absolute http or https URL"));
    }
    crate::auth::merchant_from_href(href)
        .filter(|m| is_token(m))
        .ok_or_else(|| invalid("merchantHref must end with the merchant's uuid"))
}

/// The merchant a request names through `merchantUUID` and/or `merchantHref` (its last path
/// segment). Both given and naming different merchants is refused.
pub fn named_merchant(uuid: Option<&str>, href: Option<&str>) -> Result<Option<String>, Invalid> {
    let uuid = uuid.map(str::trim).filter(|s| !s.is_empty());
    if let Some(u) = uuid
        && !is_token(u)
    {
        return Err(invalid("merchantUUID must be 1-64 characters of [0-9A-Za-z_-]"));
    }
    let from_href = match href.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(h) => Some(merchant_of_href(h)?),
    };
    match (uuid, from_href) {
        (Some(u), Some(h)) if u != h => Err(invalid("merchantUUID and merchantHref name different merchants")),
        (Some(u), _) => Ok(Some(u.to_string())),
        (None, h) => Ok(h),
    }
}

impl From<Invalid> for crate::ApiError {
    fn from(e: Invalid) -> Self {
        crate::ApiError::bad_request(e.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_trims_counts_characters_and_turns_empty_into_null() {
        assert_eq!(text("f", Some(Some("  a ".into())), 5).unwrap(), Some(Some("a".into())));
        assert_eq!(text("f", Some(Some("  ".into())), 5).unwrap(), Some(None));
        assert_eq!(text("f", None, 5).unwrap(), None);
        assert!(text("f", Some(Some("abcdef".into())), 5).is_err());
        assert!(text("f", Some(Some("挂账挂账挂".into())), 5).is_ok());
    }

    #[test]
    fn names_are_never_empty_or_null() {
        assert_eq!(
            name("name", Some(Some(" 甲 ".into())), 64).unwrap().as_deref(),
            Some("甲")
        );
        assert_eq!(name("name", None, 64).unwrap(), None);
        assert!(name("name", Some(None), 64).is_err());
        assert!(name("name", Some(Some("   ".into())), 64).is_err());
    }

    #[test]
    fn urls_must_be_absolute_http_and_flags_zero_or_one() {
        assert!(url("u", Some(Some("http://h/x".into()))).is_ok());
        assert_eq!(url("u", Some(Some("".into()))).unwrap(), Some(None));
        for bad in ["ftp://h", "http://", "http:///x", "javascript:alert(1)", "http://a b"] {
            assert!(url("u", Some(Some(bad.into()))).is_err(), "{bad}");
        }
        assert_eq!(flag("f", Some(Some(1))).unwrap(), Some(1));
        assert!(flag("f", Some(Some(2))).is_err());
        assert!(flag("f", Some(None)).is_err());
        assert!(int_in("n", Some(Some(0)), 1, 10, "1-10").is_err());
    }

    #[test]
    fn the_named_merchant_comes_from_the_uuid_or_the_href() {
        let href = "http://shops.example/api/v1.0.0/merchants/eLzwsgnlWpZN8xtvz0qgvw";
        assert_eq!(
            named_merchant(None, Some(href)).unwrap().as_deref(),
            Some("eLzwsgnlWpZN8xtvz0qgvw")
        );
        assert_eq!(named_merchant(Some("m1"), None).unwrap().as_deref(), Some("m1"));
        assert_eq!(named_merchant(None, None).unwrap(), None);
        assert!(named_merchant(Some("m2"), Some(href)).is_err());
        assert!(named_merchant(Some("a b"), None).is_err());
        assert!(named_merchant(None, Some("not a url")).is_err());
    }
}
