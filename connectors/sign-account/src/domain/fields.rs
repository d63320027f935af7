//! Field-level validation shared by the management requests: free text, merchant references.

use crate::error::Error;

pub fn invalid(msg: impl Into<String>) -> Error {
    Error::Invalid(msg.into())
}

pub use connector_contract::shared::fields::{name, named_merchant, nullable, text};

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
