//! `simulators`: the local WeChat Pay and Alipay servers, for development only, on the ports of
//! `services.wechat_simulator` and `services.alipay_simulator` (6301, 6302).

use clap::Parser;
use connector_contract::shared::config::{ConfigArgs, Environment, Settings};

#[derive(Parser)]
#[command(about = "payserver's local WeChat Pay and Alipay simulators (development only)")]
struct Cli {
    #[command(flatten)]
    config: ConfigArgs,
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = Settings::load(cli.config.config.as_deref())?;
    connector_contract::shared::telemetry::init("simulators", &settings.log.filter, settings.log.json);
    if settings.environment == Environment::Production {
        anyhow::bail!("the channel simulators are for development; refusing to start with environment = production");
    }
    let bind = |name: &str| {
        let svc = settings.service(name);
        std::net::TcpListener::bind((svc.host.as_str(), svc.port))
    };
    let wechat = simulators::wechat::build(bind("wechat_simulator")?, simulators::wechat::Config::default())?;
    let alipay = simulators::alipay::build(bind("alipay_simulator")?, simulators::alipay::Config::default())?;
    tracing::info!("WeChat Pay and Alipay simulators listening");
    let (wechat_stop, alipay_stop) = (wechat.handle(), alipay.handle());
    let servers = tokio::spawn(async move { tokio::join!(wechat, alipay) });
    connector_contract::shared::service::wait_for_shutdown_signal().await;
    wechat_stop.stop(true).await;
    alipay_stop.stop(true).await;
    let (a, b) = servers.await?;
    a?;
    b?;
    Ok(())
}
