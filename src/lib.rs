//! The whole payserver in one process: every service built so far and the gateway, each on
//! its configured port (SQLite files under `data_dir` unless a service names a database),
//! wired to each other over loopback. This is what `cargo run --release` starts; each
//! service also has its own binary for independent deployment.

pub mod openapi;
pub mod parts;

use std::collections::BTreeMap;

use payserver_shared::config::{Environment, Settings, default_port};
use payserver_shared::registry::{self, Kind};
use payserver_shared::service::Running;
use tokio::task::JoinHandle;

/// The running system.
pub struct System {
    pub gateway_port: u16,
    /// Service name → bound port.
    pub ports: BTreeMap<String, u16>,
    /// In start order: each may call those before it, so they stop in reverse (the gateway
    /// first, the simulators last).
    running: Vec<Running>,
    tasks: Vec<(String, JoinHandle<std::io::Result<()>>)>,
}

/// The services and connectors this process runs, in start order (each may call those
/// before it): the service registry's upstreams.
pub fn services() -> impl Iterator<Item = &'static str> {
    registry::upstreams().map(|e| e.name)
}

/// The channel simulators, started in development and used by the wechat and alipay
/// connectors while their configured URLs point at the simulators' default addresses.
pub fn simulators() -> impl Iterator<Item = &'static str> {
    registry::REGISTRY
        .iter()
        .filter(|e| e.kind == Kind::Simulator)
        .map(|e| e.name)
}

/// Fixes every service's port before anything starts (a free one where the port is 0, as in
/// tests), and points the gateway, the services and the built-in templates at each other
/// over loopback: services call each other in both directions, so every URL must be known
/// up front. The gateway routes only to services this process runs.
fn wire(settings: &mut Settings) -> anyhow::Result<()> {
    settings
        .gateway
        .upstreams
        .retain(|name, _| services().any(|s| s == name));
    for name in services() {
        let svc = settings.services.entry(name.to_string()).or_default();
        if svc.port == 0 {
            svc.port = payserver_shared::http::free_port(&svc.host)?;
        }
        svc.set_url(format!("http://127.0.0.1:{}", svc.port));
        let url = svc.url.clone();
        settings.gateway.upstreams.insert(name.to_string(), vec![url.clone()]);
        // Built-in templates that point at this service's default local address follow it
        // to the port it really has.
        if let Some(port) = default_port(name) {
            let default = format!("http://127.0.0.1:{port}/");
            for urls in settings.template.builtin_urls.values_mut() {
                for u in [
                    &mut urls.pay_url,
                    &mut urls.refund_url,
                    &mut urls.query_url,
                    &mut urls.check_env_url,
                ]
                .into_iter()
                .flatten()
                {
                    if let Some(rest) = u.strip_prefix(&default) {
                        *u = format!("{url}/{rest}");
                    }
                }
            }
        }
    }
    if settings.environment == Environment::Development {
        for (name, connector, key) in [
            ("wechat_simulator", "wechat", "base_url"),
            ("alipay_simulator", "alipay", "gateway_url"),
        ] {
            let svc = settings.services.entry(name.to_string()).or_default();
            if svc.port == 0 {
                svc.port = payserver_shared::http::free_port(&svc.host)?;
            }
            let url = format!("http://127.0.0.1:{}", svc.port);
            svc.set_url(url.clone());
            // A connector still pointed at the simulator's default address follows it.
            let default = format!("http://127.0.0.1:{}", default_port(name).unwrap_or_default());
            if let Some(rest) = settings
                .connector_str(connector, key)
                .and_then(|c| c.strip_prefix(&default).map(str::to_string))
            {
                settings.set_connector(connector, serde_json::json!({ key: format!("{url}{rest}") }))?;
            }
        }
    }
    Ok(())
}

impl System {
    /// Builds and starts every service, then the gateway in front of them.
    pub async fn start(mut settings: Settings) -> anyhow::Result<System> {
        let mut system = System {
            gateway_port: 0,
            ports: BTreeMap::new(),
            running: Vec::new(),
            tasks: Vec::new(),
        };

        wire(&mut settings)?;

        for entry in registry::REGISTRY {
            if entry.kind == Kind::Simulator && settings.environment != Environment::Development {
                continue;
            }
            let part = parts::part(entry.name).ok_or_else(|| {
                anyhow::anyhow!("the registry lists {}, which src/parts.rs does not build", entry.name)
            })?;
            system.add((part.build)(&settings).await?);
        }
        let gateway = gateway::Application::build(&settings)?;
        system.gateway_port = gateway.port();
        system.add(gateway);
        Ok(system)
    }

    fn add(&mut self, mut running: Running) {
        let name = running.name;
        tracing::info!(service = name, port = running.port(), "started");
        self.ports.insert(name.to_string(), running.port());
        if let Some(server) = running.take_server() {
            self.tasks.push((name.to_string(), tokio::spawn(server)));
        }
        self.running.push(running);
    }

    /// Runs until SIGINT or SIGTERM, then stops gracefully ([`System::stop`]). If one server
    /// fails, the others are stopped too: a half-running system helps nobody.
    pub async fn run_until_stopped(mut self) -> anyhow::Result<()> {
        let tasks = std::mem::take(&mut self.tasks);
        let mut failed = Box::pin(async move {
            for (name, task) in tasks {
                let error = match task.await {
                    Ok(Ok(())) => continue,
                    Ok(Err(e)) => e.to_string(),
                    Err(e) => e.to_string(),
                };
                return Some(anyhow::anyhow!("{name} failed: {error}"));
            }
            None
        });
        let failure = tokio::select! {
            failure = &mut failed => failure,
            () = payserver_shared::service::wait_for_shutdown_signal() => None,
        };
        match &failure {
            Some(e) => tracing::error!(error = %e, "a server failed; stopping the others"),
            None => tracing::info!("stopping: the gateway finishes in-flight requests first"),
        }
        self.stop().await;
        failure.map_or(Ok(()), Err)
    }

    /// Stops every server gracefully, the gateway first and then each service after those that
    /// call it: a request in flight at the gateway can still reach the services it needs, and
    /// each service finishes its own in-flight requests (within `http.shutdown_grace_secs`)
    /// before its background jobs stop.
    pub async fn stop(&mut self) {
        for running in self.running.iter_mut().rev() {
            running.stop().await;
        }
    }
}

/// Settings for running the whole system in a test: every server on a free port (simulators
/// included), a fresh database per service (`TEST_DATABASE_URL` or SQLite), the test secret.
pub fn test_settings() -> Settings {
    let mut settings = payserver_shared::testing::settings();
    for name in services().chain(simulators()) {
        settings.services.entry(name.into()).or_default().port = 0;
    }
    for name in services() {
        let url = payserver_shared::testing::database_url(&settings, name);
        settings.services.get_mut(name).expect("just set").database_url = Some(url.into());
    }
    settings.gateway.host = "127.0.0.1".into();
    settings.gateway.port = 0;
    settings
}
