//! What the gateway answers by itself, before a request reaches a route or after an answer
//! leaves one: its limits on the request head, and the error envelope (API.md A.1 "Errors")
//! on every error answer that lacks one.
//!
//! actix answers a few requests itself before any of this runs, with an empty body, and
//! offers no setting or hook to change that (actix-http 3.20: the limits are constants): a
//! URL longer than 65,534 bytes or a head that is not valid HTTP (400), a head over 128 KiB
//! or more than 96 headers (431), and a first request whose head is not in within the client
//! request timeout (408). The limits below are far lower, so an oversized head gets the
//! envelope unless it is beyond even those.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError};
use payserver_shared::ApiError;

/// Longest path and query accepted (414 past it): nginx's default request-line buffer. No
/// public call needs more; long filters belong in a GET body (API.md A.1 "GET parameters").
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// Most header bytes (names and values) accepted (431 past it): room for any JWT.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;

/// The envelope for `status`: the code is the status times ten, as throughout API.md's table
/// (4080 for 408, 4140 for 414, 4310 for 431), and the name is the status's reason phrase.
pub fn envelope(status: StatusCode, message: &str) -> ApiError {
    let reason = status.canonical_reason().unwrap_or("Error");
    ApiError::new(
        status,
        u32::from(status.as_u16()) * 10,
        &reason.replace(' ', ""),
        message,
    )
}

/// 408: the client took too long to send its request.
pub fn request_timeout() -> ApiError {
    envelope(StatusCode::REQUEST_TIMEOUT, "the request was not received in time")
}

/// Refuses a URL or headers over the gateway's limits, with the envelope.
pub async fn head_limits(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let uri_bytes = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    let refusal = if uri_bytes > MAX_URI_BYTES {
        Some(envelope(
            StatusCode::URI_TOO_LONG,
            &format!("the URL is longer than {MAX_URI_BYTES} bytes"),
        ))
    } else if header_bytes(req.headers()) > MAX_HEADER_BYTES {
        Some(envelope(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            &format!("the request headers are larger than {MAX_HEADER_BYTES} bytes"),
        ))
    } else {
        None
    };
    match refusal {
        Some(e) => Ok(req.into_response(e.error_response())),
        None => Ok(next.call(req).await?.map_into_boxed_body()),
    }
}

fn header_bytes(headers: &HeaderMap) -> usize {
    headers.iter().map(|(n, v)| n.as_str().len() + v.len()).sum()
}

/// Gives the envelope to any error answer that is not JSON already: actix-cors refuses a
/// preflight with a plain-text 400, and an upstream may relay a bare or HTML error. Headers
/// other than `Content-*` are kept (CORS, `Retry-After`, `Allow`).
///
/// A refused preflight (origin, method or headers not allowed) stays a 400, as actix-cors
/// decides it: browsers only need a non-2xx answer, and a preflight carries no credentials a
/// 403 could be about.
pub async fn envelope_errors(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let preflight =
        req.method() == Method::OPTIONS && req.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let res = next.call(req).await?.map_into_boxed_body();
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) || is_json(res.headers()) {
        return Ok(res);
    }
    let error = match status {
        StatusCode::BAD_REQUEST if preflight => envelope(
            status,
            "cross-origin request refused: origin, method or headers not allowed",
        ),
        // The same words as every service's answers to unknown paths and wrong methods.
        StatusCode::NOT_FOUND => ApiError::not_found("no such resource"),
        StatusCode::METHOD_NOT_ALLOWED => ApiError::method_not_allowed(),
        StatusCode::INTERNAL_SERVER_ERROR => ApiError::internal("an error answer without detail"),
        _ => envelope(status, status.canonical_reason().unwrap_or("error")),
    };
    let (req, bare) = res.into_parts();
    let mut enveloped = error.error_response();
    for (name, value) in bare.headers() {
        if !name.as_str().starts_with("content-") {
            enveloped.headers_mut().append(name.clone(), value.clone());
        }
    }
    Ok(ServiceResponse::new(req, enveloped))
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes_take_the_status_times_ten_and_its_reason() {
        let e = envelope(StatusCode::URI_TOO_LONG, "long");
        assert_eq!((e.status_code, e.code, e.name.as_str()), (414, 4140, "URITooLong"));
        let e = request_timeout();
        assert_eq!((e.status_code, e.code, e.name.as_str()), (408, 4080, "RequestTimeout"));
        let e = envelope(StatusCode::NOT_FOUND, "x");
        assert_eq!(
            (e.code, e.name.as_str()),
            (4040, "NotFound"),
            "matches ApiError::not_found"
        );
    }
}
