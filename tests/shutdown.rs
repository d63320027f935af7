//! The `payserver` binary as an operator runs it: SIGINT (Ctrl-C) and SIGTERM stop it
//! gracefully. A request in flight when the signal arrives is answered in full, through the
//! gateway and the service behind it, and then the process exits successfully.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use payserver_shared::auth::Role;
use payserver_shared::registry;
use payserver_shared::testing::{self, TEST_SECRET};
use serde_json::{Value, json};

/// A checkEnvUrl that answers `{"ret": true}` after `delay`, once per connection.
fn slow_check_env(delay: Duration) -> String {
    let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let url = format!("http://127.0.0.1:{}/check", listener.local_addr().unwrap().port());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf);
                std::thread::sleep(delay);
                let body = r#"{"ret":true}"#;
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    url
}

struct Payserver {
    child: Child,
    api: String,
}

/// The binary with every port free, a private data directory and the test secret.
fn start(check_env_prefix: &str) -> Payserver {
    let gateway_port = payserver_shared::http::free_port("127.0.0.1").unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_payserver"));
    cmd.current_dir(testing::temp_dir())
        .env("PAYSERVER__DATA_DIR", testing::temp_dir())
        .env("PAYSERVER__AUTH__JWT_SECRET", TEST_SECRET)
        .env("PAYSERVER__GATEWAY__HOST", "127.0.0.1")
        .env("PAYSERVER__GATEWAY__PORT", gateway_port.to_string())
        .env("PAYSERVER__HTTP__WORKERS", "1")
        .env("PAYSERVER__CONNECTORS__ALLOWED_URL_PREFIXES", check_env_prefix)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for e in registry::REGISTRY {
        let port = payserver_shared::http::free_port("127.0.0.1").unwrap();
        cmd.env(
            format!("PAYSERVER__SERVICES__{}__PORT", e.name.to_uppercase()),
            port.to_string(),
        );
    }
    let child = cmd.spawn().expect("the payserver binary starts");
    Payserver {
        child,
        api: format!("http://127.0.0.1:{gateway_port}/payServer/api/v1.0.0"),
    }
}

impl Payserver {
    async fn wait_ready(&self, http: &reqwest::Client) {
        let readyz = self.api.replace("/payServer/api/v1.0.0", "/readyz");
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if http.get(&readyz).send().await.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("payserver did not become ready");
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([format!("-{name}"), self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits for the process to end; its exit status.
    fn wait_exit(&mut self, within: Duration) -> std::process::ExitStatus {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("payserver did not exit within {within:?}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

async fn graceful_stop_on(signal: &str) {
    let check_env = slow_check_env(Duration::from_millis(1500));
    let prefix = check_env.trim_end_matches("check").to_string();
    let mut server = start(&prefix);
    let http = reqwest::Client::new();
    server.wait_ready(&http).await;

    let admin = testing::token(None, &[Role::Admin]);
    let merchant = testing::token(Some("shutdownMerchant0000001"), &[Role::Merchant]);
    let template = json!({"payTemplateId": format!("SLOW-{signal}"), "name": "慢检测", "checkEnvUrl": check_env});
    let resp = http
        .post(format!("{}/registerPayModeTemplate", server.api))
        .bearer_auth(&admin)
        .json(&template)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 201);

    // Opening the mode waits 1.5 s on the checkEnvUrl; the signal arrives in the middle.
    let open = tokio::spawn({
        let (http, url) = (http.clone(), format!("{}/payModes", server.api));
        let pay_template_id = format!("SLOW-{signal}");
        async move {
            let resp = http
                .post(url)
                .bearer_auth(&merchant)
                .json(&json!({ "payTemplateId": pay_template_id }))
                .send()
                .await
                .expect("the in-flight request is answered, not dropped");
            let status = resp.status().as_u16();
            (status, resp.json::<Value>().await.unwrap_or_default())
        }
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    server.signal(signal);

    let (status, body) = open.await.unwrap();
    assert_eq!(status, 201, "the pay mode opened while the system stopped: {body}");
    let exit = server.wait_exit(Duration::from_secs(30));
    assert!(exit.success(), "a graceful stop exits 0: {exit:?}");
}

#[tokio::test]
async fn sigint_finishes_the_request_in_flight_and_exits_cleanly() {
    graceful_stop_on("INT").await;
}

#[tokio::test]
async fn sigterm_finishes_the_request_in_flight_and_exits_cleanly() {
    graceful_stop_on("TERM").await;
}
