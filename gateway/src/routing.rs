//! The route table: which upstream owns a path.
//!
//! A path `/api/v1.0.0/<a>/<id>/<b>/...` (or the alias `/api/v1/...`) alternates collection
//! segments and ids. The owner is found by the last collection segment, so
//! `/payModeTemplates/{uuid}/payModes` goes to the payModes owner; a last segment the table
//! does not know (an action such as `/members/{uuid}/recharge`) falls back to the first.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};

use payserver_shared::config::GatewaySettings;

/// One upstream service and its instances, taken in turn. An instance that refused a
/// connection is set aside for a cooldown and the request goes to the next one, so replicas
/// work without Kubernetes; when every instance is set aside, all are tried anyway.
#[derive(Debug)]
pub struct Upstream {
    pub name: String,
    instances: Vec<String>,
    /// Per instance: epoch ms until which it is skipped.
    down_until: Vec<AtomicI64>,
    next: AtomicUsize,
}

impl Upstream {
    pub fn new(name: &str, instances: Vec<String>) -> Self {
        let instances: Vec<String> = instances
            .into_iter()
            .map(|u| u.trim_end_matches('/').to_string())
            .collect();
        let down_until = instances.iter().map(|_| AtomicI64::new(0)).collect();
        Self {
            name: name.to_string(),
            instances,
            down_until,
            next: AtomicUsize::new(0),
        }
    }

    /// The instances to try for one request: round robin, healthy ones first.
    pub fn candidates(&self, now_ms: i64) -> Vec<usize> {
        let n = self.instances.len();
        if n == 0 {
            return Vec::new();
        }
        let start = self.next.fetch_add(1, Ordering::Relaxed) % n;
        let order = (0..n).map(|k| (start + k) % n);
        let (up, down): (Vec<usize>, Vec<usize>) =
            order.partition(|&i| self.down_until[i].load(Ordering::Relaxed) <= now_ms);
        up.into_iter().chain(down).collect()
    }

    pub fn url(&self, i: usize) -> &str {
        &self.instances[i]
    }

    /// Sets an instance aside until `until_ms`.
    pub fn mark_down(&self, i: usize, until_ms: i64) {
        self.down_until[i].store(until_ms, Ordering::Relaxed);
    }

    pub fn instances(&self) -> &[String] {
        &self.instances
    }
}

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

    /// The upstream owning `path` (the part after the gateway prefix).
    pub fn resolve(&self, path: &str) -> Result<&Upstream, RouteError> {
        let rest = path
            .strip_prefix("/api/v1.0.0/")
            .or_else(|| path.strip_prefix("/api/v1/"))
            .ok_or(RouteError::Unknown)?;
        let segments: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
        if segments.iter().any(|s| s.is_empty()) {
            return Err(RouteError::Unknown);
        }
        let last_collection = segments[(segments.len() - 1) / 2 * 2];
        let name = self
            .routes
            .get(&last_collection.to_ascii_lowercase())
            .or_else(|| self.routes.get(&segments[0].to_ascii_lowercase()))
            .ok_or(RouteError::Unknown)?;
        match self.upstreams.get(name) {
            Some(u) if !u.instances.is_empty() => Ok(u),
            _ => Err(RouteError::NoInstance(name.clone())),
        }
    }
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
    fn instances_are_taken_in_turn() {
        let t = table();
        let u = t.resolve("/api/v1.0.0/payModeTemplates").unwrap();
        let picks: Vec<_> = (0..4).map(|_| u.url(u.candidates(0)[0]).to_string()).collect();
        assert_eq!(picks, ["http://t1", "http://t2", "http://t1", "http://t2"]);
    }

    #[test]
    fn an_instance_set_aside_is_tried_last_until_its_cooldown_ends() {
        let u = Upstream::new("x", vec!["http://a".into(), "http://b".into(), "http://c".into()]);
        u.mark_down(0, 1_000);
        for _ in 0..3 {
            let c = u.candidates(500);
            assert_eq!(*c.last().unwrap(), 0, "{c:?}");
            assert_eq!(c.len(), 3, "a set-aside instance is still a last resort");
        }
        assert!(
            (0..3).any(|_| u.candidates(1_000)[0] == 0),
            "back in turn after the cooldown"
        );
    }
}
