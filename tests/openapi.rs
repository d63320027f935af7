//! The OpenAPI document is generated from the code (`payserver::openapi`, each crate's
//! `api_doc`): the committed `gateway/openapi/openapi.json` must be exactly what the code
//! generates, the document must be structurally sound, every documented operation must reach a
//! handler of the service it belongs to through the one-process gateway, live answers must
//! match the documented schemas, and the gateway must serve the document and an offline docs
//! page without a token.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use payserver_shared::auth::Role;
use payserver_shared::config::Settings;
use payserver_shared::testing;
use serde_json::{Value, json};

const API: &str = "/api/v1.0.0";
const OPERATIONAL: [&str; 5] = ["/healthz", "/readyz", "/metrics", "/openapi.json", "/docs"];
const AT_GATEWAY_ROOT: [&str; 3] = ["/healthz", "/readyz", "/metrics"];
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

fn document_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("gateway/openapi/openapi.json")
}

fn document() -> Value {
    payserver::openapi::document()
}

fn admin() -> String {
    testing::token(None, &[Role::Admin])
}

fn merchant(uuid: &str) -> String {
    testing::token(Some(uuid), &[Role::Merchant])
}

/// The whole system in this process, and a client for its gateway.
struct Gateway {
    _system: payserver::System,
    client: reqwest::Client,
    address: String,
}

impl Gateway {
    fn api(&self, path: &str) -> String {
        format!("{}/payServer{API}/{}", self.address, path.trim_start_matches('/'))
    }

    /// `{address}{path}`: the gateway's own routes and the docs, outside the API prefix.
    fn at(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// A GET without a token, and its response whatever its status.
    async fn fetch(&self, url: impl reqwest::IntoUrl) -> reqwest::Response {
        self.client.get(url).send().await.unwrap()
    }
}

async fn spawn_gateway() -> Gateway {
    let system = payserver::System::start(payserver::test_settings())
        .await
        .expect("system starts");
    let address = format!("http://127.0.0.1:{}", system.gateway_port);
    Gateway {
        _system: system,
        client: reqwest::Client::new(),
        address,
    }
}

#[test]
fn the_committed_document_is_the_generated_one() {
    let committed = std::fs::read_to_string(document_path()).expect("gateway/openapi/openapi.json");
    if committed != payserver::openapi::document_text() {
        panic!(
            "gateway/openapi/openapi.json is not what the code describes; regenerate it:\n  \
             cargo run -- openapi > gateway/openapi/openapi.json"
        );
    }
}

/// The value a local `$ref` (`#/a/b`) points at.
fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    doc.pointer(reference.strip_prefix('#')?)
}

/// `v`, or what it refers to when it is a `{"$ref": ...}`.
fn deref<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => deref(doc, resolve(doc, r).unwrap_or_else(|| panic!("unresolved $ref {r}"))),
        None => v,
    }
}

fn collect_refs<'a>(v: &'a Value, at: String, out: &mut Vec<(String, &'a str)>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                if k == "$ref"
                    && let Some(r) = child.as_str()
                {
                    out.push((at.clone(), r));
                } else {
                    collect_refs(child, format!("{at}/{k}"), out);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                collect_refs(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Every `(method, path, operation)` of the document.
fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for m in METHODS {
            if let Some(op) = item.get(m) {
                out.push((m.to_string(), path.clone(), op));
            }
        }
    }
    out
}

/// `/payModes/{uuid}/payOrders` → `/payModes/{}/payOrders`.
fn normalize(path: &str) -> String {
    path.split('/')
        .map(|seg| {
            if seg.starts_with('{') && seg.ends_with('}') {
                "{}"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn template_params(path: &str) -> BTreeSet<String> {
    path.split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_document_is_structurally_valid() {
    let doc = document();
    let version = doc["openapi"].as_str().expect("openapi version");
    assert!(version.starts_with("3.0.") || version.starts_with("3.1."), "{version}");
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
    assert_eq!(
        doc["servers"][0]["url"], "/payServer",
        "clients reach the API under /payServer"
    );
    let description = doc["info"]["description"].as_str().unwrap_or_default();
    assert!(description.contains("/api/v1/"), "the /api/v1 alias is described");

    // Every $ref is local and resolves.
    let mut refs = Vec::new();
    collect_refs(&doc, String::new(), &mut refs);
    assert!(refs.len() > 100, "the document uses components");
    for (at, r) in &refs {
        assert!(r.starts_with("#/"), "{at}: non-local $ref {r}");
        assert!(resolve(&doc, r).is_some(), "{at}: unresolved $ref {r}");
    }

    // Every `required` names a declared property.
    for (name, schema) in doc["components"]["schemas"].as_object().expect("schemas") {
        if let (Some(required), Some(props)) = (schema["required"].as_array(), schema["properties"].as_object()) {
            for r in required {
                assert!(
                    props.contains_key(r.as_str().unwrap()),
                    "schema {name}: required {r} is not a property"
                );
            }
        }
    }

    // The error envelope.
    let error = &doc["components"]["schemas"]["Error"];
    let mut fields: Vec<&str> = error["required"]
        .as_array()
        .expect("Error.required")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    fields.sort_unstable();
    assert_eq!(fields, ["code", "description", "message", "name", "statusCode"]);

    // The bearer JWT scheme, required everywhere but on the operational endpoints.
    let bearer = &doc["components"]["securitySchemes"]["bearerAuth"];
    assert_eq!(
        (&bearer["type"], &bearer["scheme"], &bearer["bearerFormat"]),
        (&json!("http"), &json!("bearer"), &json!("JWT"))
    );
    assert_eq!(doc["security"], json!([{"bearerAuth": []}]));

    let mut operation_ids = HashSet::new();
    let mut operational = BTreeSet::new();
    for (method, path, op) in operations(&doc) {
        let at = format!("{} {path}", method.to_uppercase());
        let id = op["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("{at}: operationId"));
        assert!(operation_ids.insert(id.to_string()), "{at}: duplicate operationId {id}");

        // Responses: at least one 2xx, and every other status answers the error envelope.
        let responses = op["responses"].as_object().unwrap_or_else(|| panic!("{at}: responses"));
        assert!(responses.keys().any(|s| s.starts_with('2')), "{at}: no 2xx response");
        for (status, resp) in responses {
            let resp = deref(&doc, resp);
            assert!(resp["description"].is_string(), "{at} {status}: description");
            if status.starts_with('2') {
                continue;
            }
            assert!(
                status.len() == 3 && (status.starts_with('4') || status.starts_with('5')),
                "{at}: unexpected status {status}"
            );
            assert_eq!(
                resp["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Error",
                "{at} {status}: not the error envelope"
            );
        }

        // Path parameters match the template.
        let item = &doc["paths"][&path];
        let declared: BTreeSet<String> = item["parameters"]
            .as_array()
            .into_iter()
            .chain(op["parameters"].as_array())
            .flatten()
            .map(|p| deref(&doc, p))
            .filter(|p| p["in"] == "path")
            .map(|p| {
                assert_eq!(
                    p["required"], true,
                    "{at}: path parameter {} must be required",
                    p["name"]
                );
                p["name"].as_str().unwrap().to_string()
            })
            .collect();
        assert_eq!(declared, template_params(&path), "{at}: path parameters");

        if let Some(rest) = path.strip_prefix(API) {
            assert!(rest.starts_with('/'), "{at}");
            assert!(
                op.get("security").is_none(),
                "{at}: an API route must keep the bearer requirement"
            );
            assert!(responses.contains_key("401"), "{at}: no 401");
            for status in ["413", "429", "500", "502", "503", "504"] {
                assert!(
                    responses.contains_key(status),
                    "{at}: no {status} (the gateway can answer it)"
                );
            }
        } else {
            assert!(
                !path.starts_with("/api"),
                "{at}: only {API} paths (the /api/v1 alias is not duplicated)"
            );
            assert!(OPERATIONAL.contains(&path.as_str()), "{at}: unexpected path");
            assert_eq!(op["security"], json!([]), "{at}: operational endpoints need no token");
            let root = item["servers"][0]["url"].as_str();
            if AT_GATEWAY_ROOT.contains(&path.as_str()) {
                assert_eq!(
                    root,
                    Some("/"),
                    "{at}: served at the gateway root, not under /payServer"
                );
            } else {
                assert_eq!(root, None, "{at}: served under /payServer");
            }
            operational.insert(path);
        }
    }
    assert_eq!(
        operational,
        OPERATIONAL.iter().map(|p| p.to_string()).collect(),
        "every operational endpoint is described"
    );

    // The documented examples of the error responses are envelopes.
    for (name, resp) in doc["components"]["responses"].as_object().expect("responses") {
        let media = &resp["content"]["application/json"];
        if let Some(example) = media.get("example") {
            check(&doc, &media["schema"], example, &format!("components/responses/{name}"));
            assert_eq!(
                example["statusCode"].as_u64().map(|s| s / 100),
                example["code"].as_u64().map(|c| c / 1000),
                "{name}"
            );
        }
    }
}

#[test]
fn the_gateway_routes_every_documented_operation_to_the_service_that_describes_it() {
    let table = gateway::routing::RouteTable::from_settings(&Settings::default().gateway);
    let mut seen = 0;
    for (upstream, part) in payserver::openapi::parts() {
        let part = serde_json::to_value(part).unwrap();
        for (path, _) in part["paths"].as_object().expect("paths") {
            let rest = path
                .strip_prefix(API)
                .unwrap_or_else(|| panic!("{upstream}: {path} is not under {API}"));
            let concrete = normalize(rest).replace("{}", "x");
            for prefix in [API, "/api/v1"] {
                let got = table
                    .resolve(&format!("{prefix}{concrete}"))
                    .unwrap_or_else(|e| panic!("{path}: the gateway does not route it ({e:?})"));
                assert_eq!(got.name.as_str(), upstream, "{prefix}{rest}");
            }
            seen += 1;
        }
    }
    assert!(seen >= 40, "only {seen} documented paths");
}

/// Every documented operation reaches a handler through the gateway: the answer is not the
/// router's "no such resource" 404 nor a 405 (a wrong method on a known path).
#[tokio::test]
async fn every_documented_operation_reaches_a_handler_through_the_gateway() {
    let doc = document();
    let gw = spawn_gateway().await;
    for (method, path, _) in operations(&doc) {
        let Some(rest) = path.strip_prefix(API) else {
            continue;
        };
        let url = gw.api(&normalize(rest).replace("{}", "x"));
        let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let mut req = gw.client.request(m, url).bearer_auth(admin());
        if method != "get" && method != "delete" {
            req = req.json(&json!({}));
        }
        let (status, body) = call(req).await;
        assert_ne!(status, 405, "{method} {path}: {body}");
        assert!(
            !(status == 404 && body["message"] == "no such resource"),
            "{method} {path}: no handler answers it ({body})"
        );
    }
}

// ---------------------------------------------------------------- live answers

/// Checks `value` against the subset of JSON Schema the document uses: `$ref`, `type`,
/// `nullable`, `enum`, `required`, `properties` (no undocumented keys), `additionalProperties`,
/// `items`, `allOf`, `oneOf`, `minimum`/`maximum` and the time pattern.
fn check(doc: &Value, schema: &Value, value: &Value, at: &str) {
    if let Err(e) = validate(doc, schema, value, at) {
        panic!("{e}\nvalue: {value}");
    }
}

fn validate(doc: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    let schema = deref(doc, schema);
    if value.is_null()
        && (schema["nullable"] == true || schema["type"].as_array().is_some_and(|t| t.contains(&json!("null"))))
    {
        return Ok(());
    }
    if let Some(parts) = schema["allOf"].as_array() {
        for part in parts {
            validate_open(doc, part, value, at)?;
        }
        return Ok(());
    }
    if let Some(choices) = schema["oneOf"].as_array() {
        let matching = choices.iter().filter(|c| validate(doc, c, value, at).is_ok()).count();
        return if matching == 1 {
            Ok(())
        } else {
            Err(format!("{at}: matches {matching} of the oneOf choices"))
        };
    }
    if let Some(allowed) = schema["enum"].as_array()
        && !allowed.contains(value)
    {
        return Err(format!("{at}: {value} is not one of {allowed:?}"));
    }
    // OpenAPI 3.1 spells "nullable" as a type list with "null".
    let kind = match &schema["type"] {
        Value::Array(kinds) => kinds.iter().filter_map(Value::as_str).find(|k| *k != "null"),
        other => other.as_str(),
    };
    let ok = match kind {
        None => true,
        Some("string") => value.is_string(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        Some("array") => value.is_array(),
        Some("object") => value.is_object(),
        Some(other) => return Err(format!("{at}: unknown type {other}")),
    };
    if !ok {
        return Err(format!("{at}: {value} is not of type {}", schema["type"]));
    }
    if let Some(n) = value.as_i64()
        && (schema["minimum"].as_i64().is_some_and(|m| n < m) || schema["maximum"].as_i64().is_some_and(|m| n > m))
    {
        return Err(format!("{at}: {n} is out of range"));
    }
    if schema["pattern"] == r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$" {
        let s = value.as_str().unwrap_or_default();
        let shape: String = s.chars().map(|c| if c.is_ascii_digit() { 'd' } else { c }).collect();
        if shape != "dddd-dd-dd dd:dd:dd" {
            return Err(format!("{at}: {s:?} is not YYYY-MM-DD HH:mm:ss"));
        }
    }
    if let Some(items) = value.as_array()
        && let Some(item_schema) = schema.get("items")
    {
        for (i, item) in items.iter().enumerate() {
            validate(doc, item_schema, item, &format!("{at}/{i}"))?;
        }
    }
    if let Some(map) = value.as_object() {
        validate_object(doc, schema, map, at, true)?;
    }
    Ok(())
}

/// A part of an `allOf`: its properties are checked, other keys belong to other parts.
fn validate_open(doc: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    let schema = deref(doc, schema);
    match value.as_object() {
        Some(map) => validate_object(doc, schema, map, at, false),
        None => validate(doc, schema, value, at),
    }
}

fn validate_object(
    doc: &Value,
    schema: &Value,
    map: &serde_json::Map<String, Value>,
    at: &str,
    closed: bool,
) -> Result<(), String> {
    for r in schema["required"].as_array().into_iter().flatten() {
        let r = r.as_str().unwrap_or_default();
        if !map.contains_key(r) {
            return Err(format!("{at}: required field {r} is missing"));
        }
    }
    let props = schema["properties"].as_object();
    for (k, v) in map {
        match props.and_then(|p| p.get(k)) {
            Some(s) => validate(doc, s, v, &format!("{at}.{k}"))?,
            None => match schema.get("additionalProperties") {
                Some(Value::Bool(true)) => {}
                Some(s @ Value::Object(_)) => validate(doc, s, v, &format!("{at}.{k}"))?,
                _ if props.is_none() || !closed => {}
                _ => return Err(format!("{at}: field {k} is not documented")),
            },
        }
    }
    Ok(())
}

/// Checks an answer against the schema its operation documents for `status`.
fn check_answer(doc: &Value, method: &str, path: &str, status: &str, value: &Value, at: &str) {
    check(doc, response_schema(doc, method, path, status), value, at);
}

/// The schema of an operation's `status` answer in `application/json`.
fn response_schema<'a>(doc: &'a Value, method: &str, path: &str, status: &str) -> &'a Value {
    let op = &doc["paths"][path][method];
    let resp = op["responses"]
        .get(status)
        .unwrap_or_else(|| panic!("{method} {path}: status {status} is not documented"));
    &deref(doc, resp)["content"]["application/json"]["schema"]
}

async fn call(req: reqwest::RequestBuilder) -> (u16, Value) {
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test]
async fn live_answers_of_the_template_service_match_the_document() {
    let doc = document();
    let gw = spawn_gateway().await;
    let templates = format!("{API}/payModeTemplates");
    let one = format!("{API}/payModeTemplates/{{uuid}}");
    let register = format!("{API}/registerPayModeTemplate");

    let (status, page) = call(
        gw.client
            .get(gw.api("payModeTemplates?limit=100"))
            .bearer_auth(merchant("m1")),
    )
    .await;
    assert_eq!(status, 200, "{page}");
    check_answer(&doc, "get", &templates, "200", &page, "GET payModeTemplates");
    assert_eq!(page["items"].as_array().map(Vec::len), Some(7));

    let uuid = page["items"][0]["uuid"].as_str().unwrap();
    let (status, t) = call(
        gw.client
            .get(gw.api(&format!("payModeTemplates/{uuid}")))
            .bearer_auth(merchant("m1")),
    )
    .await;
    assert_eq!(status, 200);
    check_answer(&doc, "get", &one, "200", &t, "GET payModeTemplates/{uuid}");

    let body = json!({"payTemplateId": "DOC-1", "name": "文档", "isOnline": 1, "payUrl": "http://127.0.0.1:1/pay"});
    check(
        &doc,
        &json!({"$ref": "#/components/schemas/RegisterPayModeTemplateRequest"}),
        &body,
        "request",
    );
    let (status, created) = call(
        gw.client
            .post(gw.api("registerPayModeTemplate"))
            .bearer_auth(admin())
            .json(&body),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    check_answer(&doc, "post", &register, "201", &created, "register 201");
    let (status, updated) = call(
        gw.client
            .post(gw.api("registerPayModeTemplate"))
            .bearer_auth(admin())
            .json(&json!({"payTemplateId": "DOC-1", "description": null})),
    )
    .await;
    assert_eq!(status, 200, "{updated}");
    check_answer(&doc, "post", &register, "200", &updated, "register 200");

    // Documented errors answer the documented envelope.
    let cases = [
        ("get", &templates, gw.client.get(gw.api("payModeTemplates")), "401"),
        (
            "get",
            &templates,
            gw.client.get(gw.api("payModeTemplates?limit=0")).bearer_auth(admin()),
            "400",
        ),
        (
            "get",
            &one,
            gw.client.get(gw.api("payModeTemplates/nope")).bearer_auth(admin()),
            "404",
        ),
        (
            "post",
            &register,
            gw.client
                .post(gw.api("registerPayModeTemplate"))
                .bearer_auth(merchant("m1"))
                .json(&body),
            "403",
        ),
    ];
    for (method, path, req, want) in cases {
        let (status, err) = call(req).await;
        assert_eq!(status.to_string(), want, "{method} {path}: {err}");
        check_answer(&doc, method, path, want, &err, &format!("{method} {path} {want}"));
    }
}

// ---------------------------------------------------------------- serving

/// The values of `src="..."` and `href="..."` in an HTML page.
fn referenced_urls(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["src=\"", "href=\""] {
        for (i, _) in html.match_indices(attr) {
            let rest = &html[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].to_string());
            }
        }
    }
    out
}

#[tokio::test]
async fn the_gateway_serves_the_document_and_an_offline_docs_page_without_a_token() {
    let gw = spawn_gateway().await;
    let doc = document();

    // The document, byte for byte, as JSON.
    let resp = gw.fetch(gw.at("/payServer/openapi.json")).await;
    assert_eq!(resp.status().as_u16(), 200);
    let content_type = resp.headers()["content-type"].to_str().unwrap().to_string();
    assert!(content_type.starts_with("application/json"), "{content_type}");
    let served = resp.bytes().await.unwrap();
    assert_eq!(served.as_ref(), std::fs::read(document_path()).unwrap().as_slice());
    assert_eq!(serde_json::from_slice::<Value>(&served).unwrap(), doc);

    // The page, and every asset it references, from the gateway itself.
    let page_url = reqwest::Url::parse(&gw.at("/payServer/docs")).unwrap();
    let resp = gw.fetch(page_url.clone()).await;
    assert_eq!(resp.status().as_u16(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let csp = resp.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("default-src 'none'") && !csp.contains("http"), "{csp}");
    let html = resp.text().await.unwrap();
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "the page names no outside URL"
    );
    let urls = referenced_urls(&html);
    let assets: Vec<&String> = urls.iter().filter(|u| !u.starts_with("data:")).collect();
    assert!(assets.len() >= 3, "the page loads its stylesheet and scripts: {urls:?}");
    let mut scripts = String::new();
    for u in assets {
        assert!(!u.contains("//"), "{u}: not served by the gateway");
        let url = page_url.join(u).unwrap();
        assert!(url.path().starts_with("/payServer/docs/"), "{url}");
        let resp = gw.fetch(url.clone()).await;
        assert_eq!(resp.status().as_u16(), 200, "{url}");
        let body = resp.text().await.unwrap();
        assert!(body.len() > 100, "{url}");
        if u.ends_with("initializer.js") {
            scripts.push_str(&body);
        }
    }
    // The page's script loads the document from the gateway too.
    assert!(
        !scripts.contains("http://") && !scripts.contains("https://"),
        "{scripts}"
    );
    let spec = scripts
        .split("url: \"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the initializer names the document's url");
    let spec_url = page_url.join(spec).unwrap();
    assert_eq!(spec_url.path(), "/payServer/openapi.json");

    // `/docs/` leads to the page; an unknown asset is a 404 envelope, not a token demand.
    let resp = gw.fetch(gw.at("/payServer/docs/")).await;
    assert_eq!((resp.status().as_u16(), resp.url().path()), (200, "/payServer/docs"));
    let (status, err) = call(gw.client.get(gw.at("/payServer/docs/nothing.js"))).await;
    assert_eq!((status, &err["code"]), (404, &json!(4040)), "{err}");

    // Every operational endpoint of the document answers without a token, at its documented
    // place, with a documented status.
    for path in OPERATIONAL {
        let base = if AT_GATEWAY_ROOT.contains(&path) {
            ""
        } else {
            "/payServer"
        };
        let resp = gw.fetch(gw.at(&format!("{base}{path}"))).await;
        let status = resp.status().as_u16().to_string();
        let responses = &doc["paths"][path]["get"]["responses"];
        assert!(
            responses.get(&status).is_some(),
            "GET {base}{path}: {status} is not documented"
        );
        if let Ok(body) = serde_json::from_str::<Value>(&resp.text().await.unwrap())
            && path != "/openapi.json"
        {
            check_answer(&doc, "get", path, &status, &body, path);
        }
    }
}
