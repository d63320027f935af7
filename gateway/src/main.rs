use clap::Parser;
use payserver_shared::config::{ConfigArgs, Settings};

#[derive(Parser)]
#[command(about = "payserver gateway: /payServer prefix, JWT check, routing")]
struct Cli {
    #[command(flatten)]
    config: ConfigArgs,
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = Settings::load(cli.config.config.as_deref())?;
    payserver_shared::telemetry::init("gateway", &settings.log.filter, settings.log.json);
    let app = gateway::Application::build(&settings)?;
    tracing::info!(port = app.port(), "gateway listening");
    app.run_until_signalled().await?;
    Ok(())
}
