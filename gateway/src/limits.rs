//! Rate limits (API.md A.1: 429 with `Retry-After`): a token bucket per client IP, checked
//! before the token so floods are cheap to refuse, and one per merchant after it. In memory
//! per gateway instance: N instances allow up to N times the configured rate.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use payserver_shared::config::RateLimitSettings;

pub struct Limits {
    per_ip: Option<DefaultKeyedRateLimiter<IpAddr>>,
    per_merchant: Option<DefaultKeyedRateLimiter<String>>,
    clock: DefaultClock,
}

fn limiter<K: std::hash::Hash + Eq + Clone>(per_second: u32, burst: u32) -> Option<DefaultKeyedRateLimiter<K>> {
    let rate = NonZeroU32::new(per_second)?;
    let burst = NonZeroU32::new(burst.max(per_second)).unwrap_or(rate);
    Some(RateLimiter::keyed(Quota::per_second(rate).allow_burst(burst)))
}

impl Limits {
    pub fn new(s: &RateLimitSettings) -> Self {
        Self {
            per_ip: limiter(s.per_ip_per_second, s.per_ip_burst),
            per_merchant: limiter(s.per_merchant_per_second, s.per_merchant_burst),
            clock: DefaultClock::default(),
        }
    }

    /// `Err(wait)` when the IP is over its rate.
    pub fn check_ip(&self, ip: IpAddr) -> Result<(), Duration> {
        match &self.per_ip {
            Some(l) => l.check_key(&ip).map_err(|n| n.wait_time_from(self.clock.now())),
            None => Ok(()),
        }
    }

    /// `Err(wait)` when the merchant (or, for callers with none, the token's subject) is over
    /// its rate.
    pub fn check_merchant(&self, key: &str) -> Result<(), Duration> {
        match &self.per_merchant {
            Some(l) => l
                .check_key(&key.to_string())
                .map_err(|n| n.wait_time_from(self.clock.now())),
            None => Ok(()),
        }
    }

    /// Forgets keys whose buckets are full again, so memory stays bounded.
    pub fn prune(&self) {
        if let Some(l) = &self.per_ip {
            l.retain_recent();
        }
        if let Some(l) = &self.per_merchant {
            l.retain_recent();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_passes_then_the_rest_waits() {
        let l = Limits::new(&RateLimitSettings {
            per_ip_per_second: 2,
            per_ip_burst: 3,
            per_merchant_per_second: 0,
            per_merchant_burst: 0,
        });
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..3 {
            assert!(l.check_ip(ip).is_ok());
        }
        let wait = l.check_ip(ip).unwrap_err();
        assert!(wait > Duration::ZERO && wait <= Duration::from_millis(500), "{wait:?}");
        assert!(
            l.check_ip("10.0.0.2".parse().unwrap()).is_ok(),
            "other IPs have their own bucket"
        );
        assert!(l.check_merchant("m1").is_ok(), "a limit of 0 is off");
    }
}
