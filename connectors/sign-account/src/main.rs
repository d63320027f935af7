use clap::Parser;
use connector_contract::shared::config::{ConfigArgs, Settings};

#[derive(Parser)]
#[command(about = "payserver sign-account: the 挂账 connector and its management API")]
struct Cli {
    #[command(flatten)]
    config: ConfigArgs,
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = Settings::load(cli.config.config.as_deref())?;
    connector_contract::shared::telemetry::init("sign-account", &settings.log.filter, settings.log.json);
    let app = sign_account::Application::build(&settings).await?;
    tracing::info!(port = app.port(), "sign-account listening");
    app.run_until_signalled().await?;
    Ok(())
}
