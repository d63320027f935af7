//! One way to build a service: [`Service::prepare`] binds the listener (port 0 in tests) and
//! opens the database with its migrations; the service builds its own state from the
//! [`Service`]; [`Service::serve`] starts the HTTP server with the common middleware (request
//! ids, tracing, metrics), the envelope for extractor errors, `/healthz`, `/readyz`, `/metrics`
//! and the service's routes. The one-process runner, each binary and the tests all use it.
//!
//! Shutdown is ours, not actix's: servers ignore signals (actix's own
//! handling is off), and [`wait_for_shutdown_signal`] + [`Running::stop`] stop accepting, let
//! in-flight requests finish within `http.shutdown_grace_secs`, then stop the service's
//! background jobs. SIGINT (Ctrl-C) and SIGTERM are treated alike.

use std::net::TcpListener;

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::auth::JwtVerifier;
use crate::config::Settings;
use crate::db::{Database, Migrations};
use crate::href::PublicUrlConfig;
use crate::http::{bind, named_service_basics, request_context, workers};

/// A service being built: its name, listener, database and the settings it was built from.
pub struct Service {
    pub name: &'static str,
    pub settings: Settings,
    pub db: Database,
    listener: TcpListener,
    port: u16,
}

impl Service {
    /// Binds the service's port and opens its database (running `migrations`).
    pub async fn prepare(
        settings: &Settings,
        name: &'static str,
        migrations: &'static Migrations,
    ) -> anyhow::Result<Self> {
        let svc = settings.service(name);
        let db = Database::open(settings.database_url(name), svc.pool_size, migrations).await?;
        let listener = bind(&svc.host, svc.port)?;
        let port = listener.local_addr()?.port();
        Ok(Self {
            name,
            settings: settings.clone(),
            db,
            listener,
            port,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Where the service is reached: its configured URL (the first instance when `url` lists
    /// several: a caller with a balanced [`crate::client::ServiceClient`] moves on to the others
    /// when it refuses), or loopback on the bound port when the port was picked at start (tests).
    pub fn self_url(&self) -> String {
        let svc = self.settings.service(self.name);
        if svc.port == 0 {
            format!("http://127.0.0.1:{}", self.port)
        } else {
            svc.url
        }
    }

    /// Serves the service's state (as app data) and its `routes`, the common case of
    /// [`Service::serve`].
    pub fn serve_state<T: Send + Sync + 'static>(
        self,
        state: web::Data<T>,
        routes: fn(&mut web::ServiceConfig),
    ) -> anyhow::Result<Running> {
        self.serve(move |cfg| {
            cfg.app_data(state.clone());
            routes(cfg);
        })
    }

    /// Starts serving `routes` (which registers the service's own app data and routes). Give
    /// the result the service's background jobs ([`Running::with_job`]): they are stopped
    /// after the server.
    pub fn serve<F>(self, routes: F) -> anyhow::Result<Running>
    where
        F: Fn(&mut web::ServiceConfig) + Send + Clone + 'static,
    {
        let verifier = web::Data::new(JwtVerifier::from_settings(&self.settings)?);
        let public = web::Data::new(PublicUrlConfig {
            public_url: self.settings.public_url.clone(),
        });
        let db = web::Data::new(self.db);
        let body_limit = self.settings.http.body_limit;
        let name = self.name;
        let server = HttpServer::new(move || {
            App::new()
                .wrap(from_fn(request_context))
                .app_data(verifier.clone())
                .app_data(public.clone())
                .app_data(db.clone())
                .configure(named_service_basics(name, body_limit))
                .configure(routes.clone())
        })
        .listen(self.listener)?
        .workers(workers(&self.settings))
        // Our shutdown, not actix's: SIGINT would otherwise be a forced stop.
        .disable_signals()
        .shutdown_timeout(self.settings.http.shutdown_grace_secs)
        .run();
        Ok(Running::new(name, self.port, server))
    }
}

/// A started server and its background jobs.
pub struct Running {
    pub name: &'static str,
    port: u16,
    handle: ServerHandle,
    server: Option<Server>,
    on_stop: Vec<Box<dyn FnOnce() + Send>>,
}

impl Running {
    pub fn new(name: &'static str, port: u16, server: Server) -> Self {
        Self {
            name,
            port,
            handle: server.handle(),
            server: Some(server),
            on_stop: Vec::new(),
        }
    }

    /// A background task ended (aborted) once the server has stopped.
    pub fn with_job(self, job: JoinHandle<()>) -> Self {
        self.on_stop(move || job.abort())
    }

    /// A worker told to wind down once the server has stopped: `spawn` starts it with a
    /// receiver that turns `true` then (the worker finishes the item in hand and ends).
    pub fn with_worker<R>(self, spawn: impl FnOnce(watch::Receiver<bool>) -> R) -> Self {
        let (stop, stopped) = watch::channel(false);
        spawn(stopped);
        self.on_stop(move || {
            let _ = stop.send(true);
        })
    }

    /// Something to do once the server has stopped (tell a worker to finish, say).
    pub fn on_stop(mut self, f: impl FnOnce() + Send + 'static) -> Self {
        self.on_stop.push(Box::new(f));
        self
    }

    fn stop_jobs(&mut self) {
        for f in self.on_stop.drain(..) {
            f();
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn handle(&self) -> ServerHandle {
        self.handle.clone()
    }

    /// Stops accepting, waits for in-flight requests (up to the grace period), then stops the
    /// background jobs.
    pub async fn stop(&mut self) {
        self.handle.stop(true).await;
        self.stop_jobs();
    }

    /// Serves until the server is stopped (by [`Running::handle`] or a failure), then stops
    /// the jobs.
    pub async fn run_until_stopped(mut self) -> std::io::Result<()> {
        let result = match self.server.take() {
            Some(server) => server.await,
            None => Ok(()),
        };
        self.stop_jobs();
        result
    }

    /// The server's own future: resolves when it stops (or fails). Run it on a task; the
    /// jobs stay with `self` so that [`Running::stop`] can end them.
    pub fn take_server(&mut self) -> Option<Server> {
        self.server.take()
    }

    /// Serves until SIGINT or SIGTERM, then stops gracefully (a binary's `main`).
    pub async fn run_until_signalled(mut self) -> anyhow::Result<()> {
        let server = self.take_server().map(tokio::spawn);
        let mut server = server.ok_or_else(|| anyhow::anyhow!("{} was already started", self.name))?;
        tokio::select! {
            done = &mut server => {
                self.stop_jobs();
                return Ok(done??);
            }
            () = wait_for_shutdown_signal() => {}
        }
        tracing::info!(service = self.name, "stopping: finishing in-flight requests");
        self.stop().await;
        server.await??;
        Ok(())
    }
}

/// Resolves on the first SIGINT (Ctrl-C) or SIGTERM.
pub async fn wait_for_shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match (signal(SignalKind::interrupt()), signal(SignalKind::terminate())) {
            (Ok(mut int), Ok(mut term)) => {
                tokio::select! {
                    _ = int.recv() => {}
                    _ = term.recv() => {}
                }
            }
            _ => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The whole `main` of a service's own binary: its command line (`--config FILE`), the
/// configuration, logs, the service `build` makes, and the graceful stop on SIGINT/SIGTERM.
/// `name` is the binary's name in logs, `about` its `--help` line.
pub fn main(
    name: &'static str,
    about: &'static str,
    build: impl AsyncFnOnce(&Settings) -> anyhow::Result<Running>,
) -> anyhow::Result<()> {
    use clap::{Args, FromArgMatches};
    let command = crate::config::ConfigArgs::augment_args(clap::Command::new(name))
        .about(about)
        .long_about(about);
    let args = crate::config::ConfigArgs::from_arg_matches(&command.get_matches())?;
    let settings = Settings::load(args.config.as_deref())?;
    crate::telemetry::init(name, &settings.log.filter, settings.log.json);
    actix_web::rt::System::new().block_on(async move {
        let app = build(&settings).await?;
        tracing::info!(port = app.port(), "{name} listening");
        app.run_until_signalled().await
    })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use actix_web::{App, HttpResponse, HttpServer, web};

    use super::Running;

    async fn slow() -> HttpResponse {
        tokio::time::sleep(Duration::from_millis(600)).await;
        HttpResponse::Ok().body("done")
    }

    #[actix_web::test]
    async fn stopping_finishes_in_flight_requests_then_refuses_new_ones_and_ends_the_jobs() {
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = HttpServer::new(|| App::new().route("/slow", web::get().to(slow)))
            .listen(listener)
            .unwrap()
            .workers(1)
            .disable_signals()
            .shutdown_timeout(5)
            .run();
        let (tx, mut job_ended) = tokio::sync::oneshot::channel::<()>();
        let job = tokio::spawn(async move {
            let _keep = tx;
            std::future::pending::<()>().await;
        });
        let mut running = Running::new("test", port, server).with_job(job);
        let server = tokio::spawn(running.take_server().unwrap());

        let url = format!("http://127.0.0.1:{port}/slow");
        let in_flight = tokio::spawn(reqwest::get(url.clone()));
        tokio::time::sleep(Duration::from_millis(150)).await;
        running.stop().await;

        let answer = in_flight.await.unwrap().expect("the in-flight request is answered");
        assert_eq!(answer.status().as_u16(), 200);
        assert_eq!(answer.text().await.unwrap(), "done");
        assert!(reqwest::get(url).await.is_err(), "a stopped server accepts nothing new");
        server.await.unwrap().unwrap();
        // The job was aborted: its sender is dropped.
        assert!(matches!(
            job_ended.try_recv(),
            Err(tokio::sync::oneshot::error::TryRecvError::Closed)
        ));
    }
}
