//! Calls to the Alipay open API gateway: a form-encoded POST with the common parameters
//! (`app_id, method, format=JSON, charset=utf-8, sign_type=RSA2, timestamp, version=1.0,
//! app_auth_token, biz_content, sign`), and an answer whose signature is checked over the raw
//! `..._response` text before anything in it is believed.

use std::collections::BTreeMap;
use std::time::Duration;

use connector_contract::shared::time::{Clock, now_ms, parse_offset};
use serde_json::Value;

use crate::config::{AlipaySettings, Credentials};
use crate::domain::answer::{Node, is_gateway_rejection};
use crate::domain::sign::{sign_content, split_answer, verify_answer};

/// What came back from one call.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// A verified answer (or an unsigned gateway rejection, see
    /// [`is_gateway_rejection`]).
    Answer(Node),
    /// Nothing trustworthy: no answer, a timeout, an HTTP error, garbage, a bad or missing
    /// signature. The outcome is unknown.
    Unknown(String),
}

/// Alipay's clock: `timestamp` and every time in its answers are Beijing time.
pub fn beijing() -> Clock {
    Clock::new(parse_offset("+08:00").expect("valid offset"))
}

pub struct Gateway {
    http: reqwest::Client,
    url: String,
    credentials: Credentials,
    beijing: Clock,
}

impl Gateway {
    /// `production` refuses the repository's development keys.
    pub fn new(settings: &AlipaySettings, production: bool) -> anyhow::Result<Self> {
        let timeout = Duration::from_millis(settings.request_timeout_ms.max(1));
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(3)))
            .build()?;
        let credentials = Credentials::load(settings, production);
        if let Err(why) = credentials.ready() {
            tracing::warn!(reason = %why, "alipay connector cannot pay until configured");
        }
        Ok(Self {
            http,
            url: settings.gateway_url.clone(),
            credentials,
            beijing: beijing(),
        })
    }

    /// `Ok` when requests can be signed and answers verified; else why not.
    pub fn ready(&self) -> Result<(), String> {
        self.credentials.ready()
    }

    /// The signed form of one request.
    fn params(
        &self,
        method: &str,
        app_auth_token: Option<&str>,
        biz: &Value,
    ) -> Result<BTreeMap<String, String>, String> {
        self.ready()?;
        let (Ok(app_id), Ok(key)) = (&self.credentials.app_id, &self.credentials.private_key) else {
            unreachable!("ready() checked both");
        };
        let mut p = BTreeMap::new();
        p.insert("app_id".to_string(), app_id.clone());
        p.insert("method".to_string(), method.to_string());
        p.insert("format".to_string(), "JSON".to_string());
        p.insert("charset".to_string(), "utf-8".to_string());
        p.insert("sign_type".to_string(), "RSA2".to_string());
        p.insert("timestamp".to_string(), self.beijing.render(now_ms()));
        p.insert("version".to_string(), "1.0".to_string());
        if let Some(token) = app_auth_token.filter(|t| !t.is_empty()) {
            p.insert("app_auth_token".to_string(), token.to_string());
        }
        p.insert("biz_content".to_string(), biz.to_string());
        let sign = key.sign(&sign_content(&p));
        p.insert("sign".to_string(), sign);
        Ok(p)
    }

    /// One call. Never fails: anything short of a trustworthy answer is [`Reply::Unknown`].
    pub async fn call(&self, method: &str, app_auth_token: Option<&str>, biz: &Value) -> Reply {
        let params = match self.params(method, app_auth_token, biz) {
            Ok(p) => p,
            Err(why) => return Reply::Unknown(why),
        };
        let sent = self
            .http
            .post(&self.url)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded;charset=utf-8",
            )
            .body(form_encode(&params))
            .send()
            .await;
        let resp = match sent {
            Ok(r) => r,
            Err(e) if e.is_timeout() => return Reply::Unknown(format!("{method}: no answer in time")),
            Err(e) => return Reply::Unknown(format!("{method}: {e}")),
        };
        let status = resp.status();
        let body = match resp.text().await {
            Ok(b) => b,
            Err(e) => return Reply::Unknown(format!("{method}: the answer broke off: {e}")),
        };
        if !status.is_success() {
            return Reply::Unknown(format!("{method}: the gateway answered HTTP {status}"));
        }
        self.check(method, &body, biz)
    }

    /// Believes an answer only when its signature verifies over the raw node text and it is
    /// about the order (and refund) asked for.
    fn check(&self, method: &str, body: &str, biz: &Value) -> Reply {
        let Some(raw) = split_answer(body, method) else {
            return Reply::Unknown(format!(
                "{method}: the gateway answered something that is not an answer"
            ));
        };
        let Ok(fields) = serde_json::from_str::<serde_json::Map<String, Value>>(raw.node_raw) else {
            return Reply::Unknown(format!("{method}: the answer is not a JSON object"));
        };
        let node = Node::new(fields);
        let Ok(key) = &self.credentials.alipay_public_key else {
            return Reply::Unknown("no Alipay public key to verify answers with".into());
        };
        match raw.sign {
            Some(_) if verify_answer(key, &raw) => match another_trade(&node, biz) {
                None => Reply::Answer(node),
                Some(why) => {
                    tracing::error!(
                        method,
                        code = node.code(),
                        why,
                        "a signed Alipay answer about another trade; ignored"
                    );
                    Reply::Unknown(format!("{method}: {why}"))
                }
            },
            Some(_) => {
                tracing::warn!(method, code = node.code(), "Alipay answer signature does not verify");
                Reply::Unknown(format!(
                    "{method}: the answer's signature does not verify with the Alipay public key"
                ))
            }
            None if is_gateway_rejection(node.code()) => Reply::Answer(node),
            None => Reply::Unknown(format!("{method}: the answer is not signed")),
        }
    }
}

/// Why a verified answer is about another trade than the request's, if it is: a signed answer
/// of some other order (a mix-up, or one replayed by whoever sits in between) must not decide
/// ours. Only fields the answer carries are compared.
fn another_trade(node: &Node, biz: &Value) -> Option<String> {
    ["out_trade_no", "out_request_no"].into_iter().find_map(|key| {
        let ours = biz.get(key).and_then(Value::as_str)?;
        let theirs = node.str(key)?;
        (theirs != ours).then(|| format!("the answer is about {key} {theirs}, not {ours}"))
    })
}

/// `application/x-www-form-urlencoded`, UTF-8: unreserved bytes as they are, space as `+`,
/// everything else `%XX`.
pub fn form_encode(params: &BTreeMap<String, String>) -> String {
    fn enc(s: &str, out: &mut String) {
        for b in s.bytes() {
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => out.push(b as char),
                b' ' => out.push('+'),
                _ => out.push_str(&format!("%{b:02X}")),
            }
        }
    }
    let mut out = String::new();
    for (i, (k, v)) in params.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        enc(k, &mut out);
        out.push('=');
        enc(v, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_about_another_order_or_refund_is_not_ours() {
        let node = |v: Value| Node::new(v.as_object().unwrap().clone());
        let biz = serde_json::json!({"out_trade_no": "1001", "out_request_no": "2001"});
        assert!(
            another_trade(
                &node(serde_json::json!({"code": "10000", "out_trade_no": "1001"})),
                &biz
            )
            .is_none()
        );
        assert!(another_trade(&node(serde_json::json!({"code": "40004"})), &biz).is_none());
        assert!(
            another_trade(
                &node(serde_json::json!({"code": "10000", "out_trade_no": "1002"})),
                &biz
            )
            .is_some()
        );
        assert!(
            another_trade(
                &node(serde_json::json!({"out_trade_no": "1001", "out_request_no": "2002"})),
                &biz
            )
            .is_some()
        );
    }

    #[test]
    fn forms_are_percent_encoded_utf8() {
        let mut p = BTreeMap::new();
        p.insert("biz_content".to_string(), r#"{"subject":"测 试&=+"}"#.to_string());
        p.insert("timestamp".to_string(), "2026-01-01 10:00:00".to_string());
        assert_eq!(
            form_encode(&p),
            "biz_content=%7B%22subject%22%3A%22%E6%B5%8B+%E8%AF%95%26%3D%2B%22%7D&timestamp=2026-01-01+10%3A00%3A00"
        );
    }
}
