//! `payserver`: run the whole system in one process, or mint a development token.

use clap::{Parser, Subcommand};
use payserver_shared::auth::{INTERNAL_AUDIENCE, Role, claims_for, connector_audience, mint_hs256, mint_with_pem};
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
    /// Print a JWT: signed with the HS256 secret in development, with `--private-key` (RS256 or
    /// ES256, as `auth.algorithm` says) when an operator issues production credentials.
    Token(TokenArgs),
    /// Print the public API's OpenAPI document, generated from the code (the gateway serves
    /// the committed copy: `payserver openapi > gateway/openapi/openapi.json`).
    Openapi,
}

#[derive(clap::Args)]
struct TokenArgs {
    /// The merchant the token acts for (claim merchantUUID).
    #[arg(long)]
    merchant: Option<String>,
    /// The shop link put in the merchantHref claim.
    #[arg(long)]
    merchant_href: Option<String>,
    /// merchant, admin or connector; repeatable. Default: merchant. (Service credentials
    /// are issued with --internal or --for-connector.)
    #[arg(long = "role")]
    roles: Vec<String>,
    /// A connector's own credential for /payNotify and /refundNotify: role connector, claim
    /// connector = NAME (auth.connector_tokens.NAME).
    #[arg(long, value_name = "NAME", conflicts_with_all = ["internal", "for_connector"])]
    connector: Option<String>,
    /// The service-to-service token (role service, audience payserver-internal;
    /// auth.service_token).
    #[arg(long, conflicts_with = "for_connector")]
    internal: bool,
    /// The token the platform presents to connector NAME (role service, audience
    /// payserver-connector:NAME; auth.connector_call_tokens.NAME).
    #[arg(long, value_name = "NAME")]
    for_connector: Option<String>,
    /// The subject (sub claim). Default: payserver-cli.
    #[arg(long)]
    subject: Option<String>,
    /// PEM private key to sign with (RS256/ES256 deployments).
    #[arg(long, value_name = "FILE")]
    private_key: Option<std::path::PathBuf>,
    /// Lifetime in seconds.
    #[arg(long, default_value_t = 86_400)]
    ttl: i64,
}

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let file = cli.config.config.as_deref();
    let outcome = match cli.command.unwrap_or(Command::Run) {
        Command::Run => match Settings::load(file) {
            Ok(settings) => run(settings).await,
            Err(e) => Err(e.into()),
        },
        // A token needs only the auth settings: the checkout's configuration is found from
        // anywhere inside the checkout or next to its built binary.
        Command::Token(args) => Settings::load_from_checkout(file)
            .map_err(anyhow::Error::from)
            .and_then(|settings| token(&settings, args)),
        Command::Openapi => {
            print!("{}", payserver::openapi::document_text());
            Ok(())
        }
    };
    // A user's mistake is one line on stderr, not a backtrace.
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("payserver: {e:#}");
            std::process::ExitCode::FAILURE
        }
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

fn token(settings: &Settings, args: TokenArgs) -> anyhow::Result<()> {
    let role_list = || -> anyhow::Result<Vec<Role>> {
        let names = if args.roles.is_empty() {
            vec!["merchant".to_string()]
        } else {
            args.roles.clone()
        };
        names
            .iter()
            .map(|r| match Role::parse(r) {
                Some(Role::Service) => {
                    anyhow::bail!("service credentials are issued with --internal or --for-connector NAME")
                }
                Some(role) => Ok(role),
                None => anyhow::bail!("unknown role {r:?}: merchant, admin or connector"),
            })
            .collect()
    };
    let (roles, audience) = match (&args.connector, args.internal, &args.for_connector) {
        (Some(_), _, _) => (vec![Role::Connector], None),
        (None, true, _) => (vec![Role::Service], Some(INTERNAL_AUDIENCE.to_string())),
        (None, false, Some(name)) => (vec![Role::Service], Some(connector_audience(name))),
        (None, false, None) => (role_list()?, None),
    };
    if roles.contains(&Role::Merchant) && args.merchant.is_none() {
        anyhow::bail!("a merchant token needs --merchant <uuid>");
    }
    if roles.contains(&Role::Connector) && args.connector.is_none() {
        anyhow::bail!("a connector credential needs --connector <name>");
    }
    let subject = args.subject.as_deref().unwrap_or("payserver-cli");
    let mut claims = claims_for(subject, args.merchant.as_deref(), &roles, args.ttl, settings);
    claims.merchant_href = args.merchant_href;
    claims.connector = args.connector;
    if let Some(aud) = audience {
        claims.aud = Some(serde_json::Value::String(aud));
    }
    let token = match (&args.private_key, settings.auth.algorithm) {
        (Some(path), JwtAlgorithm::RS256 | JwtAlgorithm::ES256) => {
            let pem = std::fs::read(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            mint_with_pem(settings.auth.algorithm, &pem, &claims)?
        }
        (Some(_), JwtAlgorithm::HS256) => {
            anyhow::bail!("--private-key needs auth.algorithm = RS256 or ES256 (PAYSERVER__AUTH__ALGORITHM)")
        }
        (None, JwtAlgorithm::HS256) => {
            let secret = settings.hs256_secret().ok_or_else(|| {
                anyhow::anyhow!(
                    "no HS256 secret configured: run this inside the payserver checkout (its \
                     config/default.toml holds the development secret), pass --config FILE, or set \
                     PAYSERVER__AUTH__JWT_SECRET"
                )
            })?;
            mint_hs256(secret, &claims)?
        }
        (None, _) => anyhow::bail!("with RS256/ES256, sign with the operator's key: --private-key FILE"),
    };
    println!("{token}");
    Ok(())
}
