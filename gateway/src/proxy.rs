//! Forwarding a request to its owner: the raw path checked first (the trust boundary), then
//! the JWT (no `service` tokens from outside), the route, the body within its limit and time,
//! the request id and `X-Forwarded-*` headers set, hop-by-hop headers dropped both ways.

use std::net::IpAddr;
use std::time::Duration;

use actix_web::http::header::{self, HeaderMap, HeaderName};
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use payserver_shared::ApiError;
use payserver_shared::auth::{JwtVerifier, Role, Scope};
use payserver_shared::http::RequestId;

use crate::limits::Limits;
use crate::routing::{RouteError, RouteTable, check_path};

/// What the proxy needs, shared by all workers.
pub struct Proxy {
    pub routes: RouteTable,
    pub limits: Limits,
    pub instance_cooldown_ms: i64,
    pub client: reqwest::Client,
    pub prefix: String,
    pub body_limit: usize,
    /// How long a client may take to send its body (408 past it).
    pub body_timeout: Duration,
    /// `(proto, host, prefix)` from the configured public URL, if any.
    pub public: Option<(String, String, String)>,
    pub trust_forwarded: bool,
}

impl Proxy {
    pub fn client(timeout: Duration) -> reqwest::Client {
        reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(Duration::from_secs(3))
            .pool_idle_timeout(Duration::from_secs(60))
            .build()
            .expect("reqwest client with static settings")
    }
}

/// Splits `https://pay.example.com/payServer` into its proto, host and path prefix.
pub fn split_public_url(url: &str) -> Option<(String, String, String)> {
    let (proto, rest) = url.split_once("://")?;
    let (host, prefix) = rest.split_once('/').map_or((rest, ""), |(h, p)| (h, p));
    (!host.is_empty()).then(|| {
        (
            proto.to_string(),
            host.to_string(),
            format!("/{}", prefix.trim_matches('/'))
                .trim_end_matches('/')
                .to_string(),
        )
    })
}

/// Headers that describe one connection, not the message (RFC 9110 §7.6.1), plus those the
/// gateway sets itself.
fn is_hop_by_hop(name: &HeaderName, connection_listed: &[String]) -> bool {
    matches!(
        name.as_str(),
        "connection"
            | "keep-alive"
            | "proxy-authenticate"
            | "proxy-authorization"
            | "proxy-connection"
            | "te"
            | "trailer"
            | "transfer-encoding"
            | "upgrade"
            | "host"
            | "content-length"
    ) || connection_listed.iter().any(|c| c == name.as_str())
}

fn connection_listed(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(header::CONNECTION)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The client's address: the socket peer, or the first hop a trusted proxy reports.
fn client_ip(req: &HttpRequest, proxy: &Proxy) -> IpAddr {
    let peer = req.peer_addr().map(|a| a.ip()).unwrap_or(IpAddr::from([0, 0, 0, 0]));
    if !proxy.trust_forwarded {
        return peer;
    }
    req.headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .and_then(|first| first.trim().parse().ok())
        .unwrap_or(peer)
}

/// 429 with the envelope and `Retry-After` in whole seconds.
fn too_many(wait: Duration, who: &str) -> HttpResponse {
    let secs = wait.as_secs_f64().ceil().max(1.0) as u64;
    let mut resp = ApiError::too_many_requests(format!("rate limit of this {who} exceeded; retry after {secs} s"))
        .error_response();
    resp.headers_mut()
        .insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
    resp
}

fn upstream_error(upstream: &str, e: &reqwest::Error) -> ApiError {
    tracing::warn!(upstream, error = %e, "upstream call failed");
    if e.is_timeout() {
        ApiError::gateway_timeout("the service owning this resource timed out")
    } else if e.is_connect() {
        ApiError::unavailable("the service owning this resource is unreachable")
    } else {
        ApiError::bad_gateway("the service owning this resource failed")
    }
}

/// The same answer for every path refused at the trust boundary as for an unknown one: a
/// client learns nothing about what lies behind the gateway.
fn no_such_resource() -> ApiError {
    ApiError::not_found("no such resource")
}

/// The upstream URL for `path`, or `None` when the URL parser would send another path than the
/// one checked: a normalisation the checker did not foresee must not reach a different route.
fn upstream_url(base: &str, path: &str, query: Option<&str>) -> Option<reqwest::Url> {
    let mut url = reqwest::Url::parse(base).ok()?;
    let want = format!("{}{path}", url.path().trim_end_matches('/'));
    url.set_path(&want);
    url.set_query(query.filter(|q| !q.is_empty()));
    (url.path() == want).then_some(url)
}

pub async fn forward(
    req: HttpRequest,
    payload: web::Payload,
    proxy: web::Data<Proxy>,
    verifier: web::Data<JwtVerifier>,
    request_id: RequestId,
) -> Result<HttpResponse, ApiError> {
    // The trust boundary, before anything else is done with the path: the raw path as the
    // client sent it (actix's match info is already decoded) must name a public route as is.
    let raw = req.uri().path();
    let path = raw
        .strip_prefix(proxy.prefix.as_str())
        .filter(|p| p.starts_with('/'))
        .ok_or_else(no_such_resource)?;
    if let Err(why) = check_path(raw) {
        tracing::warn!(why, "path refused at the trust boundary");
        return Err(no_such_resource());
    }

    let ip = client_ip(&req, &proxy);
    if let Err(wait) = proxy.limits.check_ip(ip) {
        return Ok(too_many(wait, "client"));
    }
    // Nothing is forwarded for a caller without a valid token.
    let auth = req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let caller = verifier.verify_header(auth)?;
    // Service tokens exist only between services, which accept them on internal routes only;
    // one presented from outside has leaked.
    if caller.has(Role::Service) || caller.scope != Scope::Public {
        tracing::warn!(subject = %caller.subject, "service token presented at the gateway");
        return Err(ApiError::forbidden("service credentials are not accepted here"));
    }
    let key = caller
        .merchant_uuid
        .clone()
        .unwrap_or_else(|| format!("sub:{}", caller.subject));
    if let Err(wait) = proxy.limits.check_merchant(&key) {
        return Ok(too_many(wait, "merchant"));
    }

    let upstream = proxy.routes.resolve(path).map_err(|e| match e {
        RouteError::Unknown => no_such_resource(),
        RouteError::NoInstance(name) => {
            tracing::error!(upstream = %name, "route names an upstream with no instances");
            ApiError::unavailable("the service owning this resource is not available")
        }
    })?;

    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > proxy.body_limit) {
        return Err(ApiError::payload_too_large(proxy.body_limit));
    }
    let body = read_body(payload, &proxy).await?;

    let method =
        reqwest::Method::from_bytes(req.method().as_str().as_bytes()).map_err(|_| ApiError::method_not_allowed())?;
    let headers = outgoing_headers(&req, &proxy, ip, &request_id)?;

    tracing::debug!(upstream = %upstream.name, subject = %caller.subject, "forwarding");
    let now = payserver_shared::time::now_ms();
    let mut last_error = ApiError::unavailable("the service owning this resource is unreachable");
    for i in upstream.candidates(now) {
        let Some(url) = upstream_url(upstream.url(i), path, req.uri().query()) else {
            tracing::warn!("path would be rewritten on the way to the service");
            return Err(no_such_resource());
        };
        match proxy
            .client
            .request(method.clone(), url)
            .headers(headers.clone())
            .body(body.clone())
            .send()
            .await
        {
            Ok(resp) => return relay(resp, &upstream.name).await,
            // The connection was refused: nothing reached that instance, so the next one may
            // take the request. Any other failure may have reached it: no retry.
            Err(e) if e.is_connect() => {
                upstream.mark_down(i, now + proxy.instance_cooldown_ms);
                last_error = upstream_error(&upstream.name, &e);
            }
            Err(e) => return Err(upstream_error(&upstream.name, &e)),
        }
    }
    Err(last_error)
}

/// The body, within the size limit (413) and the time a client may take to send it (408).
async fn read_body(payload: web::Payload, proxy: &Proxy) -> Result<web::Bytes, ApiError> {
    use actix_web::error::PayloadError;
    let read = tokio::time::timeout(proxy.body_timeout, payload.to_bytes_limited(proxy.body_limit));
    match read.await {
        Err(_elapsed) => Err(crate::edge::request_timeout()),
        Ok(Err(_exceeded)) => Err(ApiError::payload_too_large(proxy.body_limit)),
        Ok(Ok(Ok(body))) => Ok(body),
        // `Overflow` is how actix itself says a size limit was reached; anything else is a
        // body that cannot be read (a broken chunked encoding, a client that went away).
        Ok(Ok(Err(e))) => match e.as_error::<PayloadError>() {
            Some(PayloadError::Overflow) => Err(ApiError::payload_too_large(proxy.body_limit)),
            _ => Err(ApiError::bad_request("unreadable request body")),
        },
    }
}

/// The request's headers for the upstream: end-to-end ones only, plus the request id and
/// the `X-Forwarded-*` the gateway vouches for.
fn outgoing_headers(
    req: &HttpRequest,
    proxy: &Proxy,
    ip: IpAddr,
    request_id: &RequestId,
) -> Result<reqwest::header::HeaderMap, ApiError> {
    use reqwest::header::{HeaderMap, HeaderName as RName, HeaderValue as RValue};
    let mut out = HeaderMap::new();
    let listed = connection_listed(req.headers());
    for (name, value) in req.headers() {
        if is_hop_by_hop(name, &listed)
            || name.as_str().starts_with("x-forwarded-")
            || name == "x-request-id"
            || name == "forwarded"
        {
            continue;
        }
        if let (Ok(n), Ok(v)) = (
            RName::from_bytes(name.as_str().as_bytes()),
            RValue::from_bytes(value.as_bytes()),
        ) {
            out.append(n, v);
        }
    }
    let (proto, host, prefix) = forwarded_origin(req, proxy);
    let forwarded_for = match req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok()) {
        Some(prior) if proxy.trust_forwarded => format!("{prior}, {ip}"),
        _ => ip.to_string(),
    };
    let bad = |_| ApiError::bad_request("request headers cannot be forwarded");
    out.insert("x-request-id", RValue::from_str(&request_id.0).map_err(bad)?);
    out.insert("x-forwarded-proto", RValue::from_str(&proto).map_err(bad)?);
    out.insert("x-forwarded-host", RValue::from_str(&host).map_err(bad)?);
    out.insert("x-forwarded-prefix", RValue::from_str(&prefix).map_err(bad)?);
    out.insert("x-forwarded-for", RValue::from_str(&forwarded_for).map_err(bad)?);
    Ok(out)
}

/// The upstream's answer, less hop-by-hop headers.
async fn relay(resp: reqwest::Response, upstream: &str) -> Result<HttpResponse, ApiError> {
    let status = actix_web::http::StatusCode::from_u16(resp.status().as_u16())
        .map_err(|_| ApiError::bad_gateway("upstream answered an invalid status"))?;
    let mut builder = HttpResponse::build(status);
    let listed = connection_listed_reqwest(resp.headers());
    for (name, value) in resp.headers() {
        let Ok(name) = HeaderName::from_bytes(name.as_str().as_bytes()) else {
            continue;
        };
        if is_hop_by_hop(&name, &listed) || name == "x-request-id" {
            continue;
        }
        builder.append_header((name, value.as_bytes()));
    }
    let body = resp.bytes().await.map_err(|e| upstream_error(upstream, &e))?;
    Ok(builder.body(body))
}

fn connection_listed_reqwest(headers: &reqwest::header::HeaderMap) -> Vec<String> {
    headers
        .get_all("connection")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|s| s.trim().to_ascii_lowercase())
        .collect()
}

/// What the services should put in hrefs: the configured public URL, else what a trusted
/// proxy in front said, else the request's own scheme and Host, always with our prefix.
fn forwarded_origin(req: &HttpRequest, proxy: &Proxy) -> (String, String, String) {
    if let Some((proto, host, prefix)) = &proxy.public {
        return (proto.clone(), host.clone(), prefix.clone());
    }
    let info = req.connection_info();
    if proxy.trust_forwarded {
        let header = |n: &str| req.headers().get(n).and_then(|v| v.to_str().ok()).map(str::to_string);
        let proto = header("x-forwarded-proto").unwrap_or_else(|| info.scheme().to_string());
        let host = header("x-forwarded-host").unwrap_or_else(|| info.host().to_string());
        let outer = header("x-forwarded-prefix").unwrap_or_default();
        return (proto, host, format!("{}{}", outer.trim_end_matches('/'), proxy.prefix));
    }
    // connection_info() reads Forwarded/X-Forwarded-* itself; without trust, use the socket's
    // scheme and the Host header only.
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost")
        .to_string();
    let scheme = if req.app_config().secure() { "https" } else { "http" };
    (scheme.to_string(), host, proxy.prefix.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_urls_split_into_proto_host_and_prefix() {
        assert_eq!(
            split_public_url("https://pay.example.com/payServer"),
            Some(("https".into(), "pay.example.com".into(), "/payServer".into()))
        );
        assert_eq!(
            split_public_url("http://gw:8080/payServer/"),
            Some(("http".into(), "gw:8080".into(), "/payServer".into()))
        );
        assert_eq!(
            split_public_url("http://gw:8080"),
            Some(("http".into(), "gw:8080".into(), "".into()))
        );
        assert_eq!(split_public_url("nonsense"), None);
    }
}
