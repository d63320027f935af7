//! The Alipay simulator over HTTP, with requests signed here by hand: the shapes, codes and
//! signatures a client of the real gateway sees.

use std::collections::BTreeMap;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256, RsaKeyPair, UnparsedPublicKey};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use connector_contract::shared::testing::answer_text;
use serde_json::{Value, json};
use simulators::alipay::{self, Config, DEV_APP_ID, Journal};

const APP_PRIVATE: &str = include_str!("../../alipay/tests/keys/app_private_key.pem");
const ALIPAY_PRIVATE: &str = include_str!("../../alipay/tests/keys/alipay_private_key.pem");
const ALIPAY_PUBLIC: &str = include_str!("../../alipay/tests/keys/alipay_public_key.pem");

fn der(pem: &str) -> Vec<u8> {
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    STANDARD.decode(b64).unwrap()
}

struct Client {
    url: String,
    journal: Journal,
    key: RsaKeyPair,
    http: reqwest::Client,
}

fn spawn() -> Client {
    let config = Config::default();
    let journal = config.journal.clone();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(alipay::build(listener, config).unwrap());
    Client {
        url: format!("http://127.0.0.1:{port}/gateway.do"),
        journal,
        key: RsaKeyPair::from_pkcs8(&der(APP_PRIVATE)).unwrap(),
        http: reqwest::Client::new(),
    }
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// An answer: its node, whether its signature verifies over the raw node text.
#[derive(Debug)]
struct Answer {
    root: String,
    node: Value,
    verified: bool,
}

impl Client {
    fn params(&self, method: &str, token: &str, biz: &Value) -> BTreeMap<String, String> {
        let mut p = BTreeMap::new();
        for (k, v) in [
            ("app_id", DEV_APP_ID),
            ("method", method),
            ("format", "JSON"),
            ("charset", "utf-8"),
            ("sign_type", "RSA2"),
            ("timestamp", "2026-01-01 10:00:00"),
            ("version", "1.0"),
            ("app_auth_token", token),
        ] {
            p.insert(k.to_string(), v.to_string());
        }
        p.insert("biz_content".into(), biz.to_string());
        p
    }

    fn sign(&self, p: &mut BTreeMap<String, String>) {
        let content: Vec<String> = p
            .iter()
            .filter(|(k, v)| k.as_str() != "sign" && !v.is_empty())
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let mut sig = vec![0; self.key.public_modulus_len()];
        self.key
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                content.join("&").as_bytes(),
                &mut sig,
            )
            .unwrap();
        p.insert("sign".into(), STANDARD.encode(sig));
    }

    async fn send(&self, p: &BTreeMap<String, String>) -> Answer {
        let body: Vec<String> = p.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect();
        let request = self
            .http
            .post(&self.url)
            .header("content-type", "application/x-www-form-urlencoded;charset=utf-8")
            .body(body.join("&"));
        let raw = answer_text(request).await;
        // The simulator writes `{"<root>":<node>,"sign":"<sign>"}`.
        let rest = raw.strip_prefix("{\"").unwrap();
        let (root, rest) = rest.split_once("\":").unwrap();
        let at = rest.rfind(",\"sign\":\"").unwrap();
        let (node_raw, sign) = (&rest[..at], rest[at + 9..].trim_end_matches("\"}"));
        let verified = UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, der(ALIPAY_PUBLIC))
            .verify(node_raw.as_bytes(), &STANDARD.decode(sign).unwrap())
            .is_ok();
        let whole: Value = serde_json::from_str(&raw).unwrap();
        assert_eq!(whole[root], serde_json::from_str::<Value>(node_raw).unwrap());
        Answer {
            root: root.to_string(),
            node: serde_json::from_str(node_raw).unwrap(),
            verified,
        }
    }

    /// `alipay.trade.pay` of a bar code with the app auth token `tok`.
    async fn pay(&self, out_trade_no: &str, code: &str, amount: &str) -> Answer {
        self.call("alipay.trade.pay", "tok", pay(out_trade_no, code, amount))
            .await
    }

    /// `alipay.trade.query` with the app auth token `tok`.
    async fn query(&self, out_trade_no: &str) -> Answer {
        self.call("alipay.trade.query", "tok", json!({ "out_trade_no": out_trade_no }))
            .await
    }

    /// `alipay.trade.refund` of `amount` as the refund `out_request_no`, with the app auth token
    /// `tok`.
    async fn refund(&self, out_trade_no: &str, amount: &str, out_request_no: &str) -> Answer {
        let biz = json!({"out_trade_no": out_trade_no, "refund_amount": amount, "out_request_no": out_request_no});
        self.call("alipay.trade.refund", "tok", biz).await
    }

    /// `alipay.trade.fastpay.refund.query` with the app auth token `tok`.
    async fn refund_query(&self, out_trade_no: &str, out_request_no: &str) -> Answer {
        let biz = json!({"out_trade_no": out_trade_no, "out_request_no": out_request_no});
        self.call("alipay.trade.fastpay.refund.query", "tok", biz).await
    }

    /// `alipay.trade.cancel` with the app auth token `tok`.
    async fn cancel(&self, out_trade_no: &str) -> Answer {
        self.call("alipay.trade.cancel", "tok", json!({ "out_trade_no": out_trade_no }))
            .await
    }

    async fn call(&self, method: &str, token: &str, biz: Value) -> Answer {
        let mut p = self.params(method, token, &biz);
        self.sign(&mut p);
        let a = self.send(&p).await;
        assert!(a.verified, "every answer is signed with Alipay's key: {a:?}");
        a
    }
}

fn pay(out_trade_no: &str, code: &str, amount: &str) -> Value {
    json!({"out_trade_no": out_trade_no, "scene": "bar_code", "auth_code": code, "subject": "测试", "total_amount": amount})
}

#[tokio::test]
async fn a_paid_trade_is_queried_and_refunded_with_signed_answers() {
    let c = spawn();
    let a = c.pay("1001", "280000000000000001", "10.00").await;
    assert_eq!(a.root, "alipay_trade_pay_response");
    assert_eq!(
        (a.node["code"].as_str(), a.node["total_amount"].as_str()),
        (Some("10000"), Some("10.00"))
    );
    let trade_no = a.node["trade_no"].as_str().unwrap().to_string();
    let q = c.query("1001").await;
    assert_eq!(q.node["trade_status"], "TRADE_SUCCESS");
    let q = c.call("alipay.trade.query", "tok", json!({"trade_no": trade_no})).await;
    assert_eq!(q.node["out_trade_no"], "1001");

    let r = c.refund("1001", "4.00", "2001").await;
    assert_eq!(
        (r.node["code"].as_str(), r.node["fund_change"].as_str()),
        (Some("10000"), Some("Y"))
    );
    let r = c.refund("1001", "4.00", "2001").await;
    assert_eq!(r.node["fund_change"], "N", "the same out_request_no refunds once");
    let r = c.refund("1001", "6.01", "2002").await;
    assert_eq!(r.node["sub_code"], "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL");
    let rq = c.refund_query("1001", "2001").await;
    assert_eq!(
        (rq.node["refund_status"].as_str(), rq.node["refund_amount"].as_str()),
        (Some("REFUND_SUCCESS"), Some("4.00"))
    );
    let rq = c.refund_query("1001", "2009").await;
    assert_eq!(rq.node["code"], "10000");
    assert!(
        rq.node.get("refund_status").is_none(),
        "no such refund: 10000 without details"
    );

    let again = c.pay("1001", "280000000000000001", "10.00").await;
    assert_eq!(again.node["sub_code"], "ACQ.TRADE_HAS_SUCCESS");
    let other = c.pay("1001", "280000000000000001", "11.00").await;
    assert_eq!(other.node["sub_code"], "ACQ.CONTEXT_INCONSISTENT");
    assert_eq!(c.journal.count("alipay.trade.refund", "1001"), 3);
}

#[tokio::test]
async fn waiting_trades_are_paid_after_queries_or_cancelled() {
    let c = spawn();
    let a = c.pay("1", "281100000000000001", "1.00").await;
    assert_eq!(a.node["code"], "10003");
    let q1 = c.query("1").await;
    assert_eq!(q1.node["trade_status"], "WAIT_BUYER_PAY");
    let q2 = c.query("1").await;
    assert_eq!(q2.node["trade_status"], "TRADE_SUCCESS");

    c.pay("2", "281200000000000001", "1.00").await;
    let x = c.cancel("2").await;
    assert_eq!(
        (x.node["action"].as_str(), x.node["retry_flag"].as_str()),
        (Some("close"), Some("N"))
    );
    let q = c.query("2").await;
    assert_eq!(q.node["trade_status"], "TRADE_CLOSED");

    c.pay("3", "281700000000000001", "1.00").await;
    let x = c.cancel("3").await;
    assert_eq!(
        (x.node["sub_code"].as_str(), x.node["retry_flag"].as_str()),
        (Some("ACQ.SYSTEM_ERROR"), Some("Y"))
    );
    let x = c.cancel("3").await;
    assert_eq!(x.node["action"], "close");

    let b = c.pay("4", "281300000000000001", "1.00").await;
    assert_eq!(b.node["sub_code"], "ACQ.BUYER_BALANCE_NOT_ENOUGH");
    let s = c.pay("5", "281400000000000001", "1.00").await;
    assert_eq!(s.node["code"], "20000");
    let q = c.query("5").await;
    assert_eq!(q.node["trade_status"], "TRADE_SUCCESS");
    let w = c.pay("6", "134567890123456789", "1.00").await;
    assert_eq!(w.node["sub_code"], "ACQ.PAYMENT_AUTH_CODE_INVALID");
}

#[tokio::test]
async fn bad_requests_get_the_gateways_codes() {
    let c = spawn();
    // Signed with another key: 40002 isv.invalid-signature, naming the string it checked.
    let mut p = c.params("alipay.trade.pay", "tok", &pay("1", "280000000000000001", "1.00"));
    let other = RsaKeyPair::from_pkcs8(&der(ALIPAY_PRIVATE)).unwrap();
    let honest = Client { key: other, ..spawn() };
    honest.sign(&mut p);
    let a = c.send(&p).await;
    assert!(a.verified);
    assert_eq!(
        (a.node["code"].as_str(), a.node["sub_code"].as_str()),
        (Some("40002"), Some("isv.invalid-signature"))
    );
    assert!(
        a.node["sub_msg"]
            .as_str()
            .unwrap()
            .contains("app_auth_token=tok&app_id=2021000100000001&biz_content=")
    );

    // Tampered after signing.
    let mut p = c.params("alipay.trade.pay", "tok", &pay("1", "280000000000000001", "1.00"));
    c.sign(&mut p);
    p.insert("biz_content".into(), pay("1", "280000000000000001", "0.01").to_string());
    assert_eq!(c.send(&p).await.node["sub_code"], "isv.invalid-signature");

    let mut p = c.params("alipay.trade.pay", "tok", &json!({}));
    let a = c.send(&p).await;
    assert_eq!(
        (a.node["code"].as_str(), a.node["sub_code"].as_str()),
        (Some("40001"), Some("isv.missing-signature"))
    );
    p.insert("method".into(), "alipay.trade.nothing".into());
    c.sign(&mut p);
    let a = c.send(&p).await;
    assert_eq!(
        (a.root.as_str(), a.node["sub_code"].as_str()),
        ("error_response", Some("isv.invalid-method"))
    );

    let mut p = c.params("alipay.trade.query", "tok", &json!({"out_trade_no": "1"}));
    p.insert("app_id".into(), "999".into());
    c.sign(&mut p);
    assert_eq!(c.send(&p).await.node["sub_code"], "isv.invalid-app-id");

    let a = c
        .call("alipay.trade.query", "invalid-token", json!({"out_trade_no": "1"}))
        .await;
    assert_eq!(
        (a.node["code"].as_str(), a.node["sub_code"].as_str()),
        (Some("20001"), Some("aop.invalid-auth-token"))
    );
    let a = c.call("alipay.trade.pay", "tok", json!({"out_trade_no": "1", "scene": "bar_code", "auth_code": "280000000000000001", "subject": "x", "total_amount": "1.001"})).await;
    assert_eq!(a.node["sub_code"], "ACQ.INVALID_PARAMETER");
}

#[tokio::test]
async fn trades_belong_to_the_app_auth_token_that_made_them() {
    let c = spawn();
    c.call("alipay.trade.pay", "merchant-a", pay("1", "280000000000000001", "1.00"))
        .await;
    let q = c
        .call("alipay.trade.query", "merchant-b", json!({"out_trade_no": "1"}))
        .await;
    assert_eq!(q.node["sub_code"], "ACQ.TRADE_NOT_EXIST");
    let q = c
        .call("alipay.trade.query", "merchant-a", json!({"out_trade_no": "1"}))
        .await;
    assert_eq!(q.node["trade_status"], "TRADE_SUCCESS");
    let calls = c.journal.for_trade("1");
    assert_eq!(calls.len(), 3);
    assert_eq!(calls[1].app_auth_token.as_deref(), Some("merchant-b"));
}
