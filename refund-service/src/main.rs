use clap::Parser;
use payserver_shared::config::{ConfigArgs, Settings};

#[derive(Parser)]
#[command(about = "payserver refund-service: refunds as a crash-safe saga")]
struct Cli {
    #[command(flatten)]
    config: ConfigArgs,
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = Settings::load(cli.config.config.as_deref())?;
    payserver_shared::telemetry::init("refund-service", &settings.log.filter, settings.log.json);
    let app = refund_service::Application::build(&settings).await?;
    tracing::info!(port = app.port(), "refund-service listening");
    app.run_until_signalled().await?;
    Ok(())
}
