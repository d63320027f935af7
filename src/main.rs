//! `payserver`: run the whole system in one process, or mint a development token.

use clap::{Parser, Subcommand};
use payserver_shared::auth::{Role, claims_for, mint_hs256};
use payserver_shared::config::{ConfigArgs, JwtAlgorithm, Settings};

#[derive(Parser)]
#[command(about = "payserver: the payment gateway for POS and web checkouts", version)]
struct Cli {
    #[command(flatten)]
    config: ConfigArgs,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Start the gateway and every service in this process (the default).
    Run,
    /// Print a JWT signed with the configured HS256 secret (for development and curl).
    Token {
        /// The merchant the token acts for (claim merchantUUID).
        #[arg(long)]
        merchant: Option<String>,
        /// The shop link put in the merchantHref claim.
        #[arg(long)]
        merchant_href: Option<String>,
        /// merchant, admin, connector or service; repeatable. Default: merchant.
        #[arg(long = "role")]
        roles: Vec<String>,
        /// Lifetime in seconds.
        #[arg(long, default_value_t = 86_400)]
        ttl: i64,
    },
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = Settings::load(cli.config.config.as_deref())?;
    match cli.command.unwrap_or(Command::Run) {
        Command::Run => run(settings).await,
        Command::Token {
            merchant,
            merchant_href,
            roles,
            ttl,
        } => token(&settings, merchant, merchant_href, roles, ttl),
    }
}

async fn run(settings: Settings) -> anyhow::Result<()> {
    payserver_shared::telemetry::init("payserver", &settings.log.filter, settings.log.json);
    let system = payserver::System::start(settings).await?;
    tracing::info!(
        port = system.gateway_port,
        "payserver is up: the gateway serves /payServer"
    );
    system.run_until_stopped().await
}

fn token(
    settings: &Settings,
    merchant: Option<String>,
    merchant_href: Option<String>,
    roles: Vec<String>,
    ttl: i64,
) -> anyhow::Result<()> {
    if settings.auth.algorithm != JwtAlgorithm::HS256 {
        anyhow::bail!("tokens are minted with an HS256 secret; with RS256/ES256 your identity provider issues them");
    }
    let secret = settings.hs256_secret().ok_or_else(|| {
        anyhow::anyhow!("no HS256 secret configured (auth.jwt_secret, or development.jwt_secret in development)")
    })?;
    let roles = if roles.is_empty() {
        vec!["merchant".to_string()]
    } else {
        roles
    };
    let roles = roles
        .iter()
        .map(|r| {
            Role::parse(r).ok_or_else(|| anyhow::anyhow!("unknown role {r:?}: merchant, admin, connector or service"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    if roles.contains(&Role::Merchant) && merchant.is_none() {
        anyhow::bail!("a merchant token needs --merchant <uuid>");
    }
    let mut claims = claims_for("payserver-cli", merchant.as_deref(), &roles, ttl, settings);
    claims.merchant_href = merchant_href;
    println!("{}", mint_hs256(secret, &claims)?);
    Ok(())
}
