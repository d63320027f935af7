//! Money: an [`Amount`] is a whole number of fen from 1 to 10^12 (ten billion yuan), checked
//! once where it enters. Decimal strings (`"12.34"` yuan, Part B) convert exactly, never
//! through floats.

use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ApiResult};

/// A positive amount of fen, at most [`Amount::MAX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Amount(i64);

impl Amount {
    /// The largest amount any request may carry: 10^12 fen.
    pub const MAX: i64 = 1_000_000_000_000;

    /// `fen` when it lies in 1..=MAX.
    pub fn new(fen: i64) -> Option<Self> {
        (1..=Self::MAX).contains(&fen).then_some(Self(fen))
    }

    /// [`Amount::new`], or a 400 naming the field.
    pub fn of(field: &str, fen: i64) -> ApiResult<Self> {
        Self::new(fen).ok_or_else(|| {
            ApiError::bad_request(format!(
                "{field} must be an integer number of fen from 1 to {}",
                Self::MAX
            ))
        })
    }

    pub fn fen(self) -> i64 {
        self.0
    }

    /// Yuan with exactly two decimals: 1234 fen → `"12.34"`.
    pub fn to_yuan(self) -> String {
        format!("{}.{:02}", self.0 / 100, self.0 % 100)
    }

    /// Exact yuan text (`"12"`, `"12.3"`, `"12.34"`; no sign, exponent or third decimal)
    /// to fen.
    pub fn from_yuan(field: &str, text: &str) -> ApiResult<Self> {
        let bad = || ApiError::bad_request(format!("{field} must be yuan with at most two decimals, e.g. 12.34"));
        let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
        let digits = |s: &str| !s.is_empty() && s.len() <= 13 && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || frac.len() > 2 || (text.contains('.') && !digits(frac)) {
            return Err(bad());
        }
        let whole: i64 = whole.parse().map_err(|_| bad())?;
        let frac: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
        let fen = whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(frac))
            .ok_or_else(bad)?;
        Self::of(field, fen)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let fen = i64::deserialize(d)?;
        Amount::new(fen).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "an amount is an integer number of fen from 1 to {}",
                Amount::MAX
            ))
        })
    }
}

impl utoipa::PartialSchema for Amount {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Integer)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Int64,
            )))
            .minimum(Some(1))
            .maximum(Some(Self::MAX))
            .description(Some("Fen (1/100 yuan), from 1 to 10^12."))
            .into()
    }
}

impl utoipa::ToSchema for Amount {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_lie_between_one_fen_and_ten_to_the_twelfth() {
        assert_eq!(Amount::new(0), None);
        assert_eq!(Amount::new(-5), None);
        assert_eq!(Amount::new(Amount::MAX).map(Amount::fen), Some(Amount::MAX));
        assert_eq!(Amount::new(Amount::MAX + 1), None);
        let e = Amount::of("payAmount", 0).unwrap_err();
        assert_eq!(e.status_code, 400);
        assert!(e.message.contains("payAmount"), "{}", e.message);
        assert!(serde_json::from_str::<Amount>("0").is_err());
        assert!(serde_json::from_str::<Amount>("1.5").is_err());
        assert_eq!(serde_json::from_str::<Amount>("250").unwrap().fen(), 250);
        assert_eq!(serde_json::to_string(&Amount(250)).unwrap(), "250");
    }

    #[test]
    fn yuan_text_converts_exactly() {
        for (text, fen) in [
            ("12.34", 1234),
            ("12.3", 1230),
            ("12", 1200),
            ("0.01", 1),
            ("10000000000", Amount::MAX),
        ] {
            assert_eq!(Amount::from_yuan("price", text).unwrap().fen(), fen, "{text}");
        }
        for text in [
            "",
            ".5",
            "1.",
            "1.234",
            "-1",
            "+1",
            "1e3",
            "0",
            "0.00",
            "10000000000.01",
            " 1",
            "1,00",
            "99999999999999",
        ] {
            assert!(Amount::from_yuan("price", text).is_err(), "{text:?}");
        }
        assert_eq!(Amount(1234).to_yuan(), "12.34");
        assert_eq!(Amount(5).to_yuan(), "0.05");
        assert_eq!(Amount(Amount::MAX).to_yuan(), "10000000000.00");
    }
}
