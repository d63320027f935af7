//! Client-side balancing over a service's instances: round robin, with an instance that
//! refused a connection set aside for a cooldown.

use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};

/// One service and its instances, taken in turn. An instance that refused a connection is set
/// aside for a cooldown and the request goes to the next one, so replicas work without
/// Kubernetes or a load balancer; when every instance is set aside, all are tried anyway.
/// The gateway uses it per upstream, [`crate::client::ServiceClient`] per peer service.
#[derive(Debug)]
pub struct Instances {
    pub name: String,
    instances: Vec<String>,
    /// Per instance: epoch ms until which it is skipped.
    down_until: Vec<AtomicI64>,
    next: AtomicUsize,
}

impl Instances {
    pub fn new(name: &str, instances: Vec<String>) -> Self {
        let instances: Vec<String> = instances
            .into_iter()
            .map(|u| u.trim().trim_end_matches('/').to_string())
            .filter(|u| !u.is_empty())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instance_set_aside_is_tried_last_until_its_cooldown_ends() {
        let u = Instances::new("x", vec!["http://a".into(), "http://b".into(), "http://c".into()]);
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
