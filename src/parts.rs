//! The crate behind each entry of the service registry (`shared/src/registry.rs`): how the
//! one-process runner builds it, and its part of the public API document. Adding a service or
//! a connector: its registry entry and one line here.

use std::future::Future;
use std::pin::Pin;

use payserver_shared::config::Settings;
use payserver_shared::service::Running;

/// A started build of one entry's server.
pub type Build<'a> = Pin<Box<dyn Future<Output = anyhow::Result<Running>> + 'a>>;

pub struct Part {
    /// The registry entry's name.
    pub name: &'static str,
    pub build: for<'a> fn(&'a Settings) -> Build<'a>,
    /// Its public operations (`<crate>::api_doc::openapi`), if it has any.
    pub api_doc: Option<fn() -> utoipa::openapi::OpenApi>,
}

/// A crate with the usual shape: `Application::build` and `api_doc::openapi`.
macro_rules! part {
    ($name:literal, $krate:ident) => {{
        fn build(settings: &Settings) -> Build<'_> {
            Box::pin($krate::Application::build(settings))
        }
        Part {
            name: $name,
            build,
            api_doc: Some($krate::api_doc::openapi),
        }
    }};
}

/// A local channel simulator: a server without a database or a document.
macro_rules! simulator {
    ($name:literal, $module:ident) => {{
        fn build(settings: &Settings) -> Build<'_> {
            Box::pin(async move {
                let svc = settings.service($name);
                let listener = std::net::TcpListener::bind((svc.host.as_str(), svc.port))?;
                let server = simulators::$module::build(listener, simulators::$module::Config::default())?;
                Ok(Running::new($name, svc.port, server))
            })
        }
        Part {
            name: $name,
            build,
            api_doc: None,
        }
    }};
}

pub const PARTS: &[Part] = &[
    part!("template", template_service),
    part!("paymode", paymode_service),
    part!("payorder", payorder_service),
    part!("refund", refund_service),
    part!("sign_account", sign_account),
    part!("member_card", member_card),
    part!("wechat", wechat),
    part!("alipay", alipay),
    simulator!("wechat_simulator", wechat),
    simulator!("alipay_simulator", alipay),
];

/// The part of the registry entry `name`.
pub fn part(name: &str) -> Option<&'static Part> {
    PARTS.iter().find(|p| p.name == name)
}

#[cfg(test)]
mod tests {
    use payserver_shared::registry::REGISTRY;

    use super::*;

    #[test]
    fn every_registry_entry_has_exactly_one_part() {
        let mut parts: Vec<_> = PARTS.iter().map(|p| p.name).collect();
        let mut entries: Vec<_> = REGISTRY.iter().map(|e| e.name).collect();
        parts.sort_unstable();
        entries.sort_unstable();
        assert_eq!(parts, entries);
    }
}
