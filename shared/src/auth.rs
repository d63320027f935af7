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

/// Who is calling: the verified token's subject, merchant and roles.
#[derive(Debug, Clone)]
pub struct Caller {
    pub subject: String,
    pub merchant_uuid: Option<String>,
    pub merchant_href: Option<String>,
    pub roles: Vec<Role>,
}

impl Caller {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Admins and services act across merchants.
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

    /// For calls on a merchant's pay and refund data: a merchant (for itself), an admin or a
    /// service; `connector` tokens only notify.
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
        let mut required = vec!["exp"];
        if let Some(iss) = auth.issuer.as_ref().filter(|s| !s.is_empty()) {
            validation.set_issuer(&[iss]);
            required.push("iss");
        }
        match auth.audience.as_ref().filter(|s| !s.is_empty()) {
            Some(aud) => {
                validation.set_audience(&[aud]);
                required.push("aud");
            }
            None => validation.validate_aud = false,
        }
        validation.set_required_spec_claims(&required);
        Ok(Self { key, validation })
    }

    pub fn verify(&self, token: &str) -> ApiResult<Caller> {
        let data = decode::<Claims>(token, &self.key, &self.validation).map_err(|e| {
            use jsonwebtoken::errors::ErrorKind;
            let why = match e.kind() {
                ErrorKind::ExpiredSignature => "token expired",
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
        Ok(Caller {
            subject: c.sub,
            merchant_uuid: c.merchant_uuid.filter(|m| !m.is_empty()),
            merchant_href: c.merchant_href.filter(|m| !m.is_empty()),
            roles: c.roles.iter().filter_map(|r| Role::parse(r)).collect(),
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
        ready(verifier.verify_header(header))
    }
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
    }
}

/// The token a service presents to other services: the configured `auth.service_token`, or
/// one minted with the HS256 secret and renewed before it expires.
pub struct ServiceToken {
    fixed: Option<SecretString>,
    minting: Option<(SecretString, Settings)>,
    cached: Mutex<Option<(String, i64)>>,
}

const SERVICE_TOKEN_TTL: i64 = 3600;

impl ServiceToken {
    pub fn from_settings(settings: &Settings) -> Result<Self, ConfigError> {
        let fixed = settings
            .auth
            .service_token
            .clone()
            .filter(|t| !t.expose_secret().is_empty());
        let minting = match (&fixed, settings.auth.algorithm, settings.hs256_secret()) {
            (None, JwtAlgorithm::HS256, Some(secret)) => Some((secret.clone(), settings.clone())),
            (None, _, _) => {
                return Err(ConfigError::Invalid(
                    "auth.service_token is required unless an HS256 secret is configured".into(),
                ));
            }
            _ => None,
        };
        Ok(Self {
            fixed,
            minting,
            cached: Mutex::new(None),
        })
    }

    pub fn bearer(&self) -> String {
        if let Some(fixed) = &self.fixed {
            return format!("Bearer {}", fixed.expose_secret());
        }
        let now = crate::time::now_ms() / 1000;
        let mut cached = self.cached.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((token, exp)) = cached.as_ref()
            && *exp - now > SERVICE_TOKEN_TTL / 4
        {
            return format!("Bearer {token}");
        }
        let (secret, settings) = self.minting.as_ref().expect("minting is set when fixed is not");
        let claims = claims_for("payserver-service", None, &[Role::Service], SERVICE_TOKEN_TTL, settings);
        let token = mint_hs256(secret, &claims).expect("HS256 signing cannot fail");
        *cached = Some((token.clone(), claims.exp));
        format!("Bearer {token}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        let mut s = Settings::default();
        s.auth.jwt_secret = Some("test-secret-test-secret-test-secret".into());
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

    #[test]
    fn naming_another_merchant_is_forbidden_unless_admin() {
        let merchant = Caller {
            subject: "u".into(),
            merchant_uuid: Some("m1".into()),
            merchant_href: None,
            roles: vec![Role::Merchant],
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
