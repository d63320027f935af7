//! Prometheus metrics. One registry per process (the one-process run shares it between its
//! services; each series carries a `service` label), served as Prometheus text at `/metrics`
//! by every binary. Routes are labelled by their pattern (`/api/v1.0.0/payOrders/{uuid}`),
//! never by raw paths, so label cardinality stays bounded.

use std::sync::OnceLock;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct HttpLabels {
    pub service: String,
    pub route: String,
    pub method: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub service: String,
    pub route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutcomeLabels {
    /// The pay order's `payChannel`, or its pay mode name when it has none.
    pub channel: String,
    pub outcome: String,
}

/// Counts one settled order (a pay, a refund) in `family` (`pay_outcomes`, `refund_outcomes`)
/// under its channel and outcome.
pub fn count_outcome(family: &Family<OutcomeLabels, Counter>, channel: String, outcome: impl ToString) {
    let labels = OutcomeLabels {
        channel,
        outcome: outcome.to_string(),
    };
    family.get_or_create(&labels).inc();
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ConnectorLabels {
    pub operation: String,
    pub outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ContradictionLabels {
    pub service: String,
    /// Where it was seen: `notify`, `answer` (a connector's answer to a call), `resolver`.
    pub source: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OperationLabels {
    pub operation: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ServiceLabels {
    pub service: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct PoolLabels {
    pub service: String,
    pub state: String,
}

fn latency_histogram() -> Histogram {
    // 1 ms .. ~16 s
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

pub struct Metrics {
    registry: Registry,
    pub http_requests: Family<HttpLabels, Counter>,
    pub http_duration: Family<RouteLabels, Histogram, fn() -> Histogram>,
    pub pay_outcomes: Family<OutcomeLabels, Counter>,
    pub refund_outcomes: Family<OutcomeLabels, Counter>,
    pub connector_calls: Family<ConnectorLabels, Counter>,
    pub connector_duration: Family<OperationLabels, Histogram, fn() -> Histogram>,
    pub resolver_backlog: Family<ServiceLabels, Gauge>,
    pub resolver_oldest_seconds: Family<ServiceLabels, Gauge>,
    pub db_pool: Family<PoolLabels, Gauge>,
    pub contradictions: Family<ContradictionLabels, Counter>,
    pub notifications_refused: Family<ContradictionLabels, Counter>,
}

impl Metrics {
    fn new() -> Self {
        let mut registry = Registry::with_prefix("payserver");
        let m = Metrics {
            http_requests: Family::default(),
            http_duration: Family::new_with_constructor(latency_histogram),
            pay_outcomes: Family::default(),
            refund_outcomes: Family::default(),
            connector_calls: Family::default(),
            connector_duration: Family::new_with_constructor(latency_histogram),
            resolver_backlog: Family::default(),
            resolver_oldest_seconds: Family::default(),
            db_pool: Family::default(),
            contradictions: Family::default(),
            notifications_refused: Family::default(),
            registry: Registry::default(),
        };
        registry.register(
            "http_requests",
            "HTTP requests by service, route pattern, method and status",
            m.http_requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency by service and route pattern",
            m.http_duration.clone(),
        );
        registry.register(
            "pay_outcomes",
            "Settled pay orders by channel and outcome (payed, payFailed)",
            m.pay_outcomes.clone(),
        );
        registry.register(
            "refund_outcomes",
            "Finished refunds by channel and outcome (refunded, refundFailed)",
            m.refund_outcomes.clone(),
        );
        registry.register(
            "connector_calls",
            "Calls to connectors by operation and outcome (answer, unknown, rejected)",
            m.connector_calls.clone(),
        );
        registry.register(
            "connector_call_duration_seconds",
            "Connector call latency by operation",
            m.connector_duration.clone(),
        );
        registry.register(
            "resolver_backlog",
            "Orders or refunds whose outcome is not known yet",
            m.resolver_backlog.clone(),
        );
        registry.register(
            "resolver_oldest_seconds",
            "Age of the oldest order or refund in the resolver's backlog",
            m.resolver_oldest_seconds.clone(),
        );
        registry.register(
            "db_pool_connections",
            "Database pool connections by state (in_use, idle)",
            m.db_pool.clone(),
        );
        registry.register(
            "channel_contradictions",
            "Connector outcomes that contradict a final order state (success for a failed order, ...), by service and source",
            m.contradictions.clone(),
        );
        registry.register(
            "notifications_refused",
            "Notifications refused (wrong connector, unconfirmed success, final state), by service and reason",
            m.notifications_refused.clone(),
        );
        Metrics { registry, ..m }
    }

    /// The registry as Prometheus text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        encode(&mut out, &self.registry).expect("writing to a String cannot fail");
        out
    }

    pub fn observe_connector(&self, operation: &str, outcome: &str, took: Duration) {
        self.connector_calls
            .get_or_create(&ConnectorLabels {
                operation: operation.into(),
                outcome: outcome.into(),
            })
            .inc();
        self.connector_duration
            .get_or_create(&OperationLabels {
                operation: operation.into(),
            })
            .observe(took.as_secs_f64());
    }

    /// A connector said something that contradicts a final state: logged by the caller at
    /// error level, counted here for alerting.
    pub fn contradiction(&self, service: &str, source: &str) {
        self.contradictions
            .get_or_create(&ContradictionLabels {
                service: service.into(),
                source: source.into(),
            })
            .inc();
    }

    pub fn notification_refused(&self, service: &str, reason: &str) {
        self.notifications_refused
            .get_or_create(&ContradictionLabels {
                service: service.into(),
                source: reason.into(),
            })
            .inc();
    }

    pub fn set_backlog(&self, service: &str, size: i64, oldest_age: Duration) {
        let l = ServiceLabels {
            service: service.into(),
        };
        self.resolver_backlog.get_or_create(&l).set(size);
        self.resolver_oldest_seconds
            .get_or_create(&l)
            .set(oldest_age.as_secs() as i64);
    }
}

/// The process's metrics.
pub fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(Metrics::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_prometheus_text_with_labels() {
        let m = metrics();
        m.http_requests
            .get_or_create(&HttpLabels {
                service: "t".into(),
                route: "/x/{id}".into(),
                method: "GET".into(),
                status: 200,
            })
            .inc();
        m.observe_connector("pay", "answer", Duration::from_millis(12));
        let text = m.render();
        assert!(
            text.contains(
                "payserver_http_requests_total{service=\"t\",route=\"/x/{id}\",method=\"GET\",status=\"200\"} 1"
            ),
            "{text}"
        );
        assert!(
            text.contains("payserver_connector_call_duration_seconds_bucket"),
            "{text}"
        );
    }
}
