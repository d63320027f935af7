//! The deployment manifests (Kubernetes, compose) against the service registry
//! (`shared/src/registry.rs`): every service and connector has its manifest, runs its own
//! binary on its registry port, is reachable under its name, and the built-in templates point
//! at the connector that backs them. A new registry entry without manifests fails here.

use std::path::{Path, PathBuf};

use payserver_shared::registry::{self, Kind};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The DNS name of a registry entry in both deployments (`sign_account` → `sign-account`).
fn host(name: &str) -> String {
    name.replace('_', "-")
}

fn env_key(name: &str) -> String {
    name.to_ascii_uppercase()
}

#[test]
fn every_kubernetes_manifest_matches_the_registry() {
    let kustomization = read("deploy/kubernetes/kustomization.yaml");
    let configmap = read("deploy/kubernetes/configmap.yaml");
    for e in registry::upstreams() {
        let file = format!("{}.yaml", host(e.name));
        let manifest = read(&format!("deploy/kubernetes/{file}"));
        assert!(
            kustomization.contains(&format!("  - {file}\n")),
            "kustomization lists {file}"
        );
        assert!(
            manifest.contains(&format!("command: [\"{}\"]", e.binary)),
            "{file} runs {}",
            e.binary
        );
        assert!(
            manifest.contains(&format!("containerPort: {}", e.port)),
            "{file} port {}",
            e.port
        );
        assert!(
            manifest.contains(&format!("PAYSERVER__SERVICES__{}__DATABASE_URL", env_key(e.name))),
            "{file} names its database"
        );
        // Where the others reach it in the cluster.
        let address = format!("http://{}:{}", host(e.name), e.port);
        let url = format!("PAYSERVER__SERVICES__{}__URL: {address}", env_key(e.name));
        assert!(configmap.contains(&url), "configmap: {url}");
        let bind = format!("PAYSERVER__SERVICES__{}__HOST: 0.0.0.0", env_key(e.name));
        assert!(configmap.contains(&bind), "configmap: {bind}");
        for t in e.templates {
            let pay = format!(
                "PAYSERVER__TEMPLATE__BUILTIN_URLS__{}__PAY_URL: {address}/connector/pay",
                env_key(t.key)
            );
            assert!(configmap.contains(&pay), "configmap: {pay}");
        }
    }
}

/// The lines of one top-level compose service, up to the next key at its indentation.
fn compose_block(compose: &str, service: &str) -> String {
    let mut lines = compose.lines().skip_while(|l| *l != format!("  {service}:"));
    assert!(lines.next().is_some(), "docker-compose.yml has no service {service}");
    lines
        .take_while(|l| l.is_empty() || l.starts_with("   ") || l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_compose_service_matches_the_registry() {
    let compose = read("docker-compose.yml");
    for e in registry::REGISTRY {
        let service = if e.kind == Kind::Simulator {
            "simulators".to_string()
        } else {
            host(e.name)
        };
        let block = compose_block(&compose, &service);
        assert!(
            block.contains(&format!("command: [\"{}\"]", e.binary)),
            "compose {service} runs {}",
            e.binary
        );
        if e.kind != Kind::Simulator {
            assert!(
                block.contains(&format!("http://127.0.0.1:{}/readyz", e.port)),
                "compose {service} checks readiness on port {}",
                e.port
            );
        }
    }
}
