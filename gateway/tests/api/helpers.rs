use std::time::Duration;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use payserver_shared::auth::Role;
use payserver_shared::config::Settings;
use payserver_shared::testing;
use serde_json::{Value, json};

pub struct TestGateway {
    pub address: String,
    pub client: reqwest::Client,
}

/// An upstream that echoes what it received, and sleeps on `/api/v1.0.0/slow`.
async fn echo(req: HttpRequest, body: web::Bytes) -> HttpResponse {
    if req.path().ends_with("/slow") {
        tokio::time::sleep(Duration::from_secs(3)).await;
    }
    let headers: serde_json::Map<String, Value> = req
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_string(), Value::from(v.to_str().unwrap_or_default())))
        .collect();
    let port = req.app_config().local_addr().port();
    HttpResponse::Ok()
        .insert_header(("proxy-authenticate", "Basic realm=upstream"))
        .insert_header(("x-instance", port.to_string()))
        .insert_header(("x-upstream", "echo"))
        .json(json!({ "method": req.method().as_str(), "path": req.path(), "query": req.query_string(), "headers": headers, "body": String::from_utf8_lossy(&body) }))
}

pub fn spawn_echo() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = HttpServer::new(|| App::new().default_service(web::to(echo)))
        .listen(listener)
        .unwrap()
        .workers(1)
        .run();
    tokio::spawn(server);
    format!("http://127.0.0.1:{port}")
}

/// A port nothing listens on.
pub fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// A gateway in front of a real template-service, an echo upstream (`echoes`, `slow`), and a
/// dead one (`deadThings`).
pub async fn spawn_gateway() -> TestGateway {
    spawn_gateway_with(|_| {}).await
}

/// [`spawn_gateway`] with settings adjusted by the test.
pub async fn spawn_gateway_with(adjust: impl FnOnce(&mut Settings)) -> TestGateway {
    let mut settings: Settings = testing::settings();
    let url = testing::database_url(&settings, "template");
    let svc = settings.services.entry("template".into()).or_default();
    svc.port = 0;
    svc.database_url = Some(url.into());
    let template = template_service::Application::build(&settings).await.unwrap();
    let template_url = format!("http://127.0.0.1:{}", template.port());
    tokio::spawn(template.run_until_stopped());

    let g = &mut settings.gateway;
    g.host = "127.0.0.1".into();
    g.port = 0;
    g.upstream_timeout_ms = 1000;
    g.upstreams.insert("template".into(), vec![template_url]);
    g.upstreams.insert("echo".into(), vec![spawn_echo()]);
    g.upstreams.insert("dead".into(), vec![closed_port_url()]);
    for (route, upstream) in [
        ("echoes", "echo"),
        ("slow", "echo"),
        ("deadThings", "dead"),
        ("orphans", "nobody"),
    ] {
        g.routes.insert(route.into(), upstream.into());
    }
    settings.http.body_limit = 4096;
    adjust(&mut settings);
    let gateway = gateway::Application::build(&settings).unwrap();
    let address = format!("http://127.0.0.1:{}", gateway.port());
    tokio::spawn(gateway.run_until_stopped());
    TestGateway {
        address,
        client: reqwest::Client::new(),
    }
}

pub fn admin() -> String {
    testing::token(None, &[Role::Admin])
}

pub fn merchant(uuid: &str) -> String {
    testing::token(Some(uuid), &[Role::Merchant])
}

impl TestGateway {
    pub fn api(&self, path: &str) -> String {
        format!("{}/payServer/api/v1.0.0/{}", self.address, path.trim_start_matches('/'))
    }
}

pub async fn read(resp: reqwest::Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    let value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
    (status, value)
}

pub fn assert_envelope(status: u16, body: &Value, want_status: u16, want_code: u64) {
    assert_eq!(status, want_status, "{body}");
    assert_eq!(body["statusCode"], want_status, "{body}");
    assert_eq!(body["code"], want_code, "{body}");
    assert!(
        body["message"].is_string() && body["description"].is_string() && body["name"].is_string(),
        "{body}"
    );
}
