use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{HttpRequest, HttpResponse, web};
use payserver_shared::config::Settings;
use payserver_shared::testing::{self, Api};
pub use payserver_shared::testing::{admin_token as admin, assert_envelope, merchant_token as merchant, read};
use reqwest::Method;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// What reached an echo upstream: one `"METHOD raw-path?query"` per request, in order.
pub type Seen = Arc<Mutex<Vec<String>>>;

/// The gateway, called through its public prefix (`Api` under `/payServer/api/v1.0.0`, which
/// it derefs to) or raw.
pub struct TestGateway {
    pub address: String,
    public: Api,
    /// Every request that reached the gateway's echo upstream, which stands in for every
    /// service of the real route table but template-service.
    pub seen: Seen,
}

/// An upstream that records and echoes what it received, sleeps on `/api/v1.0.0/slow`, and
/// answers a bare HTML 502 on `.../html-error`.
async fn echo(req: HttpRequest, body: web::Bytes, seen: web::Data<Seen>) -> HttpResponse {
    let query = req.uri().query().map(|q| format!("?{q}")).unwrap_or_default();
    seen.lock()
        .unwrap()
        .push(format!("{} {}{query}", req.method(), req.uri().path()));
    if req.path().ends_with("/slow") {
        tokio::time::sleep(Duration::from_secs(3)).await;
    }
    if req.path().ends_with("/html-error") {
        return HttpResponse::BadGateway()
            .insert_header(("x-upstream", "echo"))
            .content_type("text/html")
            .body("<h1>502</h1> upstream.internal:6103 refused");
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
    spawn_echo_into(Seen::default())
}

/// [`spawn_echo`], recording into `seen`.
pub fn spawn_echo_into(seen: Seen) -> String {
    let seen = web::Data::new(seen);
    testing::serve_stand_in(1, move |cfg| {
        cfg.app_data(seen.clone()).default_service(web::to(echo));
    })
}

/// A port nothing listens on.
pub fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// A gateway in front of a real template-service, an echo upstream (`echoes`, `slow`, and
/// every other service of the real route table), and a dead one (`deadThings`).
pub async fn spawn_gateway() -> TestGateway {
    spawn_gateway_with(|_| {}).await
}

/// [`spawn_gateway`] with settings adjusted by the test.
pub async fn spawn_gateway_with(adjust: impl FnOnce(&mut Settings)) -> TestGateway {
    spawn(adjust, gateway::startup::CLIENT_REQUEST_TIMEOUT).await
}

/// [`spawn_gateway`] with another client request timeout.
pub async fn spawn_gateway_with_client_timeout(timeout: Duration) -> TestGateway {
    spawn(|_| {}, timeout).await
}

async fn spawn(adjust: impl FnOnce(&mut Settings), client_timeout: Duration) -> TestGateway {
    let mut settings: Settings = testing::settings();
    let url = testing::database_url(&settings, "template");
    let svc = settings.services.entry("template".into()).or_default();
    svc.port = 0;
    svc.database_url = Some(url.into());
    let template = template_service::Application::build(&settings).await.unwrap();
    let template_url = format!("http://127.0.0.1:{}", template.port());
    tokio::spawn(template.run_until_stopped());

    let seen = Seen::default();
    let echo = spawn_echo_into(seen.clone());
    let g = &mut settings.gateway;
    g.host = "127.0.0.1".into();
    g.port = 0;
    g.upstream_timeout_ms = 1000;
    // No test may reach whatever listens on the default ports.
    for urls in g.upstreams.values_mut() {
        *urls = vec![echo.clone()];
    }
    g.upstreams.insert("template".into(), vec![template_url]);
    g.upstreams.insert("echo".into(), vec![echo]);
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
    let gateway = gateway::Application::build_with_client_timeout(&settings, client_timeout).unwrap();
    let address = format!("http://127.0.0.1:{}", gateway.port());
    tokio::spawn(gateway.run_until_stopped());
    TestGateway {
        public: Api::new(format!("{address}/payServer/api/v1.0.0")),
        address,
        seen,
    }
}

payserver_shared::test_app_api!(TestGateway, public);

impl TestGateway {
    pub fn api(&self, path: &str) -> String {
        self.url(path)
    }

    /// The gateway's own routes and everything outside its prefix (`{address}/...`).
    pub fn root(&self) -> Api {
        Api::new(&self.address)
    }

    /// A connection to the gateway, for requests no HTTP client would send as written (every
    /// URL parser removes dot segments) or sends at its own pace.
    pub async fn connect(&self) -> TcpStream {
        TcpStream::connect(self.address.trim_start_matches("http://"))
            .await
            .unwrap()
    }

    /// Sends `head` (request line and headers, without the blank line) and `body` on a new
    /// connection, exactly as written, and reads the answer.
    pub async fn send_raw(&self, head: &str, body: &[u8]) -> RawResponse {
        let mut stream = self.connect().await;
        stream
            .write_all(format!("{head}\r\nConnection: close\r\n\r\n").as_bytes())
            .await
            .unwrap();
        stream.write_all(body).await.unwrap();
        read_raw(&mut stream).await
    }

    /// `GET`/`POST`... `target` (sent as is) with a token and an optional JSON body.
    pub async fn raw(&self, method: &str, target: &str, token: &str, body: Option<&str>) -> RawResponse {
        let host = self.address.trim_start_matches("http://");
        let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}");
        if let Some(b) = body {
            head.push_str(&format!(
                "\r\nContent-Type: application/json\r\nContent-Length: {}",
                b.len()
            ));
        }
        self.send_raw(&head, body.unwrap_or_default().as_bytes()).await
    }

    /// What reached the echo upstream so far.
    pub fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }

    /// A GET of `path` under the prefix as merchant `m1`, the caller most tests need: add
    /// headers, then send it with [`testing::send`].
    pub fn merchant_get(&self, path: &str) -> reqwest::RequestBuilder {
        self.request(Method::GET, path, &merchant("m1"))
    }

    /// A CORS preflight of `payModeTemplates` from a page of `origin` that means to send
    /// `method`: add headers, then send it.
    pub fn preflight(&self, origin: &str, method: &str) -> reqwest::RequestBuilder {
        self.http
            .request(Method::OPTIONS, self.api("payModeTemplates"))
            .header("origin", origin)
            .header("access-control-request-method", method)
    }

    /// Sends each raw `target` (as written, dot segments and all) as a GET of merchant `m1`:
    /// each answers the 404 envelope.
    pub async fn assert_raw_gets_not_found(&self, targets: impl IntoIterator<Item = impl AsRef<str>>) {
        for target in targets {
            self.raw("GET", target.as_ref(), &merchant("m1"), None)
                .await
                .assert_envelope(404, 4040);
        }
    }
}

/// Reads a response that must be the error envelope with this status and code: its body.
pub async fn read_envelope(resp: reqwest::Response, want_status: u16, want_code: u64) -> Value {
    let (status, body) = read(resp).await;
    assert_envelope(status, &body, want_status, want_code);
    body
}

/// An answer read off a raw connection.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    /// Lower-cased names.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|_| panic!("not JSON ({}): {:?}", self.status, self.body))
    }

    pub fn assert_envelope(&self, want_status: u16, want_code: u64) {
        assert_envelope(self.status, &self.json(), want_status, want_code);
    }
}

/// Reads one answer (the gateway closes the connection after it: `Connection: close`).
pub async fn read_raw(stream: &mut TcpStream) -> RawResponse {
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut buf)).await;
    let text = String::from_utf8_lossy(&buf);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no complete answer: {text:?}"));
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked { dechunk(body) } else { body.to_string() };
    RawResponse { status, headers, body }
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}
