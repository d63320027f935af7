//! Service-to-service HTTP client: one reqwest client per binary with a timeout, the caller's
//! `X-Request-Id` forwarded, and a service bearer token. Upstream failures map to the
//! envelope: timeout 504, unreachable 503, garbage 502; an upstream's own envelope (a 404, a
//! 409, a 9xxx) is passed on unchanged.
//!
//! A peer service configured with several instances (`services.<name>.url = [a, b]`) is
//! balanced here: a URL under its first instance goes to each instance in turn, and a call
//! whose connection is refused is sent to the next instance (it never reached the first, so
//! resending is safe for every method) while the refusing one sits out a cooldown.

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::auth::ServiceToken;
use crate::balance::Instances;
use crate::error::ApiError;
use crate::http::RequestId;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("upstream timed out")]
    Timeout,
    #[error("upstream unreachable: {0}")]
    Unreachable(String),
    #[error("upstream answered {0}")]
    Status(u16, Option<ApiError>),
    #[error("upstream answered garbage: {0}")]
    Decode(String),
}

impl From<reqwest::Error> for ClientError {
    fn from(e: reqwest::Error) -> Self {
        if e.is_timeout() {
            ClientError::Timeout
        } else if e.is_connect() {
            ClientError::Unreachable(e.to_string())
        } else if e.is_decode() {
            ClientError::Decode(e.to_string())
        } else {
            ClientError::Unreachable(e.to_string())
        }
    }
}

impl From<ClientError> for ApiError {
    fn from(e: ClientError) -> Self {
        tracing::warn!(error = %e, "upstream call failed");
        match e {
            ClientError::Timeout => ApiError::gateway_timeout("upstream service timed out"),
            ClientError::Unreachable(_) => ApiError::unavailable("upstream service unavailable"),
            ClientError::Status(_, Some(envelope)) => envelope,
            ClientError::Status(status, None) => ApiError::bad_gateway(format!("upstream service answered {status}")),
            ClientError::Decode(_) => ApiError::bad_gateway("upstream service answered garbage"),
        }
    }
}

#[derive(Clone)]
pub struct ServiceClient {
    http: reqwest::Client,
    token: Arc<ServiceToken>,
    /// Peer services with more than one instance.
    peers: Arc<[Instances]>,
    cooldown_ms: i64,
}

impl ServiceClient {
    pub fn new(timeout: Duration, token: Arc<ServiceToken>) -> Self {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(3)))
            .build()
            .expect("reqwest client with static settings");
        Self {
            http,
            token,
            peers: Arc::new([]),
            cooldown_ms: 0,
        }
    }

    pub fn from_settings(settings: &crate::config::Settings) -> Result<Self, crate::config::ConfigError> {
        let token = Arc::new(ServiceToken::from_settings(settings)?);
        Ok(Self::new(Duration::from_millis(settings.http.client_timeout_ms), token).balanced(settings))
    }

    /// Balances calls over the instances of every service configured with several.
    pub fn balanced(mut self, settings: &crate::config::Settings) -> Self {
        self.peers = settings
            .services
            .iter()
            // A `url` set in code after loading (the one-process runner, tests) replaces the list.
            .filter(|(_, s)| s.instances.len() > 1 && s.instances.first() == Some(&s.url))
            .map(|(name, s)| Instances::new(name, s.instances.clone()))
            .collect();
        self.cooldown_ms = i64::try_from(settings.http.instance_cooldown_ms).unwrap_or(i64::MAX);
        self
    }

    /// Where to send a call to `url`, in order: under the first instance of a balanced peer,
    /// the same path at each of its instances (healthy ones first, in turn); else `url` alone.
    fn targets(&self, url: &str) -> Vec<(Option<(usize, usize)>, String)> {
        for (p, peer) in self.peers.iter().enumerate() {
            let Some(first) = peer.instances().first() else {
                continue;
            };
            let Some(rest) = url.strip_prefix(first.as_str()) else {
                continue;
            };
            if rest.is_empty() || rest.starts_with('/') || rest.starts_with('?') {
                return peer
                    .candidates(crate::time::now_ms())
                    .into_iter()
                    .map(|i| (Some((p, i)), format!("{}{rest}", peer.url(i))))
                    .collect();
            }
        }
        vec![(None, url.to_string())]
    }

    /// Sends the request `build` makes for each target in turn until one is not a refused
    /// connection.
    async fn send(
        &self,
        url: &str,
        build: impl Fn(&str) -> reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, reqwest::Error> {
        let mut targets = self.targets(url).into_iter().peekable();
        loop {
            let (instance, target) = targets.next().unwrap_or((None, url.to_string()));
            let outcome = build(&target).send().await;
            match (&outcome, instance) {
                (Err(e), Some((p, i))) if e.is_connect() && targets.peek().is_some() => {
                    tracing::warn!(instance = %target, "instance refused the connection; trying the next");
                    self.peers[p].mark_down(i, crate::time::now_ms().saturating_add(self.cooldown_ms));
                }
                _ => return outcome,
            }
        }
    }

    /// A request with the request id but no credentials, for URLs that are not ours to trust.
    pub fn anonymous(
        &self,
        method: reqwest::Method,
        url: &str,
        request_id: Option<&RequestId>,
    ) -> reqwest::RequestBuilder {
        let mut rb = self.http.request(method, url);
        if let Some(id) = request_id {
            rb = rb.header("x-request-id", &id.0);
        }
        rb
    }

    /// A request with the token for the registered connector `name` (none if it has none).
    pub fn to_connector(
        &self,
        name: &str,
        method: reqwest::Method,
        url: &str,
        request_id: Option<&RequestId>,
    ) -> reqwest::RequestBuilder {
        let rb = self.anonymous(method, url, request_id);
        match self.token.connector_bearer(name) {
            Some(bearer) => rb.header("authorization", bearer),
            None => rb,
        }
    }

    /// A request with the internal service token and the request id set.
    pub fn request(
        &self,
        method: reqwest::Method,
        url: &str,
        request_id: Option<&RequestId>,
    ) -> reqwest::RequestBuilder {
        let target = self.targets(url).swap_remove(0).1;
        self.request_to(method, &target, request_id)
    }

    /// [`ServiceClient::request`] to exactly `url` (one instance).
    fn request_to(
        &self,
        method: reqwest::Method,
        url: &str,
        request_id: Option<&RequestId>,
    ) -> reqwest::RequestBuilder {
        let mut rb = self
            .http
            .request(method, url)
            .header("authorization", self.token.bearer());
        if let Some(id) = request_id {
            rb = rb.header("x-request-id", &id.0);
        }
        rb
    }

    pub async fn get_json<T: DeserializeOwned>(
        &self,
        url: &str,
        request_id: Option<&RequestId>,
    ) -> Result<T, ClientError> {
        let response = self
            .send(url, |u| self.request_to(reqwest::Method::GET, u, request_id))
            .await?;
        read_json(response).await
    }

    /// A GET whose 404 means "no such resource" rather than a failure.
    pub async fn get_optional<T: DeserializeOwned>(
        &self,
        url: &str,
        request_id: Option<&RequestId>,
    ) -> Result<Option<T>, ApiError> {
        match self.get_json(url, request_id).await {
            Ok(v) => Ok(Some(v)),
            Err(ClientError::Status(404, _)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The merchant owning the resource at `url` (its `merchantUUID`), `None` when unknown.
    pub async fn owner_of(&self, url: &str, request_id: Option<&RequestId>) -> Result<Option<String>, ApiError> {
        #[derive(serde::Deserialize)]
        struct Owned {
            #[serde(rename = "merchantUUID")]
            merchant_uuid: String,
        }
        Ok(self
            .get_optional::<Owned>(url, request_id)
            .await?
            .map(|o| o.merchant_uuid))
    }

    /// The `payTemplateId` of the template with this uuid at template-service `base`, `None`
    /// when unknown.
    pub async fn template_pay_id(
        &self,
        base: &str,
        uuid: &str,
        request_id: Option<&RequestId>,
    ) -> Result<Option<String>, ApiError> {
        #[derive(serde::Deserialize)]
        struct Template {
            #[serde(rename = "payTemplateId")]
            pay_template_id: String,
        }
        let url = format!(
            "{}/internal/v1/payModeTemplates/{}",
            base.trim_end_matches('/'),
            crate::path::segment(uuid)
        );
        Ok(self
            .get_optional::<Template>(&url, request_id)
            .await?
            .map(|t| t.pay_template_id))
    }

    pub async fn post_json<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        url: &str,
        body: &B,
        request_id: Option<&RequestId>,
    ) -> Result<T, ClientError> {
        let response = self
            .send(url, |u| {
                self.request_to(reqwest::Method::POST, u, request_id).json(body)
            })
            .await?;
        read_json(response).await
    }
}

/// The registered connectors by base URL: a URL belongs to a connector when it is its base
/// or lies below it (`{base}/...`), never by a bare prefix (`:62010` is not below `:6201`).
/// Only a registered connector's URL receives a credential, and only that connector's own.
#[derive(Debug, Clone, Default)]
pub struct ConnectorRegistry(Vec<(String, String)>);

impl ConnectorRegistry {
    pub fn new(entries: Vec<(String, String)>) -> Self {
        Self(
            entries
                .into_iter()
                .map(|(n, b)| (n, b.trim_end_matches('/').to_string()))
                .filter(|(_, b)| !b.is_empty())
                .collect(),
        )
    }

    pub fn from_settings(settings: &crate::config::Settings) -> Self {
        Self::new(settings.connector_registry())
    }

    /// The connector owning `url`, if it is a registered one's.
    pub fn name_of(&self, url: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(_, b)| {
                url == b
                    || url
                        .strip_prefix(b.as_str())
                        .is_some_and(|rest| rest.starts_with(['/', '?']))
            })
            .map(|(n, _)| n.as_str())
    }
}

/// A 2xx body as `T`; anything else as [`ClientError::Status`] with the envelope if it is one.
pub async fn read_json<T: DeserializeOwned>(resp: reqwest::Response) -> Result<T, ClientError> {
    let status = resp.status();
    let bytes = resp.bytes().await?;
    if status.is_success() {
        serde_json::from_slice(&bytes).map_err(|e| ClientError::Decode(e.to_string()))
    } else {
        Err(ClientError::Status(
            status.as_u16(),
            serde_json::from_slice::<ApiError>(&bytes).ok(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_web::test]
    async fn calls_to_a_replicated_peer_take_its_instances_in_turn_and_skip_one_that_refuses() {
        use actix_web::{App, HttpResponse, HttpServer, web};
        let mut live = Vec::new();
        for _ in 0..2 {
            let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
            let port = listener.local_addr().unwrap().port();
            let server = HttpServer::new(move || {
                App::new().route(
                    "/x",
                    web::get().to(move || async move { HttpResponse::Ok().json(port) }),
                )
            })
            .workers(1)
            .listen(listener)
            .unwrap()
            .run();
            actix_web::rt::spawn(server);
            live.push(port);
        }
        let refused = std::net::TcpListener::bind(("127.0.0.1", 0))
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut settings = crate::testing::settings();
        let urls: Vec<String> = [refused, live[0], live[1]]
            .iter()
            .map(|p| format!("http://127.0.0.1:{p}"))
            .collect();
        let svc = settings.services.get_mut("payorder").unwrap();
        svc.url = urls[0].clone();
        svc.instances = urls.clone();
        let client = ServiceClient::from_settings(&settings).unwrap();
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..6 {
            let port: u16 = client.get_json(&format!("{}/x", urls[0]), None).await.unwrap();
            seen.insert(port);
        }
        assert_eq!(
            seen,
            live.iter().copied().collect(),
            "both live instances served, none failed"
        );
        assert!(
            client.peers[0].candidates(crate::time::now_ms()).last() == Some(&0),
            "the refusing one sits out"
        );
        let other: Result<u16, _> = client.get_json(&format!("http://localhost:{refused}/x"), None).await;
        assert!(other.is_err(), "a URL of no balanced peer goes where it says");
    }

    #[test]
    fn only_urls_below_a_registered_base_belong_to_its_connector() {
        let r = ConnectorRegistry::new(vec![
            ("sign_account".into(), "http://127.0.0.1:6201/".into()),
            ("acme".into(), "https://pay.partner.example".into()),
        ]);
        assert_eq!(r.name_of("http://127.0.0.1:6201/connector/pay"), Some("sign_account"));
        assert_eq!(r.name_of("https://pay.partner.example/x?y=1"), Some("acme"));
        assert_eq!(r.name_of("http://127.0.0.1:62010/connector/pay"), None);
        assert_eq!(r.name_of("https://pay.partner.example.evil.com/x"), None);
        assert_eq!(r.name_of("http://merchant.example/pay"), None);
    }
}
