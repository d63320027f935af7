//! Path parameters in and out. Actix decodes `%2F` inside a `{uuid}` to `/`; pasted into an
//! internal URL such a value would address another route. Incoming ids that could never be
//! one of ours are refused as unknown (404), and every value put into an outgoing URL's path
//! is percent-encoded as one segment.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::{ObjectBuilder, Required, Type};

use crate::error::{ApiError, ApiResult};

/// Everything but the unreserved characters of RFC 3986 (`A-Z a-z 0-9 - . _ ~`).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// `value` encoded as one path segment.
pub fn segment(value: &str) -> String {
    utf8_percent_encode(value, SEGMENT).to_string()
}

/// A decoded path parameter that names a resource: refused (404, like any unknown id) when it
/// holds a slash or backslash, is a dot segment, is empty or longer than 128 bytes.
pub fn path_id(value: String) -> ApiResult<String> {
    let bad = value.is_empty()
        || value.len() > 128
        || value == "."
        || value == ".."
        || value.contains(['/', '\\'])
        || value.chars().any(char::is_control);
    if bad {
        Err(ApiError::not_found("no such resource"))
    } else {
        Ok(value)
    }
}

/// Doc-only: the `{uuid}` path parameter of a route that addresses one resource (or a
/// sub-collection of one), for `#[utoipa::path(params(UuidPath, ...))]`.
pub struct UuidPath;

impl utoipa::IntoParams for UuidPath {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![
            ParameterBuilder::new()
                .name("uuid")
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .description(Some("The resource's uuid (22 of [0-9A-Za-z])."))
                .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                .example(Some("irAl37TewwGEchYrXUWsfA".into()))
                .build(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_encode_everything_that_could_change_the_route() {
        assert_eq!(segment("mI2NDMoQRdnKCq01hAsLwQ"), "mI2NDMoQRdnKCq01hAsLwQ");
        assert_eq!(segment("../internal/x"), "..%2Finternal%2Fx");
        assert_eq!(segment("a?b#c d"), "a%3Fb%23c%20d");
        assert_eq!(segment("a\\b%2F"), "a%5Cb%252F");
    }

    #[test]
    fn ids_with_slashes_or_dots_are_unknown() {
        assert!(path_id("mI2NDMoQRdnKCq01hAsLwQ".into()).is_ok());
        for bad in ["", ".", "..", "a/b", "a\\b", "x\ny"] {
            assert_eq!(path_id(bad.into()).unwrap_err().code, 4040, "{bad:?}");
        }
    }
}
