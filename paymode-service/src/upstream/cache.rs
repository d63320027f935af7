//! A small in-process cache whose entries expire after a fixed time to live.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Entries past this count trigger a sweep of the expired ones on insert.
const SWEEP_AT: usize = 1024;

pub struct TtlCache<V> {
    ttl: Duration,
    entries: Mutex<HashMap<String, (Instant, V)>>,
}

impl<V: Clone> TtlCache<V> {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The value stored under `key` less than the TTL before `now`.
    pub fn get(&self, key: &str, now: Instant) -> Option<V> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(key)
            .filter(|(stored, _)| now.saturating_duration_since(*stored) < self.ttl)
            .map(|(_, v)| v.clone())
    }

    pub fn insert(&self, key: &str, value: V, now: Instant) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= SWEEP_AT {
            let ttl = self.ttl;
            entries.retain(|_, (stored, _)| now.saturating_duration_since(*stored) < ttl);
        }
        entries.insert(key.to_string(), (now, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_after_the_ttl() {
        let cache = TtlCache::new(Duration::from_secs(30));
        let t0 = Instant::now();
        cache.insert("T1", 1, t0);
        assert_eq!(cache.get("T1", t0 + Duration::from_secs(29)), Some(1));
        assert_eq!(cache.get("T1", t0 + Duration::from_secs(30)), None);
        assert_eq!(cache.get("T2", t0), None, "keys are distinct");
    }

    #[test]
    fn expired_entries_are_swept_when_the_cache_grows() {
        let cache = TtlCache::new(Duration::from_secs(1));
        let t0 = Instant::now();
        for i in 0..SWEEP_AT {
            cache.insert(&i.to_string(), i, t0);
        }
        cache.insert("new", 0, t0 + Duration::from_secs(2));
        assert_eq!(cache.entries.lock().unwrap().len(), 1);
    }
}
