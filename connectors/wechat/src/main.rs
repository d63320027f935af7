use clap::Parser;
use connector_contract::shared::config::{ConfigArgs, Settings};

#[derive(Parser)]
#[command(about = "payserver wechat connector: WeChat Pay barcode-scanner pay (micropay)")]
struct Cli {
    #[command(flatten)]
    config: ConfigArgs,
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = Settings::load(cli.config.config.as_deref())?;
    connector_contract::shared::telemetry::init("wechat", &settings.log.filter, settings.log.json);
    let app = wechat::Application::build(&settings).await?;
    tracing::info!(port = app.port(), "wechat connector listening");
    app.run_until_signalled().await?;
    Ok(())
}
