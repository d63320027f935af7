//! The one table of payserver's services and connectors: each entry's name, default port,
//! the public collections the gateway routes to it and the built-in templates it backs.
//!
//! The configuration's defaults for `services.<name>`, `gateway.routes` (and through
//! `services.<name>.url`, `gateway.upstreams`) and `template.builtin_urls` are derived from it ([`defaults_toml`]), the one-process runner
//! starts its entries in this order, and a test checks the Kubernetes manifests and the compose
//! file against it. Adding a connector: its crate, one [`Entry`] here, its build arm in the
//! runner (`src/lib.rs`), its manifests.

/// What an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A core service of the API (template, paymode, payorder, refund).
    Service,
    /// One of this project's connectors: reached by payorder/refund through the payUrl
    /// contract, holds a credential of its own (`connector` claim = its name).
    Connector,
    /// A local stand-in for a channel's servers, run in development only.
    Simulator,
}

/// A built-in template backed by a connector: its key in `template.builtin_urls` and whether
/// its connector answers `checkEnv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    pub key: &'static str,
    pub check_env: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub name: &'static str,
    /// Its own binary (`cargo run -p <crate> --bin <binary>`, the image's command).
    pub binary: &'static str,
    pub kind: Kind,
    pub port: u16,
    /// Database connections per replica by default (a simulator has no database).
    pub pool_size: u32,
    /// First path segments after `/api/v1.0.0/` that the gateway routes here.
    pub routes: &'static [&'static str],
    pub templates: &'static [Template],
}

const fn entry(name: &'static str, binary: &'static str, kind: Kind, port: u16) -> Entry {
    Entry {
        name,
        binary,
        kind,
        port,
        pool_size: if matches!(kind, Kind::Simulator) { 1 } else { 4 },
        routes: &[],
        templates: &[],
    }
}

/// A service entry: the gateway routes `routes` to it.
const fn service(name: &'static str, binary: &'static str, port: u16, routes: &'static [&'static str]) -> Entry {
    Entry {
        routes,
        ..entry(name, binary, Kind::Service, port)
    }
}

/// A connector entry: its own routes and the pay-mode templates it serves.
const fn connector(
    name: &'static str,
    binary: &'static str,
    port: u16,
    routes: &'static [&'static str],
    templates: &'static [Template],
) -> Entry {
    Entry {
        routes,
        templates,
        ..entry(name, binary, Kind::Connector, port)
    }
}

const fn template(key: &'static str, check_env: bool) -> Template {
    Template { key, check_env }
}

/// Every entry, in start order: each may call those before it (the connectors notify
/// payorder and refund, which call the connectors back: both directions are wired before
/// anything starts, see the runner).
pub const REGISTRY: &[Entry] = &[
    service(
        "template",
        "template-service",
        6101,
        &["payModeTemplates", "registerPayModeTemplate"],
    ),
    service("paymode", "paymode-service", 6102, &["payModes", "listAllPayModes"]),
    connector(
        "sign_account",
        "sign-account",
        6201,
        &["signAccounters"],
        &[template("sign_account", false)],
    ),
    connector(
        "member_card",
        "member-card",
        6202,
        &["members"],
        &[template("member_stored_value", false), template("member_count", false)],
    ),
    entry("wechat_simulator", "simulators", Kind::Simulator, 6301),
    entry("alipay_simulator", "simulators", Kind::Simulator, 6302),
    connector(
        "wechat",
        "wechat",
        6203,
        &["wechatMerchants"],
        &[template("wechat", true)],
    ),
    connector(
        "alipay",
        "alipay",
        6204,
        &["alipayMerchants"],
        &[template("alipay", true)],
    ),
    service(
        "payorder",
        "payorder-service",
        6103,
        &["pay", "batchPay", "payNotify", "payOrders", "tradeRecords"],
    ),
    service(
        "refund",
        "refund-service",
        6104,
        &["refund", "batchRefund", "refundNotify", "refundOrders"],
    ),
];

/// The entry named `name`.
pub fn get(name: &str) -> Option<&'static Entry> {
    REGISTRY.iter().find(|e| e.name == name)
}

/// The entries the gateway routes to and the runner always starts (services and connectors).
pub fn upstreams() -> impl Iterator<Item = &'static Entry> {
    REGISTRY.iter().filter(|e| e.kind != Kind::Simulator)
}

/// This project's connectors.
pub fn connectors() -> impl Iterator<Item = &'static Entry> {
    REGISTRY.iter().filter(|e| e.kind == Kind::Connector)
}

/// The configuration defaults the registry implies, as TOML: appended to the built-in layer
/// (`config/defaults.toml`, which must not repeat these tables). `gateway.upstreams` defaults
/// to each service's `url` instances after loading.
pub fn defaults_toml() -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let local = |port: u16| format!("http://127.0.0.1:{port}");
    out.push_str("[gateway.routes]\n");
    for e in upstreams() {
        for r in e.routes {
            let _ = writeln!(out, "{r} = \"{}\"", e.name);
        }
    }
    for e in REGISTRY {
        let _ = writeln!(
            out,
            "\n[services.{}]\nhost = \"127.0.0.1\"\nport = {}\nurl = \"{}\"\npool_size = {}",
            e.name,
            e.port,
            local(e.port),
            e.pool_size
        );
        for t in e.templates {
            let base = format!("{}/connector", local(e.port));
            let _ = writeln!(
                out,
                "\n[template.builtin_urls.{}]\npay_url = \"{base}/pay\"\nrefund_url = \"{base}/refund\"\nquery_url = \"{base}/query\"",
                t.key
            );
            if t.check_env {
                let _ = writeln!(out, "check_env_url = \"{base}/checkEnv\"");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_ports_and_routes_are_unique() {
        let mut names = std::collections::BTreeSet::new();
        let mut ports = std::collections::BTreeSet::new();
        let mut routes = std::collections::BTreeSet::new();
        for e in REGISTRY {
            assert!(names.insert(e.name), "{} twice", e.name);
            assert!(ports.insert(e.port), "port {} twice", e.port);
            for r in e.routes {
                assert!(routes.insert(r.to_ascii_lowercase()), "route {r} twice");
            }
            assert!(e.kind == Kind::Connector || e.templates.is_empty(), "{}", e.name);
        }
    }

    #[test]
    fn the_defaults_parse_as_toml() {
        let text = defaults_toml();
        let parsed: config::Config = config::Config::builder()
            .add_source(config::File::from_str(&text, config::FileFormat::Toml))
            .build()
            .expect("registry defaults are TOML");
        assert_eq!(parsed.get_string("gateway.routes.members").unwrap(), "member_card");
        assert_eq!(parsed.get_int("services.alipay_simulator.port").unwrap(), 6302);
    }
}
