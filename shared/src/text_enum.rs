//! [`text_enum!`]: a status (or any closed set of words) as a Rust enum that is stored as a
//! text column on both backends, serialized as its word, documented as a string enum, and
//! parsed from query strings, so a status is never a bare `String` compared as text.
//!
//! ```ignore
//! payserver_shared::text_enum! {
//!     /// A pay order's status.
//!     pub enum PayStatus {
//!         Unpay = "unpay",
//!         Paying = "paying",
//!     }
//! }
//! // a diesel column `status -> Text` reads and writes it directly:
//! // #[diesel(...)] pub status: PayStatus,
//! ```

/// Declares a text enum; see the module documentation. The calling crate depends on
/// `diesel`, `serde` and `utoipa` (every service crate does).
#[macro_export]
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)]
        #[diesel(sql_type = diesel::sql_types::Text)]
        $vis enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every word, in declaration order.
            pub const ALL: &'static [&'static str] = &[$($text),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),+
                }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $($text => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let word = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                Self::parse(&word).ok_or_else(|| {
                    serde::de::Error::custom(format!("expected one of {}", Self::ALL.join(", ")))
                })
            }
        }

        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut diesel::serialize::Output<'b, '_, DB>) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, DB>>::to_sql(self.as_str(), out)
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let word = <String as diesel::deserialize::FromSql<diesel::sql_types::Text, DB>>::from_sql(bytes)?;
                Self::parse(&word).ok_or_else(|| format!("unknown {} {word:?}", stringify!($name)).into())
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some(Self::ALL.iter().copied()))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}

#[cfg(test)]
mod tests {
    use diesel::prelude::*;
    use diesel::sql_types::Text;

    crate::text_enum! {
        /// A test status.
        pub enum Light {
            Green = "green",
            /// Documented variant.
            Red = "red",
        }
    }

    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Text)]
        light: Light,
    }

    #[test]
    fn a_text_enum_round_trips_through_sqlite_serde_and_its_schema() {
        let mut c = SqliteConnection::establish(":memory:").unwrap();
        let row: Row = diesel::sql_query("SELECT ? AS light")
            .bind::<Text, _>(Light::Red)
            .get_result(&mut c)
            .unwrap();
        assert_eq!(row.light, Light::Red);
        let bad = diesel::sql_query("SELECT 'blue' AS light").get_result::<Row>(&mut c);
        assert!(bad.is_err(), "an unknown word in the column is an error, not a default");
        assert_eq!(serde_json::to_string(&Light::Green).unwrap(), "\"green\"");
        assert_eq!(serde_json::from_str::<Light>("\"red\"").unwrap(), Light::Red);
        assert!(serde_json::from_str::<Light>("\"Red\"").is_err());
        assert_eq!(Light::ALL, ["green", "red"]);
        let schema = serde_json::to_value(<Light as utoipa::PartialSchema>::schema()).unwrap();
        assert_eq!(schema["enum"], serde_json::json!(["green", "red"]));
    }
}
