//! The WeChat Pay simulator on the wire: signatures checked and produced, the real codes.

use connector_contract::shared::testing::answer_text;
use simulators::wechat::{self, Config, Journal, Params, SignType, from_xml, sign, to_xml, verify};

struct Sim {
    url: String,
    journal: Journal,
    http: reqwest::Client,
}

fn spawn() -> Sim {
    let journal = Journal::default();
    let config = Config {
        journal: journal.clone(),
        ..Default::default()
    };
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    tokio::spawn(wechat::build(listener, config).unwrap());
    Sim {
        url,
        journal,
        http: reqwest::Client::new(),
    }
}

fn request(fields: &[(&str, &str)], sign_type: SignType, key: &str) -> Params {
    let mut p: Params = fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    p.insert("appid".into(), wechat::DEV_APPID.into());
    p.insert("mch_id".into(), wechat::DEV_MCH_ID.into());
    p.insert("sub_mch_id".into(), "1900000110".into());
    p.insert("nonce_str".into(), "5K8264ILTKCH16CQ2502SI8ZNMTM67VS".into());
    if sign_type == SignType::HmacSha256 {
        p.insert("sign_type".into(), "HMAC-SHA256".into());
    }
    let s = sign(&p, key, sign_type);
    p.insert("sign".into(), s);
    p
}

impl Sim {
    async fn post(&self, path: &str, p: &Params) -> Params {
        let body = answer_text(self.http.post(format!("{}{path}", self.url)).body(to_xml(p))).await;
        from_xml(&body).unwrap_or_else(|| panic!("not XML: {body}"))
    }

    /// A correctly signed call; its answer must be `return_code=SUCCESS` and signed.
    async fn call(&self, path: &str, fields: &[(&str, &str)], sign_type: SignType) -> Params {
        let answer = self.post(path, &request(fields, sign_type, wechat::DEV_API_KEY)).await;
        assert_eq!(answer["return_code"], "SUCCESS", "{answer:?}");
        assert!(
            verify(&answer, wechat::DEV_API_KEY, sign_type),
            "the answer is signed: {answer:?}"
        );
        answer
    }
}

fn micropay<'a>(out_trade_no: &'a str, code: &'a str) -> [(&'static str, &'a str); 5] {
    [
        ("body", "POS"),
        ("out_trade_no", out_trade_no),
        ("total_fee", "100"),
        ("spbill_create_ip", "127.0.0.1"),
        ("auth_code", code),
    ]
}

#[tokio::test]
async fn signed_requests_get_signed_answers_with_both_sign_types() {
    let sim = spawn();
    for (no, t) in [("1000", SignType::Md5), ("1001", SignType::HmacSha256)] {
        let a = sim.call("/pay/micropay", &micropay(no, "134500000000000001"), t).await;
        assert_eq!(
            (a["result_code"].as_str(), a["trade_type"].as_str()),
            ("SUCCESS", "MICROPAY")
        );
        assert_eq!(a["out_trade_no"], no);
        assert_eq!(a["transaction_id"].len(), 28);
    }
}

#[tokio::test]
async fn a_wrong_signature_is_refused_unsigned() {
    let sim = spawn();
    let p = request(&micropay("1", "134500000000000001"), SignType::Md5, "not-the-key");
    let a = sim.post("/pay/micropay", &p).await;
    assert_eq!(
        (a["return_code"].as_str(), a["return_msg"].as_str()),
        ("FAIL", "签名错误")
    );
    assert!(!a.contains_key("sign"));
    assert_eq!(sim.journal.calls()[0].return_code, "FAIL");
}

#[tokio::test]
async fn service_provider_mode_needs_a_sub_merchant() {
    let sim = spawn();
    let mut p = request(&micropay("1", "134500000000000001"), SignType::Md5, wechat::DEV_API_KEY);
    p.remove("sub_mch_id");
    let s = sign(&p, wechat::DEV_API_KEY, SignType::Md5);
    p.insert("sign".into(), s);
    let a = sim.post("/pay/micropay", &p).await;
    assert_eq!(
        (a["result_code"].as_str(), a["err_code"].as_str()),
        ("FAIL", "LACK_PARAMS")
    );
}

#[tokio::test]
async fn userpaying_then_paid_then_refunded() {
    let sim = spawn();
    let t = SignType::HmacSha256;
    let a = sim
        .call("/pay/micropay", &micropay("2001", "131100000000000001"), t)
        .await;
    assert_eq!(
        (a["result_code"].as_str(), a["err_code"].as_str()),
        ("FAIL", "USERPAYING")
    );
    let mut states = Vec::new();
    for _ in 0..3 {
        let q = sim.call("/pay/orderquery", &[("out_trade_no", "2001")], t).await;
        states.push(q["trade_state"].clone());
    }
    assert_eq!(states, ["USERPAYING", "USERPAYING", "SUCCESS"]);
    let again = sim
        .call("/pay/micropay", &micropay("2001", "131100000000000001"), t)
        .await;
    assert_eq!(again["err_code"], "ORDERPAID");

    let refund = [
        ("out_trade_no", "2001"),
        ("out_refund_no", "R1"),
        ("total_fee", "100"),
        ("refund_fee", "100"),
    ];
    let r = sim.call("/secapi/pay/refund", &refund, t).await;
    assert_eq!(r["result_code"], "SUCCESS");
    let q = sim.call("/pay/refundquery", &[("out_refund_no", "R1")], t).await;
    assert_eq!(
        (q["refund_status_0"].as_str(), q["refund_id_0"].as_str()),
        ("SUCCESS", r["refund_id"].as_str())
    );
    let more = [
        ("out_trade_no", "2001"),
        ("out_refund_no", "R2"),
        ("total_fee", "100"),
        ("refund_fee", "1"),
    ];
    assert_eq!(sim.call("/secapi/pay/refund", &more, t).await["err_code"], "ERROR");
    let unknown = sim.call("/pay/refundquery", &[("out_refund_no", "R9")], t).await;
    assert_eq!(unknown["err_code"], "REFUNDNOTEXIST");
}

#[tokio::test]
async fn a_trade_never_paid_is_reversed() {
    let sim = spawn();
    let t = SignType::Md5;
    sim.call("/pay/micropay", &micropay("3001", "131200000000000001"), t)
        .await;
    let r = sim.call("/secapi/pay/reverse", &[("out_trade_no", "3001")], t).await;
    assert_eq!((r["result_code"].as_str(), r["recall"].as_str()), ("SUCCESS", "N"));
    let q = sim.call("/pay/orderquery", &[("out_trade_no", "3001")], t).await;
    assert_eq!(q["trade_state"], "REVOKED");
    assert_eq!(sim.journal.count("/secapi/pay/reverse", "3001"), 1);
    let unknown = sim.call("/pay/orderquery", &[("out_trade_no", "nope")], t).await;
    assert_eq!(unknown["err_code"], "ORDERNOTEXIST");
}
