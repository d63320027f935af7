//! Field-level validation shared by create and update: free text, URLs, flags, numbers and
//! merchant references.

use crate::error::Error;

pub fn invalid(msg: impl Into<String>) -> Error {
    Error::Invalid(msg.into())
}

/// `payTemplateId`: 1-64 of `[0-9A-Za-z_-]` (the seed uses upper-case GUIDs).
pub fn is_pay_template_id(s: &str) -> bool {
    (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub use payserver_shared::fields::{flag, int_in, merchant_of_href, named_merchant, nullable};

#[cfg(test)]
mod tests {
    use payserver_shared::fields::{text, url};

    use super::*;

    #[test]
    fn text_trims_and_turns_empty_into_null() {
        assert_eq!(text("f", Some(Some("  a ".into())), 5).unwrap(), Some(Some("a".into())));
        assert_eq!(text("f", Some(Some("  ".into())), 5).unwrap(), Some(None));
        assert_eq!(text("f", None, 5).unwrap(), None);
        assert!(text("f", Some(Some("abcdef".into())), 5).is_err());
        assert_eq!(
            text("f", Some(Some("支付支付支".into())), 5).unwrap(),
            Some(Some("支付支付支".into())),
            "characters, not bytes"
        );
    }

    #[test]
    fn urls_must_be_absolute_http() {
        assert!(url("u", Some(Some("https://x/pay".into()))).is_ok());
        assert_eq!(url("u", Some(Some(String::new()))).unwrap(), Some(None));
        for bad in [
            "ftp://x",
            "javascript:alert(1)",
            "http://",
            "http:///x",
            "/relative",
            "http://a b",
        ] {
            assert!(url("u", Some(Some(bad.into()))).is_err(), "{bad}");
        }
    }

    #[test]
    fn flags_and_ranges_refuse_null_and_out_of_range() {
        assert_eq!(flag("f", Some(Some(1))).unwrap(), Some(1));
        assert!(flag("f", Some(Some(2))).is_err());
        assert!(flag("f", Some(None)).is_err());
        assert_eq!(int_in("n", Some(Some(8760)), 1, 8760, "x").unwrap(), Some(8760));
        assert!(int_in("n", Some(Some(0)), 1, 8760, "x").is_err());
        assert!(
            int_in(
                "n",
                Some(Some(i64::from(i32::MAX) + 1)),
                i32::MIN.into(),
                i32::MAX.into(),
                "x"
            )
            .is_err()
        );
    }

    #[test]
    fn the_named_merchant_comes_from_the_uuid_or_the_href() {
        let href = "http://192.168.7.188:6004/api/v1.0.0/merchants/eLzwsgnlWpZN8xtvz0qgvw";
        assert_eq!(
            named_merchant(None, Some(href)).unwrap().as_deref(),
            Some("eLzwsgnlWpZN8xtvz0qgvw")
        );
        assert_eq!(named_merchant(Some("m1"), None).unwrap().as_deref(), Some("m1"));
        assert_eq!(
            named_merchant(Some("eLzwsgnlWpZN8xtvz0qgvw"), Some(href))
                .unwrap()
                .as_deref(),
            Some("eLzwsgnlWpZN8xtvz0qgvw")
        );
        assert_eq!(named_merchant(None, None).unwrap(), None);
        assert!(named_merchant(Some("m2"), Some(href)).is_err());
        assert!(named_merchant(Some("a b"), None).is_err());
        assert!(named_merchant(None, Some("not a url")).is_err());
    }
}
