//! The route table: which upstream owns a path.
//!
//! A path `/api/v1.0.0/<a>/<id>/<b>/...` (or the alias `/api/v1/...`) alternates collection
//! segments and ids. The owner is found by the last collection segment, so
//! `/payModeTemplates/{uuid}/payModes` goes to the payModes owner; a last segment the table
//! does not know (an action such as `/members/{uuid}/recharge`) falls back to the first,
//! which must itself be a known collection.
//!
//! Before any of that, [`check_path`] holds the trust boundary (API.md A.1): only paths that
//! mean exactly what they say are forwarded.

use std::borrow::Cow;
use std::collections::HashMap;

use payserver_shared::config::GatewaySettings;

/// One upstream and its instances (round robin, cooldown after a refused connection); the
/// services' own client balances its calls the same way.
pub use payserver_shared::balance::Instances as Upstream;

#[derive(Debug)]
pub struct RouteTable {
    /// Lower-cased collection segment → upstream name.
    routes: HashMap<String, String>,
    upstreams: HashMap<String, Upstream>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum RouteError {
    /// Not under `/api/v1.0.0/` or `/api/v1/`, or no route owns it.
    Unknown,
    /// The route names an upstream with no instances configured.
    NoInstance(String),
}

impl RouteTable {
    pub fn from_settings(g: &GatewaySettings) -> Self {
        let routes = g
            .routes
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
            .collect();
        let upstreams = g
            .upstreams
            .iter()
            .map(|(name, urls)| (name.clone(), Upstream::new(name, urls.clone())))
            .collect();
        Self { routes, upstreams }
    }

    pub fn upstreams(&self) -> impl Iterator<Item = &Upstream> {
        self.upstreams.values()
    }

    /// The upstream owning `path` (the raw part after the gateway prefix).
    pub fn resolve(&self, path: &str) -> Result<&Upstream, RouteError> {
        // The gateway checks the path before anything else; this keeps `resolve` safe on its own.
        check_path(path).map_err(|_| RouteError::Unknown)?;
        let rest = path
            .strip_prefix("/api/v1.0.0/")
            .or_else(|| path.strip_prefix("/api/v1/"))
            .ok_or(RouteError::Unknown)?;
        let segments: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
        if segments.iter().any(|s| s.is_empty()) {
            return Err(RouteError::Unknown);
        }
        // The first segment must be a collection of the table: the fallback below can then
        // only ever send a path to the service owning the collection it starts with.
        let first = self
            .routes
            .get(&segments[0].to_ascii_lowercase())
            .ok_or(RouteError::Unknown)?;
        let last_collection = segments[(segments.len() - 1) / 2 * 2];
        let name = self.routes.get(&last_collection.to_ascii_lowercase()).unwrap_or(first);
        match self.upstreams.get(name) {
            Some(u) if !u.instances().is_empty() => Ok(u),
            _ => Err(RouteError::NoInstance(name.clone())),
        }
    }
}

/// Segments that name a service's own routes (`/internal/...` between services, `/connector/...`
/// from the platform to a connector, its `/metrics` and `/readyz`): never a public path.
const PRIVATE_SEGMENTS: [&str; 4] = ["internal", "connector", "metrics", "readyz"];

/// How many times a segment is percent-decoded before it is judged: once for the service that
/// receives it, more for any hop that decodes again (`%252e%252e` is `..` to the second one).
const DECODE_ROUNDS: usize = 3;

/// Refuses a raw request path (as the client sent it, still percent-encoded) that could reach
/// anything outside the public route table (API.md A.1 "Trust boundary"): a dot segment (`.`,
/// `..`, percent-encoded in any case or mix), an encoded slash or a backslash inside a segment,
/// or a private segment. Nothing is normalised: the URL parser of the client to the services
/// removes dot segments and reads `\` as `/`, so a path is forwarded exactly as checked or not
/// at all.
pub fn check_path(raw: &str) -> Result<(), &'static str> {
    raw.split('/').try_for_each(check_segment)
}

fn check_segment(raw: &str) -> Result<(), &'static str> {
    if raw.contains('\\') {
        return Err("backslash in a segment");
    }
    let mut segment = Cow::Borrowed(raw.as_bytes());
    for round in 0..=DECODE_ROUNDS {
        if round > 0 && segment.iter().any(|&b| b == b'/' || b == b'\\') {
            return Err("encoded slash or backslash in a segment");
        }
        if segment.as_ref() == b"." || segment.as_ref() == b".." {
            return Err("dot segment");
        }
        if PRIVATE_SEGMENTS
            .iter()
            .any(|p| segment.eq_ignore_ascii_case(p.as_bytes()))
        {
            return Err("private segment");
        }
        match percent_decode(&segment) {
            Some(decoded) => segment = Cow::Owned(decoded),
            None => return Ok(()),
        }
    }
    Err("segment encoded too many times")
}

/// The bytes with every valid `%XX` decoded, or `None` when there is none.
fn percent_decode(s: &[u8]) -> Option<Vec<u8>> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(s.len());
    let mut changed = false;
    let mut i = 0;
    while i < s.len() {
        if let (b'%', Some(&h), Some(&l)) = (s[i], s.get(i + 1), s.get(i + 2))
            && let (Some(h), Some(l)) = (hex(h), hex(l))
        {
            out.push(h << 4 | l);
            changed = true;
            i += 3;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> RouteTable {
        let routes = [
            ("payModeTemplates", "template"),
            ("payModes", "paymode"),
            ("signAccounters", "sign_account"),
            ("payOrders", "payorder"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let upstreams = [
            (
                "template".to_string(),
                vec!["http://t1".to_string(), "http://t2/".to_string()],
            ),
            ("paymode".to_string(), vec!["http://p".to_string()]),
            ("sign_account".to_string(), vec!["http://s".to_string()]),
        ]
        .into();
        let g = GatewaySettings {
            routes,
            upstreams,
            ..Default::default()
        };
        RouteTable::from_settings(&g)
    }

    #[test]
    fn routes_by_the_last_collection_segment() {
        let t = table();
        assert_eq!(t.resolve("/api/v1.0.0/payModeTemplates").unwrap().name, "template");
        assert_eq!(t.resolve("/api/v1.0.0/payModeTemplates/abc").unwrap().name, "template");
        assert_eq!(
            t.resolve("/api/v1/payModeTemplates/abc/payModes").unwrap().name,
            "paymode"
        );
        assert_eq!(t.resolve("/api/v1.0.0/payModes/").unwrap().name, "paymode");
    }

    #[test]
    fn unknown_last_segments_fall_back_to_the_first() {
        let t = table();
        assert_eq!(
            t.resolve("/api/v1.0.0/signAccounters/abc/statement").unwrap().name,
            "sign_account"
        );
    }

    #[test]
    fn unknown_paths_and_missing_instances_are_errors() {
        let t = table();
        assert_eq!(t.resolve("/api/v2/payModes").unwrap_err(), RouteError::Unknown);
        assert_eq!(t.resolve("/api/v1.0.0/nothing").unwrap_err(), RouteError::Unknown);
        assert_eq!(t.resolve("/api/v1.0.0//payModes").unwrap_err(), RouteError::Unknown);
        assert_eq!(
            t.resolve("/api/v1.0.0/payModes/x/payOrders").unwrap_err(),
            RouteError::NoInstance("payorder".into())
        );
    }

    #[test]
    fn the_path_checker_accepts_paths_that_mean_what_they_say() {
        for path in [
            "/payServer/api/v1.0.0/payModes",
            "/api/v1/payModeTemplates/irAl37TewwGEchYrXUWsfA/payModes",
            "/api/v1.0.0/payModes/",
            "/api/v1.0.0/payModes/a.b",
            "/api/v1.0.0/payModes/...",
            "/api/v1.0.0/payModes/.hidden",
            "/api/v1.0.0/payModes/a%41b",
            "/api/v1.0.0/payModes/%E4%B8%AD",
            "/api/v1.0.0/payModes/100%25",
            "/api/v1.0.0/payModes/%zz",
            "/api/v1.0.0/internals/metricsX/readyz2",
            "/api/v1.0.0/payModes/a;b=c,d:e@f!$&'()*+~_-",
        ] {
            assert_eq!(check_path(path), Ok(()), "{path}");
        }
    }

    #[test]
    fn the_path_checker_refuses_dot_segments_encoded_separators_and_private_segments() {
        for (path, why) in [
            ("/api/v1.0.0/pay/../../../internal/v1/refunds/confirm", "dot segment"),
            (
                "/api/v1.0.0/pay/%2e%2e/%2e%2e/%2e%2e/internal/v1/refunds/confirm",
                "dot segment",
            ),
            ("/api/v1.0.0/payOrders/%2E%2E/metrics", "dot segment"),
            ("/api/v1.0.0/payOrders/.%2e/x", "dot segment"),
            ("/api/v1.0.0/payOrders/%2e./x", "dot segment"),
            ("/api/v1.0.0/payOrders/.%2E/x", "dot segment"),
            ("/api/v1.0.0/payOrders/..", "dot segment"),
            ("/api/v1.0.0/./payOrders", "dot segment"),
            ("/api/v1.0.0/%2e/payOrders", "dot segment"),
            ("/api/v1.0.0/payOrders/%2E", "dot segment"),
            ("/api/v1.0.0/payOrders/%252e%252e/x", "dot segment"),
            ("/api/v1.0.0/payOrders/a%2fb", "encoded slash or backslash in a segment"),
            ("/api/v1.0.0/payOrders/a%2Fb", "encoded slash or backslash in a segment"),
            ("/api/v1.0.0/payOrders/a%5cb", "encoded slash or backslash in a segment"),
            ("/api/v1.0.0/payOrders/a%5Cb", "encoded slash or backslash in a segment"),
            (
                "/api/v1.0.0/payOrders/a%252fb",
                "encoded slash or backslash in a segment",
            ),
            ("/api/v1.0.0/payOrders/..\\internal", "backslash in a segment"),
            ("/api/v1.0.0/payOrders\\x", "backslash in a segment"),
            ("/api/v1.0.0/pay/x/internal", "private segment"),
            ("/internal/v1/refunds/confirm", "private segment"),
            ("/api/v1.0.0/payOrders/x/metrics", "private segment"),
            ("/api/v1.0.0/payOrders/READYZ", "private segment"),
            ("/api/v1.0.0/payOrders/%69nternal", "private segment"),
            ("/api/v1.0.0/wechatMerchants/x/connector", "private segment"),
            ("/api/v1.0.0/payOrders/%25252525", "segment encoded too many times"),
        ] {
            assert_eq!(check_path(path), Err(why), "{path}");
        }
    }

    #[test]
    fn the_route_table_refuses_what_the_path_checker_refuses_and_unknown_first_segments() {
        let t = table();
        for path in [
            "/api/v1.0.0/payModes/%2e%2e/payModeTemplates",
            "/api/v1.0.0/signAccounters/x/internal",
            "/api/v1.0.0/signAccounters/x/metrics",
            "/api/v1.0.0/unknown/x/payModes",
            "/api/v1.0.0/x/y/payModes/z",
        ] {
            assert_eq!(t.resolve(path).unwrap_err(), RouteError::Unknown, "{path}");
        }
    }

    #[test]
    fn instances_are_taken_in_turn() {
        let t = table();
        let u = t.resolve("/api/v1.0.0/payModeTemplates").unwrap();
        let picks: Vec<_> = (0..4).map(|_| u.url(u.candidates(0)[0]).to_string()).collect();
        assert_eq!(picks, ["http://t1", "http://t2", "http://t1", "http://t2"]);
    }
}
