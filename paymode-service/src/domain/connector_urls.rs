//! The connector URLs of a pay mode (`payUrl, refundUrl, queryUrl, checkEnvUrl`): where the
//! platform sends a merchant's pays, refunds, queries and environment checks. A merchant who
//! could point them anywhere would make the platform call any host it can reach (blind SSRF,
//! cloud metadata at 169.254.169.254, internal routes), so:
//!
//! - a mode opened from a template keeps the template's URLs (they are the operator's);
//! - a custom mode's URLs must lie under one of the operator's allowed connector prefixes
//!   (`connectors.allowed_url_prefixes`; by default this project's own connectors).

use super::fields::invalid;
use super::paymode::{PayModeData, PayModePatch};
use crate::error::Error;

/// The connector URL fields, by their JSON names.
pub const FIELDS: [&str; 4] = ["payUrl", "refundUrl", "queryUrl", "checkEnvUrl"];

impl PayModePatch {
    /// The connector URLs the body gives (`Some(None)`: cleared), in [`FIELDS`] order.
    pub fn connector_urls(&self) -> [(&'static str, Option<Option<&str>>); 4] {
        fn given(v: &Option<Option<String>>) -> Option<Option<&str>> {
            v.as_ref().map(Option::as_deref)
        }
        [
            (FIELDS[0], given(&self.pay_url)),
            (FIELDS[1], given(&self.refund_url)),
            (FIELDS[2], given(&self.query_url)),
            (FIELDS[3], given(&self.check_env_url)),
        ]
    }
}

impl PayModeData {
    /// The mode's connector URLs, in [`FIELDS`] order.
    pub fn connector_urls(&self) -> [(&'static str, Option<&str>); 4] {
        [
            (FIELDS[0], self.pay_url.as_deref()),
            (FIELDS[1], self.refund_url.as_deref()),
            (FIELDS[2], self.query_url.as_deref()),
            (FIELDS[3], self.check_env_url.as_deref()),
        ]
    }
}

/// A mode opened from a template cannot set its connector URLs. A body may repeat the values
/// the mode has (a client writing back what it read); any other value, `null` for a URL the
/// mode has included, is a 400 naming the field.
pub fn keep_template_urls(patch: &PayModePatch, current: &PayModeData) -> Result<(), Error> {
    for ((field, given), (_, has)) in patch.connector_urls().into_iter().zip(current.connector_urls()) {
        if let Some(given) = given
            && given != has
        {
            return Err(invalid(format!(
                "{field} of a pay mode opened from a template is the template's and cannot be set"
            )));
        }
    }
    Ok(())
}

/// The operator's allowed connector URL prefixes (`Settings::allowed_connector_url_prefixes`).
#[derive(Debug, Clone, Default)]
pub struct UrlPolicy {
    prefixes: Vec<String>,
}

impl UrlPolicy {
    pub fn new(prefixes: Vec<String>) -> Self {
        Self {
            prefixes: prefixes.into_iter().filter(|p| !p.is_empty()).collect(),
        }
    }

    fn allows(&self, url: &str) -> bool {
        self.prefixes.iter().any(|p| url.starts_with(p.as_str()))
    }

    /// Refuses (400, naming the field) a URL that is not absolute http(s), carries a user name
    /// or password, or does not start with an allowed prefix. Both the URL as given and as an
    /// HTTP client parses it must lie under a prefix, so no parser difference (a backslash,
    /// letter case, dot segments) can send the call elsewhere. The prefixes themselves are not
    /// quoted back: they name internal hosts.
    pub fn check(&self, field: &str, url: &str) -> Result<(), Error> {
        let parsed = reqwest::Url::parse(url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
            .ok_or_else(|| invalid(format!("{field} must be an absolute http or https URL")))?;
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(invalid(format!("{field} must not carry a user name or password")));
        }
        if !(self.allows(url) && self.allows(parsed.as_str())) {
            return Err(invalid(format!(
                "{field} must start with one of the allowed connector URL prefixes \
                 (connectors.allowed_url_prefixes)"
            )));
        }
        Ok(())
    }

    /// Checks every connector URL a custom mode's body sets.
    pub fn check_given(&self, patch: &PayModePatch) -> Result<(), Error> {
        for (field, given) in patch.connector_urls() {
            if let Some(Some(url)) = given {
                self.check(field, url)?;
            }
        }
        Ok(())
    }

    /// Checks every connector URL of a new custom mode.
    pub fn check_all(&self, data: &PayModeData) -> Result<(), Error> {
        for (field, url) in data.connector_urls() {
            if let Some(url) = url {
                self.check(field, url)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> UrlPolicy {
        UrlPolicy::new(vec![
            "http://127.0.0.1:6203/".into(),
            "https://pay.acme.example/".into(),
        ])
    }

    #[test]
    fn urls_under_an_allowed_prefix_pass() {
        assert!(policy().check("payUrl", "http://127.0.0.1:6203/connector/pay").is_ok());
        assert!(policy().check("payUrl", "https://pay.acme.example/pay?x=1").is_ok());
    }

    #[test]
    fn other_hosts_ports_schemes_and_userinfo_are_refused_naming_the_field() {
        for bad in [
            "http://169.254.169.254/latest/meta-data/",
            "http://127.0.0.1:62030/pay",
            "http://127.0.0.1:6204/pay",
            "https://pay.acme.example.evil.com/pay",
            "http://127.0.0.1:6203@evil.com/pay",
            "https://user:pw@pay.acme.example/pay",
            "http://127.0.0.1:6203\\@169.254.169.254/",
            "ftp://127.0.0.1:6203/pay",
            "not a url",
        ] {
            let Err(Error::Invalid(msg)) = policy().check("refundUrl", bad) else {
                panic!("{bad} passed")
            };
            assert!(msg.starts_with("refundUrl "), "{bad}: {msg}");
            assert!(!msg.contains("6203"), "prefixes are not quoted: {msg}");
        }
    }

    #[test]
    fn dot_segments_cannot_climb_out_of_an_allowed_path() {
        let p = UrlPolicy::new(vec!["http://127.0.0.1:6203/connector/".into()]);
        assert!(p.check("payUrl", "http://127.0.0.1:6203/connector/pay").is_ok());
        for bad in [
            "http://127.0.0.1:6203/connector/../internal/v1/refunds/confirm",
            "http://127.0.0.1:6203/connector/%2e%2e/metrics",
        ] {
            assert!(p.check("payUrl", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn template_urls_may_be_repeated_but_not_changed_or_cleared() {
        let mut current = PayModeData::new("m");
        current.pay_url = Some("http://c/pay".into());
        let with = |pay: Option<Option<&str>>, query: Option<Option<&str>>| PayModePatch {
            method: payserver_shared::pay_method::PayMethodPatch {
                pay_url: pay.map(|o| o.map(str::to_string)),
                query_url: query.map(|o| o.map(str::to_string)),
                ..Default::default()
            },
            ..Default::default()
        };
        assert!(keep_template_urls(&with(None, None), &current).is_ok());
        assert!(keep_template_urls(&with(Some(Some("http://c/pay")), Some(None)), &current).is_ok());
        for bad in [
            with(Some(Some("http://evil/pay")), None),
            with(Some(None), None),
            with(None, Some(Some("http://c/query"))),
        ] {
            assert!(matches!(keep_template_urls(&bad, &current), Err(Error::Invalid(_))));
        }
    }
}
