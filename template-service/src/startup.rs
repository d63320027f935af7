//! Builds the template-service server: database (migrations, built-in templates), auth and
//! routes. `build` binds the listener (port 0 in tests) so the port is known before running.

use actix_web::web;
use payserver_shared::config::Settings;
use payserver_shared::db::Database;
use payserver_shared::service::{Running, Service};
use payserver_shared::time::{Clock, now_ms};

use crate::db::{MIGRATIONS, repo};
use crate::domain::builtin::builtins;
use crate::error::Error;

pub const SERVICE: &str = "template";

pub struct AppState {
    pub db: Database,
    pub clock: Clock,
}

/// The service, built by [`Application::build`] on the shared skeleton
/// (`payserver_shared::service`).
pub struct Application;

impl Application {
    pub async fn build(settings: &Settings) -> anyhow::Result<Running> {
        let service = Service::prepare(settings, SERVICE, &MIGRATIONS).await?;
        let seed = builtins(&settings.template);
        let created = service
            .db
            .run(move |conn| repo::seed(conn, &seed, now_ms()))
            .await
            .map_err(|e: Error| anyhow::anyhow!("seeding built-in templates: {e}"))?;
        if created > 0 {
            tracing::info!(created, "built-in templates created");
        }
        let state = web::Data::new(AppState {
            db: service.db.clone(),
            clock: Clock::from_settings(settings),
        });
        service.serve_state(state, crate::routes::config)
    }
}
