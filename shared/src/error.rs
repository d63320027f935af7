//! The error envelope of API.md A.1: `{name, statusCode, code, message, description}` with the
//! HTTP status `statusCode`. Every crate's own error type converts into [`ApiError`]; actix's
//! extractor rejections are configured (see [`crate::http::extractor_configs`]) to answer with
//! it too. Unexpected errors are logged with the request id and reach the client as an opaque
//! 5000.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::{Deserialize, Serialize};

pub type ApiResult<T> = Result<T, ApiError>;

/// The error envelope of every non-2xx answer.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Error)]
pub struct ApiError {
    /// Error name, e.g. `BadRequest`, `NotFound`, `PayModeNotOpened`.
    #[schema(example = "NotFound")]
    pub name: String,
    /// The HTTP status of the answer.
    #[schema(example = 404)]
    pub status_code: u16,
    /// 4000 bad input, 4010 token, 4030 forbidden, 4040 unknown, 4050 method, 4090 conflict,
    /// 4130 too large, 4290 rate limited, 9001-9007 business rules (HTTP 500; 9007 is 400),
    /// 5020/5030/5040 upstream, 5000 unexpected.
    #[schema(example = 4040)]
    pub code: u32,
    /// What went wrong, for people.
    #[schema(example = "payOrder not found")]
    pub message: String,
    /// Same as `message`.
    #[schema(example = "payOrder not found")]
    pub description: String,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} ({}): {}",
            self.status_code, self.name, self.code, self.message
        )
    }
}

impl std::error::Error for ApiError {}

/// The constructors of [`ApiError`] that take a message alone: `name: STATUS, code, "Name"`
/// each, one `pub fn name(message) -> ApiError`.
macro_rules! envelopes {
    ($($fn_name:ident: $status:ident, $code:literal, $name:literal;)+) => {
        $(
            #[doc = concat!("`", stringify!($status), "`, code ", stringify!($code), " (`", $name, "`).")]
            pub fn $fn_name(message: impl Into<String>) -> Self {
                Self::new(StatusCode::$status, $code, $name, message)
            }
        )+
    };
}

impl ApiError {
    pub fn new(status: StatusCode, code: u32, name: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self {
            name: name.to_string(),
            status_code: status.as_u16(),
            code,
            description: message.clone(),
            message,
        }
    }

    envelopes! {
        bad_request: BAD_REQUEST, 4000, "BadRequest";
        unauthorized: UNAUTHORIZED, 4010, "Unauthorized";
        forbidden: FORBIDDEN, 4030, "Forbidden";
        not_found: NOT_FOUND, 4040, "NotFound";
        conflict: CONFLICT, 4090, "Conflict";
        too_many_requests: TOO_MANY_REQUESTS, 4290, "TooManyRequests";
        bad_gateway: BAD_GATEWAY, 5020, "BadGateway";
        unavailable: SERVICE_UNAVAILABLE, 5030, "ServiceUnavailable";
        gateway_timeout: GATEWAY_TIMEOUT, 5040, "GatewayTimeout";
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            4050,
            "MethodNotAllowed",
            "method not allowed on this path",
        )
    }
    pub fn payload_too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            4130,
            "PayloadTooLarge",
            format!("request body is larger than {limit} bytes"),
        )
    }
    /// A business-rule rejection: HTTP 500 with a seed code >= 9000 (clients branch on it).
    pub fn business(code: u32, name: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, code, name, message)
    }

    /// An unexpected failure: the cause goes to the log (inside the request's span, so with
    /// its request id), the client gets nothing but an opaque 5000.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "unexpected error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            5000,
            "InternalError",
            "unexpected error; see the server log for this request id",
        )
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status_code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

/// The conversions of a service's error enum that has an `Invalid(String)` (a 400), a
/// `NotFound` (a 404 with the message given) and a `Db(DbError)` variant: from a diesel error
/// (as [`DbError::Query`](crate::db::DbError)), from a field's
/// [`Invalid`](crate::fields::Invalid) (its message), and into [`ApiError`], its other variants
/// by the arms given.
///
/// ```ignore
/// payserver_shared::service_error! {
///     Error, not_found: "payMode not found",
///     Error::AlreadyOpened(msg) => ApiError::conflict(msg),
///     Error::Api(api) => api,
/// }
/// ```
#[macro_export]
macro_rules! service_error {
    ($error:ident, not_found: $not_found:literal $(, $pat:pat => $api:expr)* $(,)?) => {
        impl From<diesel::result::Error> for $error {
            fn from(e: diesel::result::Error) -> Self {
                $error::Db($crate::db::DbError::Query(e))
            }
        }

        impl From<$crate::fields::Invalid> for $error {
            fn from(e: $crate::fields::Invalid) -> Self {
                $error::Invalid(e.0)
            }
        }

        impl From<$error> for $crate::ApiError {
            fn from(e: $error) -> Self {
                match e {
                    $error::Invalid(msg) => $crate::ApiError::bad_request(msg),
                    $error::NotFound => $crate::ApiError::not_found($not_found),
                    $($pat => $api,)*
                    $error::Db(db) => db.into(),
                }
            }
        }
    };
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status()).json(self)
    }
}

impl From<crate::db::DbError> for ApiError {
    fn from(e: crate::db::DbError) -> Self {
        use crate::db::DbError;
        use diesel::result::{DatabaseErrorKind, Error as DE};
        match e {
            DbError::Query(DE::NotFound) => ApiError::not_found("resource not found"),
            DbError::Query(DE::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
                ApiError::conflict("resource already exists")
            }
            DbError::Pool(e) => {
                tracing::error!(error = %e, "database pool unavailable");
                ApiError::unavailable("database unavailable")
            }
            DbError::Canceled => ApiError::unavailable("database unavailable"),
            other => ApiError::internal(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::MessageBody;

    #[test]
    fn envelope_carries_status_and_code() {
        let e = ApiError::business(9003, "PayModeUnusable", "template disabled");
        let resp = e.error_response();
        assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = resp.into_body().try_into_bytes().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["statusCode"], 500);
        assert_eq!(v["code"], 9003);
        assert_eq!(v["message"], "template disabled");
        assert_eq!(v["description"], "template disabled");
        assert_eq!(v["name"], "PayModeUnusable");
    }

    #[test]
    fn internal_errors_hide_their_cause() {
        let e = ApiError::internal("SELECT * FROM secrets failed");
        assert_eq!(e.code, 5000);
        assert!(!e.message.contains("SELECT"));
    }
}
