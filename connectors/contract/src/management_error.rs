//! The error type of a connector with a management API (member-card, sign-account).
//!
//! Both wrote the same enum — a 400, a 404 naming what was not found, a 409, an envelope
//! decided elsewhere, the database, the unexpected — and the same two mappings, to the public
//! envelope and to the contract's [`ConnectorError`](crate::ConnectorError).
//! [`management_error!`](crate::management_error) declares them once; a connector adds its own
//! variants (after `Conflict`) with their two mappings.

/// Declares a connector's `Error`, `From<Error>` for `ApiError` and for `ConnectorError`, the
/// `db_errors!` conversions and `From<shared::fields::Invalid>`.
///
/// A database that cannot be reached is 503 for the contract (the caller's outcome stays
/// unknown and it asks again), anything else unexpected a 500; an `Invalid` or a `Conflict` is
/// the contract's 400.
///
/// ```ignore
/// connector_contract::management_error! {
///     /// The request contradicts the current state: 409.
///     Conflict;
///     variants {
///         /// A refusal.
///         #[error("{0}")]
///         Refused(String),
///     }
///     api { Error::Refused(msg) => ApiError::internal(msg) }
///     connector { Error::Refused(msg) => ConnectorError::Unexpected(anyhow::anyhow!(msg)) }
/// }
/// ```
#[macro_export]
macro_rules! management_error {
    (
        $(#[$conflict_meta:meta])*
        Conflict;
        variants { $($(#[$variant_meta:meta])* $variant:ident $(($variant_ty:ty))?,)* }
        api { $($api_pat:pat => $api:expr,)* }
        connector { $($connector_pat:pat => $connector:expr,)* }
    ) => {
        #[derive(Debug, thiserror::Error)]
        pub enum Error {
            /// A malformed or invalid request: 400.
            #[error("{0}")]
            Invalid(String),
            /// An unknown resource, or another merchant's (they answer alike): 404.
            #[error("{0} not found")]
            NotFound(&'static str),
            $(#[$conflict_meta])*
            #[error("{0}")]
            Conflict(String),
            $($(#[$variant_meta])* $variant $(($variant_ty))?,)*
            /// An envelope decided elsewhere (auth).
            #[error(transparent)]
            Api(#[from] $crate::shared::ApiError),
            #[error(transparent)]
            Db(#[from] $crate::shared::db::DbError),
            #[error(transparent)]
            Unexpected(#[from] anyhow::Error),
        }

        $crate::db_errors!(Error);

        $crate::error_conversions! {
            api {
                Error::Invalid(msg) => ApiError::bad_request(msg),
                Error::NotFound(what) => ApiError::not_found(format!("{what} not found")),
                Error::Conflict(msg) => ApiError::conflict(msg),
                Error::Api(api) => api,
                Error::Db(db) => db.into(),
                $($api_pat => $api,)*
                Error::Unexpected(e) => ApiError::internal(format!("{e:#}")),
            }
            connector {
                Error::Invalid(msg) | Error::Conflict(msg) => ConnectorError::BadRequest(msg),
                Error::Db(e) => e.into(),
                Error::NotFound(what) => ConnectorError::Unexpected(anyhow::anyhow!("{what} not found")),
                $($connector_pat => $connector,)*
                Error::Api(api) => ConnectorError::Unexpected(anyhow::Error::new(api)),
                Error::Unexpected(e) => ConnectorError::Unexpected(e),
            }
        }

        impl From<$crate::shared::fields::Invalid> for Error {
            fn from(e: $crate::shared::fields::Invalid) -> Self {
                Error::Invalid(e.0)
            }
        }
    };
}

/// `From<Error>` for the public envelope (`ApiError`) and for the contract's `ConnectorError`,
/// from the two lists of match arms (which name `ApiError` and `ConnectorError` unqualified):
/// what [`management_error!`](crate::management_error) and
/// [`merchant_settings_error!`](crate::merchant_settings_error) declare.
#[doc(hidden)]
#[macro_export]
macro_rules! error_conversions {
    (
        api { $($api_pat:pat => $api:expr,)+ }
        connector { $($connector_pat:pat => $connector:expr,)+ }
    ) => {
        impl From<Error> for $crate::shared::ApiError {
            fn from(e: Error) -> Self {
                use $crate::shared::ApiError;
                match e {
                    $($api_pat => $api,)+
                }
            }
        }

        impl From<Error> for $crate::ConnectorError {
            fn from(e: Error) -> Self {
                use $crate::ConnectorError;
                match e {
                    $($connector_pat => $connector,)+
                }
            }
        }
    };
}
