use clap::Parser;
use payserver_shared::config::{ConfigArgs, Settings};

#[derive(Parser)]
#[command(about = "payserver template-service: payModeTemplates")]
struct Cli {
    #[command(flatten)]
    config: ConfigArgs,
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = Settings::load(cli.config.config.as_deref())?;
    payserver_shared::telemetry::init("template-service", &settings.log.filter, settings.log.json);
    let app = template_service::Application::build(&settings).await?;
    tracing::info!(port = app.port(), "template-service listening");
    app.run_until_signalled().await?;
    Ok(())
}
