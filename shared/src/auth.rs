//! JWT verification (API.md A.1 "Auth") as an actix extractor, and token minting for
//! development tokens and service-to-service calls.
//!
//! One algorithm is configured (HS256 with a shared secret, or RS256/ES256 with a public key);
//! a token whose header names any other algorithm, `none` included, is refused, so an attacker
//! cannot switch an RS256 deployment to HS256 signed with the public key. `exp` is required;
//! `iss` and `aud` are checked when configured.

use std::future::{Ready, ready};
use std::sync::Mutex;

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::config::{ConfigError, JwtAlgorithm, Settings};
use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Claims {
    pub sub: String,
    pub exp: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// A string or an array of strings, as RFC 7519 allows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<serde_json::Value>,
    #[serde(rename = "merchantUUID", default, skip_serializing_if = "Option::is_none")]
    pub merchant_uuid: Option<String>,
    #[serde(rename = "merchantHref", default, skip_serializing_if = "Option::is_none")]
    pub merchant_href: Option<String>,
    #[serde(default)]
    pub roles: Vec<String>,
    /// For role `connector`: which connector this credential belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connector: Option<String>,
}

/// The audience of service-to-service tokens.
pub const INTERNAL_AUDIENCE: &str = "payserver-internal";
const CONNECTOR_AUDIENCE_PREFIX: &str = "payserver-connector:";

/// The audience of the token the platform presents to connector `name`.
pub fn connector_audience(name: &str) -> String {
    format!("{CONNECTOR_AUDIENCE_PREFIX}{name}")
}

/// Where a verified token may be used (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Scope {
    #[default]
    Public,
    Internal,
    /// A call from the platform to this connector.
    ConnectorCall(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Merchant,
    Admin,
    Connector,
    Service,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Merchant => "merchant",
            Role::Admin => "admin",
            Role::Connector => "connector",
            Role::Service => "service",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Role::Merchant, Role::Admin, Role::Connector, Role::Service]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

/// Who is calling: the verified token's subject, merchant, roles, connector and scope.
#[derive(Debug, Clone, Default)]
pub struct Caller {
    pub subject: String,
    pub merchant_uuid: Option<String>,
    pub merchant_href: Option<String>,
    pub roles: Vec<Role>,
    /// The `connector` claim of a connector credential.
    pub connector: Option<String>,
    pub scope: Scope,
}

impl Caller {
    /// The connector a `connector` credential speaks for; 403 for any other caller.
    pub fn connector_name(&self) -> ApiResult<&str> {
        match (&self.connector, self.has(Role::Connector)) {
            (Some(name), true) if !name.is_empty() => Ok(name),
            _ => Err(ApiError::forbidden(
                "this call needs a connector credential (role connector with a connector claim)",
            )),
        }
    }

    /// For merchant routes: the `merchant` or `admin` role.
    pub fn require_merchant_or_admin(&self) -> ApiResult<()> {
        if self.has(Role::Merchant) || self.has(Role::Admin) {
            Ok(())
        } else {
            Err(ApiError::forbidden("this call needs the merchant or admin role"))
        }
    }

    /// Whether this caller may use a route under `path` (a service's own path, after any
    /// gateway prefix): `/internal/...` takes only internal service tokens, `/connector/...`
    /// only the platform's connector-call tokens, everything else only public tokens without
    /// the `service` role.
    pub fn admit(self, path: &str) -> ApiResult<Caller> {
        let ok = if path.starts_with("/internal/") {
            self.scope == Scope::Internal && self.has(Role::Service)
        } else if path.starts_with("/connector/") {
            matches!(self.scope, Scope::ConnectorCall(_)) && self.has(Role::Service)
        } else {
            self.scope == Scope::Public && !self.has(Role::Service)
        };
        if ok {
            Ok(self)
        } else if path.starts_with("/internal/") || path.starts_with("/connector/") {
            Err(ApiError::forbidden(
                "this route takes only the platform's service credential",
            ))
        } else {
            Err(ApiError::forbidden(
                "service credentials are not accepted on public routes",
            ))
        }
    }

    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Admins and services act across merchants. Service tokens only ever reach internal
    /// routes (see [`Caller::admit`]), so on a public route this means admin.
    pub fn is_privileged(&self) -> bool {
        self.has(Role::Admin) || self.has(Role::Service)
    }

    pub fn require(&self, role: Role) -> ApiResult<()> {
        if self.has(role) {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "this call needs the {} role",
                role.as_str()
            )))
        }
    }

    /// For calls on a merchant's pay and refund data: a merchant (for itself), an admin, or a
    /// service on an internal route; `connector` tokens only notify.
    pub fn require_merchant_or_privileged(&self) -> ApiResult<()> {
        if self.has(Role::Merchant) || self.is_privileged() {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "this call needs the merchant, admin or service role",
            ))
        }
    }

    /// The merchant a request acts for (seed rule): the one it names, else the token's.
    /// Naming another merchant is a 403 unless the caller is admin or a service.
    pub fn acting_merchant(&self, named: Option<&str>) -> ApiResult<String> {
        match (named, &self.merchant_uuid) {
            (Some(n), Some(own)) if n == own => Ok(n.to_string()),
            (Some(n), _) if self.is_privileged() => Ok(n.to_string()),
            (Some(_), _) => Err(ApiError::forbidden("another merchant's data")),
            (None, Some(own)) => Ok(own.clone()),
            (None, None) => Err(ApiError::forbidden("the token names no merchant; give merchantUUID")),
        }
    }

    /// The merchant a list is scoped to: like [`Caller::acting_merchant`], except that an
    /// admin or service naming nobody sees every merchant (`None`).
    pub fn list_scope(&self, named: Option<&str>) -> ApiResult<Option<String>> {
        if named.is_none() && self.is_privileged() {
            return Ok(None);
        }
        self.acting_merchant(named).map(Some)
    }

    /// `true` when the caller may see a resource of `merchant`.
    pub fn may_see(&self, merchant: &str) -> bool {
        self.is_privileged() || self.merchant_uuid.as_deref() == Some(merchant)
    }
}

/// The merchant uuid named by a `merchantHref` (its last path segment) or a `merchantUUID`.
pub fn merchant_from_href(href: &str) -> Option<String> {
    let path = href.split(['?', '#']).next().unwrap_or_default().trim_end_matches('/');
    let last = path.rsplit('/').next()?;
    (!last.is_empty()
        && last
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    .then(|| last.to_string())
}

/// Verifies bearer tokens; registered as app data in every binary.
pub struct JwtVerifier {
    key: DecodingKey,
    validation: Validation,
    /// The configured public audience, if any.
    audience: Option<String>,
}

impl JwtVerifier {
    pub fn from_settings(settings: &Settings) -> Result<Self, ConfigError> {
        let auth = &settings.auth;
        let bad = |what: &str| ConfigError::Invalid(what.to_string());
        let (algorithm, key) = match auth.algorithm {
            JwtAlgorithm::HS256 => {
                let secret = settings
                    .hs256_secret()
                    .ok_or_else(|| bad("auth.jwt_secret is not set (HS256)"))?;
                (
                    Algorithm::HS256,
                    DecodingKey::from_secret(secret.expose_secret().as_bytes()),
                )
            }
            alg => {
                let pem = match (&auth.jwt_public_key, &auth.jwt_public_key_file) {
                    (Some(pem), _) if !pem.trim().is_empty() => pem.clone(),
                    (_, Some(path)) => std::fs::read_to_string(path).map_err(|e| {
                        ConfigError::Invalid(format!("auth.jwt_public_key_file {}: {e}", path.display()))
                    })?,
                    _ => return Err(bad("auth.jwt_public_key is not set")),
                };
                let key = if alg == JwtAlgorithm::RS256 {
                    DecodingKey::from_rsa_pem(pem.as_bytes())
                } else {
                    DecodingKey::from_ec_pem(pem.as_bytes())
                }
                .map_err(|e| ConfigError::Invalid(format!("auth.jwt_public_key: {e}")))?;
                let algorithm = if alg == JwtAlgorithm::RS256 {
                    Algorithm::RS256
                } else {
                    Algorithm::ES256
                };
                (algorithm, key)
            }
        };
        let mut validation = Validation::new(algorithm);
        validation.leeway = 30;
        validation.validate_nbf = true;
        let mut required = vec!["exp"];
        if let Some(iss) = auth.issuer.as_ref().filter(|s| !s.is_empty()) {
            validation.set_issuer(&[iss]);
            required.push("iss");
        }
        // The audience decides the token's scope, so it is read here rather than by the
        // library (which knows one accepted audience only).
        validation.validate_aud = false;
        validation.set_required_spec_claims(&required);
        let audience = auth.audience.clone().filter(|s| !s.is_empty());
        Ok(Self {
            key,
            validation,
            audience,
        })
    }

    /// The scope a token's `aud` gives it; `None` for an audience this deployment refuses.
    fn scope_of(&self, aud: Option<&serde_json::Value>) -> Option<Scope> {
        let auds: Vec<&str> = match aud {
            None => Vec::new(),
            Some(serde_json::Value::String(s)) => vec![s.as_str()],
            Some(serde_json::Value::Array(a)) => a.iter().filter_map(|v| v.as_str()).collect(),
            Some(_) => return None,
        };
        if auds.contains(&INTERNAL_AUDIENCE) {
            return (auds.len() == 1).then_some(Scope::Internal);
        }
        if let Some(name) = auds.iter().find_map(|a| a.strip_prefix(CONNECTOR_AUDIENCE_PREFIX)) {
            return (auds.len() == 1 && !name.is_empty()).then(|| Scope::ConnectorCall(name.to_string()));
        }
        match &self.audience {
            Some(want) => auds.contains(&want.as_str()).then_some(Scope::Public),
            None => Some(Scope::Public),
        }
    }

    pub fn verify(&self, token: &str) -> ApiResult<Caller> {
        let data = decode::<Claims>(token, &self.key, &self.validation).map_err(|e| {
            use jsonwebtoken::errors::ErrorKind;
            let why = match e.kind() {
                ErrorKind::ExpiredSignature => "token expired",
                ErrorKind::ImmatureSignature => "token is not valid yet",
                ErrorKind::InvalidSignature => "token signature is invalid",
                ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName => "token algorithm is not accepted",
                ErrorKind::InvalidIssuer => "token issuer is not accepted",
                ErrorKind::InvalidAudience => "token audience is not accepted",
                ErrorKind::MissingRequiredClaim(_) => "token lacks a required claim",
                _ => "token is malformed",
            };
            ApiError::unauthorized(why)
        })?;
        let c = data.claims;
        let scope = self
            .scope_of(c.aud.as_ref())
            .ok_or_else(|| ApiError::unauthorized("token audience is not accepted"))?;
        Ok(Caller {
            subject: c.sub,
            merchant_uuid: c.merchant_uuid.filter(|m| !m.is_empty()),
            merchant_href: c.merchant_href.filter(|m| !m.is_empty()),
            roles: c.roles.iter().filter_map(|r| Role::parse(r)).collect(),
            connector: c.connector.filter(|n| !n.is_empty()),
            scope,
        })
    }

    /// Verifies an `Authorization: Bearer ...` header value.
    pub fn verify_header(&self, header: Option<&str>) -> ApiResult<Caller> {
        let header = header.ok_or_else(|| ApiError::unauthorized("missing bearer token"))?;
        let token = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError::unauthorized("missing bearer token"))?;
        self.verify(token)
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Ready<Result<Caller, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(verifier) = req.app_data::<web::Data<JwtVerifier>>() else {
            return ready(Err(ApiError::internal("JwtVerifier is not registered as app data")));
        };
        let header = req
            .headers()
            .get(actix_web::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        ready(verifier.verify_header(header).and_then(|c| c.admit(req.path())))
    }
}

/// Signs a token with a PEM private key (RS256/ES256): how an operator issues credentials in
/// production (`payserver token --private-key FILE`).
pub fn mint_with_pem(
    algorithm: JwtAlgorithm,
    pem: &[u8],
    claims: &Claims,
) -> Result<String, jsonwebtoken::errors::Error> {
    let (alg, key) = match algorithm {
        JwtAlgorithm::RS256 => (Algorithm::RS256, EncodingKey::from_rsa_pem(pem)?),
        JwtAlgorithm::ES256 => (Algorithm::ES256, EncodingKey::from_ec_pem(pem)?),
        JwtAlgorithm::HS256 => (Algorithm::HS256, EncodingKey::from_secret(pem)),
    };
    encode(&Header::new(alg), claims, &key)
}

/// Signs HS256 tokens (development tokens, service tokens).
pub fn mint_hs256(secret: &SecretString, claims: &Claims) -> Result<String, jsonwebtoken::errors::Error> {
    encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.expose_secret().as_bytes()),
    )
}

/// Claims of a token valid for `ttl_secs` from now.
pub fn claims_for(subject: &str, merchant: Option<&str>, roles: &[Role], ttl_secs: i64, settings: &Settings) -> Claims {
    let now = crate::time::now_ms() / 1000;
    Claims {
        sub: subject.to_string(),
        exp: now + ttl_secs,
        iat: Some(now),
        iss: settings.auth.issuer.clone().filter(|s| !s.is_empty()),
        aud: settings
            .auth
            .audience
            .clone()
            .filter(|s| !s.is_empty())
            .map(serde_json::Value::String),
        merchant_uuid: merchant.map(str::to_string),
        merchant_href: None,
        roles: roles.iter().map(|r| r.as_str().to_string()).collect(),
        connector: None,
    }
}

/// A token for one audience: pre-issued by the operator (production, where services hold
/// only the public key and cannot mint), else minted with the HS256 secret (development)
/// and renewed before it expires.
struct TokenSource {
    fixed: Option<SecretString>,
    minting: Option<(SecretString, Claims)>,
    cached: Mutex<Option<(String, i64)>>,
}

const MINTED_TOKEN_TTL: i64 = 3600;

impl TokenSource {
    fn new(fixed: Option<&SecretString>, settings: &Settings, template: Claims) -> Option<Self> {
        let fixed = fixed.filter(|t| !t.expose_secret().is_empty()).cloned();
        let minting = match (settings.auth.algorithm, settings.hs256_secret()) {
            (JwtAlgorithm::HS256, Some(secret)) if fixed.is_none() => Some((secret.clone(), template)),
            _ => None,
        };
        (fixed.is_some() || minting.is_some()).then(|| Self {
            fixed,
            minting,
            cached: Mutex::new(None),
        })
    }

    fn bearer(&self) -> String {
        if let Some(fixed) = &self.fixed {
            return format!("Bearer {}", fixed.expose_secret());
        }
        let now = crate::time::now_ms() / 1000;
        let mut cached = self.cached.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((token, exp)) = cached.as_ref()
            && *exp - now > MINTED_TOKEN_TTL / 4
        {
            return format!("Bearer {token}");
        }
        let (secret, template) = self.minting.as_ref().expect("minting is set when fixed is not");
        let claims = Claims {
            exp: now + MINTED_TOKEN_TTL,
            iat: Some(now),
            ..template.clone()
        };
        let token = mint_hs256(secret, &claims).expect("HS256 signing cannot fail");
        *cached = Some((token.clone(), claims.exp));
        format!("Bearer {token}")
    }
}

fn service_claims(settings: &Settings, audience: String) -> Claims {
    Claims {
        aud: Some(serde_json::Value::String(audience)),
        ..claims_for("payserver-service", None, &[Role::Service], 0, settings)
    }
}

/// The credentials a service presents: the internal token to other services
/// (`auth.service_token`, audience [`INTERNAL_AUDIENCE`]) and, per registered connector, the
/// token for that connector only (`auth.connector_call_tokens.<name>`, audience
/// `payserver-connector:<name>`). In development both are minted with the HS256 secret.
pub struct ServiceToken {
    internal: TokenSource,
    connector_calls: std::collections::BTreeMap<String, TokenSource>,
}

impl ServiceToken {
    pub fn from_settings(settings: &Settings) -> Result<Self, ConfigError> {
        let internal = TokenSource::new(
            settings.auth.service_token.as_ref(),
            settings,
            service_claims(settings, INTERNAL_AUDIENCE.to_string()),
        )
        .ok_or_else(|| {
            ConfigError::Invalid("auth.service_token is required unless an HS256 secret is configured".into())
        })?;
        let connector_calls = settings
            .connector_registry()
            .into_iter()
            .filter_map(|(name, _)| {
                let fixed = settings.auth.connector_call_tokens.get(&name);
                TokenSource::new(fixed, settings, service_claims(settings, connector_audience(&name)))
                    .map(|t| (name, t))
            })
            .collect();
        Ok(Self {
            internal,
            connector_calls,
        })
    }

    /// `Bearer …` for calls to other services' internal routes.
    pub fn bearer(&self) -> String {
        self.internal.bearer()
    }

    /// `Bearer …` for calls to the registered connector `name`; `None` when no credential for
    /// it is configured (the call then goes without one).
    pub fn connector_bearer(&self, name: &str) -> Option<String> {
        self.connector_calls.get(name).map(TokenSource::bearer)
    }
}

/// A connector's own credential for `/payNotify` and `/refundNotify`: role `connector`,
/// claim `connector: <name>`; pre-issued as `auth.connector_tokens.<name>`, else minted with
/// the HS256 secret (development).
pub struct ConnectorCredential(Option<TokenSource>);

impl ConnectorCredential {
    pub fn from_settings(settings: &Settings, name: &str) -> Self {
        let template = Claims {
            connector: Some(name.to_string()),
            ..claims_for(&format!("connector:{name}"), None, &[Role::Connector], 0, settings)
        };
        Self(TokenSource::new(
            settings.auth.connector_tokens.get(name),
            settings,
            template,
        ))
    }

    /// `Bearer …`, or `None` when the connector has no credential (notifications are then
    /// skipped and the platform's queries settle the order).
    pub fn bearer(&self) -> Option<String> {
        self.0.as_ref().map(TokenSource::bearer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEST_SECRET: &str = "test-secret-test-secret-test-secret";

    fn settings() -> Settings {
        let mut s = Settings::default();
        s.auth.jwt_secret = Some(TEST_SECRET.into());
        s
    }

    fn token(s: &Settings, claims: &Claims) -> String {
        mint_hs256(s.auth.jwt_secret.as_ref().unwrap(), claims).unwrap()
    }

    #[test]
    fn a_valid_token_yields_merchant_and_roles() {
        let s = settings();
        let v = JwtVerifier::from_settings(&s).unwrap();
        let c = v
            .verify(&token(&s, &claims_for("u1", Some("m1"), &[Role::Merchant], 60, &s)))
            .unwrap();
        assert_eq!(c.merchant_uuid.as_deref(), Some("m1"));
        assert!(c.has(Role::Merchant) && !c.has(Role::Admin));
    }

    #[test]
    fn expired_tokens_are_refused() {
        let s = settings();
        let v = JwtVerifier::from_settings(&s).unwrap();
        let e = v
            .verify(&token(&s, &claims_for("u1", None, &[Role::Admin], -120, &s)))
            .unwrap_err();
        assert_eq!((e.status_code, e.code), (401, 4010));
    }

    #[test]
    fn alg_none_and_foreign_keys_are_refused() {
        let s = settings();
        let v = JwtVerifier::from_settings(&s).unwrap();
        // {"alg":"none","typ":"JWT"} . {"sub":"x","exp":9999999999,"roles":["admin"]} . ""
        let none =
            "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ4IiwiZXhwIjo5OTk5OTk5OTk5LCJyb2xlcyI6WyJhZG1pbiJdfQ.";
        assert_eq!(v.verify(none).unwrap_err().code, 4010);
        let mut other = settings();
        other.auth.jwt_secret = Some("another-secret-another-secret-1234".into());
        let forged = token(&other, &claims_for("u1", None, &[Role::Admin], 60, &other));
        assert_eq!(v.verify(&forged).unwrap_err().message, "token signature is invalid");
    }

    #[test]
    fn issuer_and_audience_are_checked_when_configured() {
        let mut s = settings();
        let unbound = token(&s, &claims_for("u1", None, &[Role::Admin], 60, &s));
        s.auth.issuer = Some("payserver".into());
        s.auth.audience = Some("pos".into());
        let v = JwtVerifier::from_settings(&s).unwrap();
        assert!(v.verify(&unbound).is_err());
        assert!(
            v.verify(&token(&s, &claims_for("u1", None, &[Role::Admin], 60, &s)))
                .is_ok()
        );
    }

    fn with_aud(s: &Settings, roles: &[Role], aud: &str) -> String {
        let claims = Claims {
            aud: Some(serde_json::Value::String(aud.into())),
            ..claims_for("svc", None, roles, 60, s)
        };
        token(s, &claims)
    }

    #[test]
    fn the_audience_gives_the_scope_and_the_path_decides_which_scope_is_admitted() {
        let s = settings();
        let v = JwtVerifier::from_settings(&s).unwrap();
        let internal = v.verify(&with_aud(&s, &[Role::Service], INTERNAL_AUDIENCE)).unwrap();
        assert_eq!(internal.scope, Scope::Internal);
        let call = v
            .verify(&with_aud(&s, &[Role::Service], &connector_audience("wechat")))
            .unwrap();
        assert_eq!(call.scope, Scope::ConnectorCall("wechat".into()));
        let public_service = v
            .verify(&token(&s, &claims_for("x", None, &[Role::Service], 60, &s)))
            .unwrap();
        let merchant = v
            .verify(&token(&s, &claims_for("x", Some("m1"), &[Role::Merchant], 60, &s)))
            .unwrap();

        assert!(internal.clone().admit("/internal/v1/refunds/reserve").is_ok());
        assert!(call.clone().admit("/connector/pay").is_ok());
        assert!(merchant.clone().admit("/api/v1.0.0/pay").is_ok());
        for (caller, path) in [
            (&internal, "/api/v1.0.0/refund"),
            (&internal, "/connector/pay"),
            (&call, "/internal/v1/refunds/confirm"),
            (&call, "/api/v1.0.0/refund"),
            (&public_service, "/api/v1.0.0/refund"),
            (&public_service, "/internal/v1/refunds/confirm"),
            (&merchant, "/internal/v1/payModes/x"),
            (&merchant, "/connector/pay"),
        ] {
            assert_eq!(caller.clone().admit(path).unwrap_err().code, 4030, "{path} {caller:?}");
        }
    }

    #[test]
    fn a_configured_audience_still_lets_internal_tokens_through_and_refuses_strangers() {
        let mut s = settings();
        s.auth.audience = Some("pos".into());
        let v = JwtVerifier::from_settings(&s).unwrap();
        assert_eq!(
            v.verify(&with_aud(&s, &[Role::Service], INTERNAL_AUDIENCE))
                .unwrap()
                .scope,
            Scope::Internal
        );
        assert_eq!(v.verify(&with_aud(&s, &[Role::Admin], "other")).unwrap_err().code, 4010);
        // Two audiences, one of them internal: ambiguous, refused.
        let both = Claims {
            aud: Some(serde_json::json!(["pos", INTERNAL_AUDIENCE])),
            ..claims_for("x", None, &[Role::Service], 60, &s)
        };
        assert_eq!(v.verify(&token(&s, &both)).unwrap_err().code, 4010);
    }

    #[test]
    fn tokens_not_valid_yet_are_refused() {
        #[derive(Serialize)]
        struct WithNbf {
            #[serde(flatten)]
            claims: Claims,
            nbf: i64,
        }
        let s = settings();
        let v = JwtVerifier::from_settings(&s).unwrap();
        let claims = claims_for("u1", None, &[Role::Admin], 3600, &s);
        let later = WithNbf {
            nbf: claims.exp - 60,
            claims,
        };
        let t = encode(
            &Header::new(Algorithm::HS256),
            &later,
            &EncodingKey::from_secret(TEST_SECRET.as_bytes()),
        )
        .unwrap();
        assert_eq!(v.verify(&t).unwrap_err().message, "token is not valid yet");
    }

    #[test]
    fn connector_credentials_name_their_connector() {
        let s = settings();
        let v = JwtVerifier::from_settings(&s).unwrap();
        let cred = ConnectorCredential::from_settings(&s, "wechat").bearer().unwrap();
        let c = v.verify_header(Some(&cred)).unwrap();
        assert_eq!(
            (c.connector_name().unwrap(), c.scope.clone()),
            ("wechat", Scope::Public)
        );
        let internal = ServiceToken::from_settings(&s).unwrap();
        assert_eq!(
            v.verify_header(Some(&internal.bearer())).unwrap().scope,
            Scope::Internal
        );
        assert_eq!(
            v.verify_header(Some(&internal.connector_bearer("alipay").unwrap()))
                .unwrap()
                .scope,
            Scope::ConnectorCall("alipay".into())
        );
        assert!(internal.connector_bearer("unregistered").is_none());
    }

    #[test]
    fn naming_another_merchant_is_forbidden_unless_admin() {
        let merchant = Caller {
            subject: "u".into(),
            merchant_uuid: Some("m1".into()),
            merchant_href: None,
            roles: vec![Role::Merchant],
            ..Default::default()
        };
        assert_eq!(merchant.acting_merchant(None).unwrap(), "m1");
        assert_eq!(merchant.acting_merchant(Some("m2")).unwrap_err().code, 4030);
        let admin = Caller {
            roles: vec![Role::Admin],
            merchant_uuid: None,
            ..merchant.clone()
        };
        assert_eq!(admin.acting_merchant(Some("m2")).unwrap(), "m2");
        assert_eq!(admin.list_scope(None).unwrap(), None);
        assert_eq!(merchant.list_scope(None).unwrap().as_deref(), Some("m1"));
    }

    #[test]
    fn merchant_href_names_its_last_segment() {
        assert_eq!(
            merchant_from_href("http://h:6004/api/v1.0.0/merchants/eLzwsgnlWpZN8xtvz0qgvw").as_deref(),
            Some("eLzwsgnlWpZN8xtvz0qgvw")
        );
        assert_eq!(merchant_from_href("http://h/shops/abc/?x=1").as_deref(), Some("abc"));
        assert_eq!(merchant_from_href("http://h/shops/a b"), None);
    }
}
