use clap::Parser;
use connector_contract::shared::config::{ConfigArgs, Settings};

#[derive(Parser)]
#[command(about = "payserver alipay connector: Alipay barcode pay behind the connector contract")]
struct Cli {
    #[command(flatten)]
    config: ConfigArgs,
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = Settings::load(cli.config.config.as_deref())?;
    connector_contract::shared::telemetry::init("alipay", &settings.log.filter, settings.log.json);
    let app = alipay::Application::build(&settings).await?;
    tracing::info!(port = app.port(), "alipay connector listening");
    app.run_until_signalled().await?;
    Ok(())
}
