//! Public URLs for hrefs. Behind the gateway a service sees `X-Forwarded-Proto`,
//! `X-Forwarded-Host` and `X-Forwarded-Prefix` (set by the gateway, never taken from clients)
//! and builds hrefs that point at the gateway; called directly, it falls back to the
//! configured `public_url`, then to its own scheme and Host.

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};

use crate::error::ApiError;

/// API path prefix every service serves (`/api/v1` is an alias).
pub const API_PREFIX: &str = "/api/v1.0.0";

/// The configured fallback, registered as app data.
#[derive(Debug, Clone, Default)]
pub struct PublicUrlConfig {
    pub public_url: Option<String>,
}

/// The public base of the current request: `{proto}://{host}{prefix}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(pub String);

impl BaseUrl {
    /// `{base}/api/v1.0.0/{path}`.
    pub fn api(&self, path: &str) -> String {
        format!("{}{API_PREFIX}/{}", self.0, path.trim_start_matches('/'))
    }

    /// The public URL of the current request (path and query), for a collection's `href`.
    pub fn request_href(&self, req: &HttpRequest) -> String {
        match req.uri().query() {
            Some(q) if !q.is_empty() => format!("{}{}?{q}", self.0, req.path()),
            _ => format!("{}{}", self.0, req.path()),
        }
    }

    pub fn from_request(req: &HttpRequest) -> BaseUrl {
        let header = |name: &str| {
            req.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        if let Some(host) = header("x-forwarded-host") {
            let proto = header("x-forwarded-proto").unwrap_or("http");
            let prefix = header("x-forwarded-prefix").unwrap_or("").trim_end_matches('/');
            return BaseUrl(format!("{proto}://{host}{prefix}"));
        }
        if let Some(url) = req
            .app_data::<web::Data<PublicUrlConfig>>()
            .and_then(|c| c.public_url.clone())
            .filter(|u| !u.is_empty())
        {
            return BaseUrl(url.trim_end_matches('/').to_string());
        }
        let info = req.connection_info();
        BaseUrl(format!("{}://{}", info.scheme(), info.host()))
    }
}

impl FromRequest for BaseUrl {
    type Error = ApiError;
    type Future = Ready<Result<BaseUrl, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(BaseUrl::from_request(req)))
    }
}

/// `{"href": ...}`: a link to a related resource (`href` null where there is none).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Link {
    /// The related resource's URL; null when there is none.
    #[schema(format = "uri")]
    pub href: Option<String>,
}

impl Link {
    pub fn to(href: impl Into<String>) -> Self {
        Self {
            href: Some(href.into()),
        }
    }
}

/// `{"href": ...}` as used for links.
pub fn link(href: Option<String>) -> serde_json::Value {
    serde_json::json!({ "href": href })
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn forwarded_headers_win() {
        let req = TestRequest::get()
            .uri("/api/v1.0.0/payModeTemplates?limit=2")
            .insert_header(("X-Forwarded-Proto", "https"))
            .insert_header(("X-Forwarded-Host", "pay.example.com"))
            .insert_header(("X-Forwarded-Prefix", "/payServer"))
            .to_http_request();
        let base = BaseUrl::from_request(&req);
        assert_eq!(base.0, "https://pay.example.com/payServer");
        assert_eq!(
            base.api("payModeTemplates/x"),
            "https://pay.example.com/payServer/api/v1.0.0/payModeTemplates/x"
        );
        assert_eq!(
            base.request_href(&req),
            "https://pay.example.com/payServer/api/v1.0.0/payModeTemplates?limit=2"
        );
    }

    #[test]
    fn falls_back_to_the_configured_url() {
        let req = TestRequest::get()
            .app_data(web::Data::new(PublicUrlConfig {
                public_url: Some("http://gw:8080/payServer/".into()),
            }))
            .to_http_request();
        assert_eq!(BaseUrl::from_request(&req).0, "http://gw:8080/payServer");
    }
}
