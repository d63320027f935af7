//! `payserver-bench`: a load generator for a running payserver. It prepares a fresh merchant
//! through the gateway (opens the sign-account mode, creates an accounter with ample credit
//! and a sign person), then keeps `--concurrency` clients paying with distinct `clientPayNo`s
//! for `--duration` seconds and prints pay/s, latency percentiles and errors.
//!
//! It is a benchmark, not a test: run it against `cargo run --release` (SQLite) or a
//! PostgreSQL deployment, on a machine otherwise idle, and repeat runs to see the noise.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use payserver_shared::auth::{Role, claims_for, mint_hs256};
use payserver_shared::config::Settings;
use serde_json::{Value, json};

const SIGN_ACCOUNT_TEMPLATE: &str = "382CF8DF-017F-4009-928F-D5B008095962";

#[derive(Parser)]
#[command(about = "Drive POST /pay with sign account through the gateway and report pay/s and latency")]
struct Cli {
    /// The gateway's API base.
    #[arg(long, default_value = "http://127.0.0.1:8080/payServer/api/v1.0.0")]
    gateway: String,
    /// Clients paying at once.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Seconds of load (after a 2 s warm-up).
    #[arg(long, default_value_t = 20)]
    duration: u64,
    /// Sign accounters the clients charge, in turn. One makes every pay contend for one
    /// credit line (its row lock is held through each commit).
    #[arg(long, default_value_t = 8)]
    accounters: usize,
    /// Amount of each pay, in fen.
    #[arg(long, default_value_t = 100)]
    amount: i64,
    /// A merchant token; by default one is minted with the configured HS256 secret.
    #[arg(long)]
    token: Option<String>,
    #[arg(long, value_name = "FILE")]
    config: Option<std::path::PathBuf>,
}

async fn call(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    token: &str,
    body: Option<Value>,
) -> anyhow::Result<Value> {
    let mut rb = http.request(method, &url).bearer_auth(token);
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    let resp = rb.send().await?;
    let status = resp.status();
    let value: Value = resp.json().await?;
    anyhow::ensure!(status.is_success(), "{url} answered {status}: {value}");
    Ok(value)
}

/// A fresh merchant with the sign-account mode open and `--accounters` accounters with ample
/// credit; one pay body per accounter.
async fn prepare(cli: &Cli, http: &reqwest::Client, token: &str) -> anyhow::Result<Vec<Value>> {
    let post = reqwest::Method::POST;
    let mode = call(
        http,
        post.clone(),
        format!("{}/payModes", cli.gateway),
        token,
        Some(json!({"payTemplateId": SIGN_ACCOUNT_TEMPLATE})),
    )
    .await?;
    let mut bodies = Vec::new();
    for i in 0..cli.accounters.max(1) {
        let accounter = call(
            http,
            post.clone(),
            format!("{}/signAccounters", cli.gateway),
            token,
            Some(json!({"name": format!("bench accounter {i}"), "creditLimit": 1_000_000_000_000i64})),
        )
        .await?;
        let accounter_uuid = accounter["uuid"].as_str().unwrap_or_default().to_string();
        let person = call(
            http,
            post.clone(),
            format!("{}/signAccounters/{accounter_uuid}/signPersons", cli.gateway),
            token,
            Some(json!({"name": "bench person"})),
        )
        .await?;
        bodies.push(json!({
            "payModeUUID": mode["uuid"], "payer": "bench", "payee": "bench-shop", "payAmount": cli.amount,
            "payParams": {"signAccounterUUID": accounter_uuid, "signPersonUUID": person["uuid"]},
            "clientExtraParams": {}
        }));
    }
    Ok(bodies)
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let merchant = payserver_shared::ids::new_uuid();
    let token = match &cli.token {
        Some(t) => t.clone(),
        None => {
            let settings = Settings::load(cli.config.as_deref())?;
            let secret = settings
                .hs256_secret()
                .ok_or_else(|| anyhow::anyhow!("no HS256 secret configured; pass --token"))?;
            mint_hs256(
                secret,
                &claims_for("bench", Some(&merchant), &[Role::Merchant], 3600, &settings),
            )?
        }
    };
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(cli.concurrency)
        .timeout(Duration::from_secs(30))
        .build()?;
    let bodies = Arc::new(prepare(&cli, &http, &token).await?);

    let errors = Arc::new(AtomicU64::new(0));
    let limited = Arc::new(AtomicU64::new(0));
    let measure_from = Instant::now() + Duration::from_secs(2);
    let end = measure_from + Duration::from_secs(cli.duration);
    let url = Arc::new(format!("{}/pay", cli.gateway));
    let token = Arc::new(token);
    let mut workers = Vec::new();
    for w in 0..cli.concurrency {
        let (http, url, token, bodies) = (http.clone(), url.clone(), token.clone(), bodies.clone());
        let (errors, limited) = (errors.clone(), limited.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut n = 0u64;
            while Instant::now() < end {
                let mut body = bodies[w % bodies.len()].clone();
                body["clientPayNo"] = json!(format!("bench-{w}-{n}"));
                n += 1;
                let t0 = Instant::now();
                let sent = http
                    .post(url.as_str())
                    .bearer_auth(token.as_str())
                    .json(&body)
                    .send()
                    .await;
                let (ok, rate_limited) = match sent {
                    Ok(resp) if resp.status().is_success() => (
                        resp.json::<Value>().await.is_ok_and(|v| v["data"]["status"] == "payed"),
                        false,
                    ),
                    Ok(resp) => (false, resp.status().as_u16() == 429),
                    Err(_) => (false, false),
                };
                if t0 < measure_from {
                    continue;
                }
                if ok {
                    latencies.push(t0.elapsed().as_micros() as u64);
                } else {
                    errors.fetch_add(1, Ordering::Relaxed);
                    if rate_limited {
                        limited.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            latencies
        }));
    }
    let mut all = Vec::new();
    for w in workers {
        all.extend(w.await?);
    }
    all.sort_unstable();
    let secs = cli.duration as f64;
    let limited = limited.load(Ordering::Relaxed);
    println!(
        "concurrency {}  duration {} s  amount {} fen  accounters {}",
        cli.concurrency,
        cli.duration,
        cli.amount,
        cli.accounters.max(1)
    );
    println!(
        "pays        {} ok, {} errors ({limited} of them 429: rate limited)",
        all.len(),
        errors.load(Ordering::Relaxed)
    );
    println!("throughput  {:.1} pay/s", all.len() as f64 / secs);
    println!(
        "latency ms  p50 {:.2}  p90 {:.2}  p99 {:.2}  max {:.2}",
        percentile(&all, 0.50),
        percentile(&all, 0.90),
        percentile(&all, 0.99),
        percentile(&all, 1.0)
    );
    if limited > 0 {
        println!("note        the gateway's rate limits capped this run; benchmark with them off:");
        println!(
            "            PAYSERVER__GATEWAY__RATE_LIMIT__PER_MERCHANT_PER_SECOND=0 PAYSERVER__GATEWAY__RATE_LIMIT__PER_IP_PER_SECOND=0"
        );
    }
    Ok(())
}
