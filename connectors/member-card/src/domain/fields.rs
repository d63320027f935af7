//! Field-level validation shared by the management requests: free text, identifiers, merchant
//! references.

use crate::error::Error;

pub fn invalid(msg: impl Into<String>) -> Error {
    Error::Invalid(msg.into())
}

/// An optional identifier of [`is_token`] characters; empty means null.
pub fn token(field: &str, v: Option<Option<String>>) -> Result<Option<Option<String>>, Error> {
    let v = text(field, v, 64)?;
    if let Some(Some(s)) = &v
        && !is_token(s)
    {
        return Err(invalid(format!("{field} must be 1-64 characters of [0-9A-Za-z_-]")));
    }
    Ok(v)
}

/// A required identifier of [`is_token`] characters.
pub fn required_token(field: &str, v: Option<Option<String>>) -> Result<String, Error> {
    token(field, v)?
        .flatten()
        .ok_or_else(|| invalid(format!("{field} is required")))
}

/// A mobile number: 1-20 of digits, `+`, `-` and spaces; empty means null.
pub fn mobile(v: Option<Option<String>>) -> Result<Option<Option<String>>, Error> {
    let v = text("mobile", v, 20)?;
    if let Some(Some(m)) = &v
        && !m
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'+' || b == b'-' || b == b' ')
    {
        return Err(invalid("mobile must be digits, '+', '-' or spaces (at most 20)"));
    }
    Ok(v)
}

/// `is_token`: 1-64 of `[0-9A-Za-z_-]` (merchant uuids, client numbers, card numbers, merchandise
/// ids). These are tested where they live, in `shared::fields`.
pub use connector_contract::shared::fields::{is_token, name, named_merchant, nullable, text};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_mobiles_are_checked() {
        assert_eq!(
            token("cardNo", Some(Some("VIP-0001".into()))).unwrap(),
            Some(Some("VIP-0001".into()))
        );
        assert_eq!(token("cardNo", Some(Some("".into()))).unwrap(), Some(None));
        assert!(token("cardNo", Some(Some("a b".into()))).is_err());
        assert!(token("cardNo", Some(Some("x".repeat(65)))).is_err());
        assert_eq!(required_token("n", Some(Some("r1".into()))).unwrap(), "r1");
        assert!(required_token("n", None).is_err());
        assert!(required_token("n", Some(None)).is_err());
        assert!(mobile(Some(Some("+86 138-0000-0000".into()))).is_ok());
        assert!(mobile(Some(Some("call me".into()))).is_err());
    }
}
