use clap::Parser;
use connector_contract::shared::config::{ConfigArgs, Settings};

#[derive(Parser)]
#[command(about = "payserver member-card: member stored value and count cards (connector and members API)")]
struct Cli {
    #[command(flatten)]
    config: ConfigArgs,
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = Settings::load(cli.config.config.as_deref())?;
    connector_contract::shared::telemetry::init("member-card", &settings.log.filter, settings.log.json);
    let app = member_card::Application::build(&settings).await?;
    tracing::info!(port = app.port(), "member-card listening");
    app.run_until_signalled().await?;
    Ok(())
}
