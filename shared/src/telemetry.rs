//! Tracing setup: human-readable or JSON lines, filtered by `RUST_LOG` or the configured
//! filter. Idempotent, so the one-process binary and tests may call it more than once.

use tracing_subscriber::{EnvFilter, fmt};

pub fn init(service: &str, filter: &str, json: bool) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(filter));
    let builder = fmt().with_env_filter(filter).with_target(false);
    let result = if json {
        builder.json().flatten_event(true).try_init()
    } else {
        builder.try_init()
    };
    if result.is_ok() {
        tracing::debug!(service, "tracing initialised");
    }
}

/// Tracing for tests: printed only when `TEST_LOG` is set.
pub fn init_for_tests() {
    if std::env::var_os("TEST_LOG").is_some() {
        init("test", "debug", false);
    }
}
