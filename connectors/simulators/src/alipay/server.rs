//! The gateway: common-parameter and signature checks, then one handler per method over
//! in-memory trades.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::Duration;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use chrono::{FixedOffset, NaiveDateTime, Utc};
use serde_json::{Value, json};

use super::sign::{Signer, Verifier, content};
use super::{Call, Config};

const METHODS: [&str; 5] = [
    "alipay.trade.pay",
    "alipay.trade.query",
    "alipay.trade.cancel",
    "alipay.trade.refund",
    "alipay.trade.fastpay.refund.query",
];

/// What a payment code asks for (its third and fourth digits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scenario {
    PaidAtOnce,
    WaitThenPaid,
    WaitForever,
    BalanceNotEnough,
    SystemErrorThenPaid,
    AuthCodeInvalid,
    Slow,
    CancelRetry,
    PaysAtCancel,
    RefundUnknown,
}

fn scenario(auth_code: &str) -> Scenario {
    let digits = auth_code.bytes().all(|b| b.is_ascii_digit());
    let prefix: u32 = auth_code.get(..2).and_then(|p| p.parse().ok()).unwrap_or(0);
    if !digits || !(16..=24).contains(&auth_code.len()) || !(25..=30).contains(&prefix) {
        return Scenario::AuthCodeInvalid;
    }
    match &auth_code[2..4] {
        "11" => Scenario::WaitThenPaid,
        "12" => Scenario::WaitForever,
        "13" => Scenario::BalanceNotEnough,
        "14" => Scenario::SystemErrorThenPaid,
        "15" => Scenario::AuthCodeInvalid,
        "16" => Scenario::Slow,
        "17" => Scenario::CancelRetry,
        "18" => Scenario::PaysAtCancel,
        "19" => Scenario::RefundUnknown,
        _ => Scenario::PaidAtOnce,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    WaitBuyerPay,
    Success,
    Closed,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Status::WaitBuyerPay => "WAIT_BUYER_PAY",
            Status::Success => "TRADE_SUCCESS",
            Status::Closed => "TRADE_CLOSED",
        }
    }
}

#[derive(Debug, Clone)]
struct Refund {
    fen: i64,
    at: String,
}

#[derive(Debug, Clone)]
struct Trade {
    out_trade_no: String,
    trade_no: String,
    auth_code: String,
    scenario: Scenario,
    total_fen: i64,
    status: Status,
    queries: u32,
    cancels: u32,
    refund_calls: u32,
    paid_at: Option<String>,
    refunds: BTreeMap<String, Refund>,
    refunded_fen: i64,
}

/// An answer node with Alipay's key order (`code`, `msg` first), serialized by hand so that
/// a client re-serializing it would not reproduce the signed bytes.
struct Node(Vec<(String, Value)>);

impl Node {
    fn new(code: &str) -> Self {
        let msg = match code {
            "10000" => "Success",
            "10003" => "order success pay inprocess",
            "20000" => "Service Currently Unavailable",
            "20001" => "Insufficient Token Permissions",
            "40001" => "Missing Required Arguments",
            "40002" => "Invalid Arguments",
            "40004" => "Business Failed",
            _ => "Unknown",
        };
        Node(vec![("code".into(), json!(code)), ("msg".into(), json!(msg))])
    }

    fn error(code: &str, sub_code: &str, sub_msg: &str) -> Self {
        Node::new(code).put("sub_code", sub_code).put("sub_msg", sub_msg)
    }

    fn put(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.0.push((key.to_string(), value.into()));
        self
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).and_then(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        let fields: Vec<String> = self
            .0
            .iter()
            .map(|(k, v)| format!("{}:{}", Value::String(k.clone()), v))
            .collect();
        format!("{{{}}}", fields.join(","))
    }
}

struct Sim {
    config: Config,
    signer: Signer,
    verifier: Verifier,
    /// (app_auth_token, out_trade_no) → trade.
    trades: Mutex<HashMap<(String, String), Trade>>,
    counter: Mutex<u64>,
}

fn beijing_now() -> String {
    let bj = FixedOffset::east_opt(8 * 3600).expect("valid offset");
    Utc::now().with_timezone(&bj).format("%Y-%m-%d %H:%M:%S").to_string()
}

/// `"12.34"` → 1234; at most two decimals, > 0, at most 100 000 000 yuan.
fn parse_yuan(s: &str) -> Option<i64> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty() || int.len() > 9 || frac.len() > 2 || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let fen = int.parse::<i64>().ok()? * 100 + format!("{frac:0<2}").parse::<i64>().ok()?;
    (fen > 0 && fen <= 10_000_000_000).then_some(fen)
}

fn yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

impl Sim {
    fn next_trade_no(&self) -> String {
        let mut n = self.counter.lock().unwrap_or_else(|p| p.into_inner());
        *n += 1;
        let bj = FixedOffset::east_opt(8 * 3600).expect("valid offset");
        format!("{}22001{:011}", Utc::now().with_timezone(&bj).format("%Y%m%d"), *n)
    }

    /// Checks the common parameters and the signature, then runs the method. Returns the
    /// node name, the node and how long to wait before answering.
    fn handle(&self, params: &BTreeMap<String, String>) -> (String, Node, u64) {
        let method = params.get("method").map(String::as_str).unwrap_or("");
        let known = METHODS.contains(&method);
        let node_name = if known {
            format!("{}_response", method.replace('.', "_"))
        } else {
            "error_response".to_string()
        };
        let token = params.get("app_auth_token").cloned().unwrap_or_default();
        let biz: Value = params
            .get("biz_content")
            .and_then(|b| serde_json::from_str(b).ok())
            .unwrap_or(Value::Null);
        let (node, delay) = match self.check(params, method, known, &token, &biz) {
            Err(node) => (node, 0),
            Ok(()) => self.run(method, &token, &biz),
        };
        self.config.journal.push(Call {
            method: method.to_string(),
            out_trade_no: biz.get("out_trade_no").and_then(Value::as_str).map(str::to_string),
            out_request_no: biz.get("out_request_no").and_then(Value::as_str).map(str::to_string),
            app_auth_token: (!token.is_empty()).then_some(token),
            code: node.get("code").unwrap_or_default().to_string(),
            sub_code: node.get("sub_code").map(str::to_string),
        });
        (node_name, node, delay + self.config.response_delay_ms)
    }

    fn check(
        &self,
        params: &BTreeMap<String, String>,
        method: &str,
        known: bool,
        token: &str,
        biz: &Value,
    ) -> Result<(), Node> {
        for (name, sub) in [
            ("app_id", "isv.missing-app-id"),
            ("method", "isv.missing-method"),
            ("sign_type", "isv.missing-signature-type"),
            ("sign", "isv.missing-signature"),
            ("timestamp", "isv.missing-timestamp"),
            ("version", "isv.missing-version"),
        ] {
            if params.get(name).is_none_or(|v| v.is_empty()) {
                return Err(Node::error("40001", sub, &format!("缺少{name}参数")));
            }
        }
        if !known {
            return Err(Node::error(
                "40002",
                "isv.invalid-method",
                &format!("不存在的方法名: {method}"),
            ));
        }
        if params["app_id"] != self.config.app_id {
            return Err(Node::error("40002", "isv.invalid-app-id", "无效的AppID参数"));
        }
        if params["sign_type"] != "RSA2" {
            return Err(Node::error("40002", "isv.invalid-signature-type", "无效的签名类型参数"));
        }
        if NaiveDateTime::parse_from_str(&params["timestamp"], "%Y-%m-%d %H:%M:%S").is_err() {
            return Err(Node::error("40002", "isv.invalid-timestamp", "非法的时间戳参数"));
        }
        if params["version"] != "1.0" {
            return Err(Node::error("40002", "isv.invalid-version", "版本号错误"));
        }
        if params.get("format").is_some_and(|f| !f.eq_ignore_ascii_case("json")) {
            return Err(Node::error("40002", "isv.invalid-format", "无效的数据格式参数"));
        }
        if params.get("charset").is_some_and(|c| !c.eq_ignore_ascii_case("utf-8")) {
            return Err(Node::error("40002", "isv.invalid-charset", "字符集错误"));
        }
        let signed = content(params);
        if !self.verifier.verify(&signed, &params["sign"]) {
            return Err(Node::error(
                "40002",
                "isv.invalid-signature",
                &format!("验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：{signed}"),
            ));
        }
        if token.contains("invalid") {
            return Err(Node::error("20001", "aop.invalid-auth-token", "无效的应用授权令牌"));
        }
        if !biz.is_object() {
            return Err(Node::error("40004", "ACQ.INVALID_PARAMETER", "参数无效: biz_content"));
        }
        Ok(())
    }

    fn run(&self, method: &str, token: &str, biz: &Value) -> (Node, u64) {
        let field = |k: &str| biz.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let mut trades = self.trades.lock().unwrap_or_else(|p| p.into_inner());
        // A trade by out_trade_no, else by trade_no, within this merchant's authorization.
        let key = {
            let (out, no) = (field("out_trade_no"), field("trade_no"));
            trades
                .iter()
                .find(|((t, o), tr)| {
                    t == token && ((!out.is_empty() && *o == out) || (!no.is_empty() && tr.trade_no == no))
                })
                .map(|(k, _)| k.clone())
        };
        match method {
            "alipay.trade.pay" => self.pay(&mut trades, token, key, biz),
            _ => {
                if field("out_trade_no").is_empty() && field("trade_no").is_empty() {
                    return (
                        Node::error(
                            "40004",
                            "ACQ.INVALID_PARAMETER",
                            "参数无效: out_trade_no 与 trade_no 不能同时为空",
                        ),
                        0,
                    );
                }
                let Some(trade) = key.and_then(|k| trades.get_mut(&k)) else {
                    return (Node::error("40004", "ACQ.TRADE_NOT_EXIST", "交易不存在"), 0);
                };
                let node = match method {
                    "alipay.trade.query" => self.query(trade),
                    "alipay.trade.cancel" => self.cancel(trade),
                    "alipay.trade.refund" => self.refund(trade, biz),
                    _ => self.refund_query(trade, biz),
                };
                (node, 0)
            }
        }
    }

    fn pay(
        &self,
        trades: &mut HashMap<(String, String), Trade>,
        token: &str,
        key: Option<(String, String)>,
        biz: &Value,
    ) -> (Node, u64) {
        let field = |k: &str| biz.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let (out_trade_no, auth_code, scene) = (field("out_trade_no"), field("auth_code"), field("scene"));
        if out_trade_no.is_empty() || out_trade_no.len() > 64 {
            return (
                Node::error("40004", "ACQ.INVALID_PARAMETER", "参数无效: out_trade_no"),
                0,
            );
        }
        if scene != "bar_code" && scene != "wave_code" {
            return (Node::error("40004", "ACQ.INVALID_PARAMETER", "参数无效: scene"), 0);
        }
        if field("subject").is_empty() {
            return (Node::error("40004", "ACQ.INVALID_PARAMETER", "参数无效: subject"), 0);
        }
        let Some(total_fen) = parse_yuan(&field("total_amount")) else {
            return (
                Node::error("40004", "ACQ.INVALID_PARAMETER", "参数无效: total_amount"),
                0,
            );
        };
        if let Some(existing) = key.and_then(|k| trades.get(&k)) {
            if existing.auth_code != auth_code || existing.total_fen != total_fen {
                return (Node::error("40004", "ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改"), 0);
            }
            let node = match existing.status {
                Status::Success => Node::error("40004", "ACQ.TRADE_HAS_SUCCESS", "交易已被支付")
                    .put("trade_no", existing.trade_no.clone())
                    .put("out_trade_no", existing.out_trade_no.clone()),
                Status::Closed => Node::error("40004", "ACQ.TRADE_HAS_CLOSE", "交易已经关闭"),
                Status::WaitBuyerPay => self.pay_node("10003", existing),
            };
            return (node, 0);
        }
        let sc = scenario(&auth_code);
        if sc == Scenario::AuthCodeInvalid {
            return (
                Node::error(
                    "40004",
                    "ACQ.PAYMENT_AUTH_CODE_INVALID",
                    "支付失败，获取顾客账户信息失败，请顾客刷新付款码后重新收款",
                ),
                0,
            );
        }
        let paid_now = matches!(
            sc,
            Scenario::PaidAtOnce | Scenario::Slow | Scenario::SystemErrorThenPaid | Scenario::RefundUnknown
        );
        let trade = Trade {
            out_trade_no: out_trade_no.clone(),
            trade_no: self.next_trade_no(),
            auth_code,
            scenario: sc,
            total_fen,
            status: match sc {
                _ if paid_now => Status::Success,
                Scenario::BalanceNotEnough => Status::Closed,
                _ => Status::WaitBuyerPay,
            },
            queries: 0,
            cancels: 0,
            refund_calls: 0,
            paid_at: paid_now.then(beijing_now),
            refunds: BTreeMap::new(),
            refunded_fen: 0,
        };
        let answer = match sc {
            Scenario::BalanceNotEnough => (Node::error("40004", "ACQ.BUYER_BALANCE_NOT_ENOUGH", "买家余额不足"), 0),
            Scenario::SystemErrorThenPaid => (Node::error("20000", "isp.unknow-error", "系统繁忙"), 0),
            Scenario::Slow => (self.pay_node("10000", &trade), self.config.slow_delay_ms),
            _ if paid_now => (self.pay_node("10000", &trade), 0),
            _ => (self.pay_node("10003", &trade), 0),
        };
        trades.insert((token.to_string(), out_trade_no), trade);
        answer
    }

    fn pay_node(&self, code: &str, t: &Trade) -> Node {
        let paid = if code == "10000" {
            yuan(t.total_fen)
        } else {
            "0.00".into()
        };
        let mut node = Node::new(code)
            .put("trade_no", t.trade_no.clone())
            .put("out_trade_no", t.out_trade_no.clone())
            .put("buyer_logon_id", "159****5620")
            .put("total_amount", yuan(t.total_fen))
            .put("receipt_amount", paid.clone())
            .put("buyer_pay_amount", paid.clone())
            .put("point_amount", "0.00")
            .put("invoice_amount", paid.clone());
        if code == "10000" {
            node = node
                .put("gmt_payment", t.paid_at.clone().unwrap_or_else(beijing_now))
                .put(
                    "fund_bill_list",
                    json!([{"fund_channel": "ALIPAYACCOUNT", "amount": paid}]),
                );
        }
        node.put("buyer_user_id", "2088102146225135")
    }

    fn query(&self, t: &mut Trade) -> Node {
        t.queries += 1;
        if t.scenario == Scenario::WaitThenPaid
            && t.status == Status::WaitBuyerPay
            && t.queries >= self.config.paying_queries
        {
            t.status = Status::Success;
            t.paid_at = Some(beijing_now());
        }
        let paid = if t.status == Status::WaitBuyerPay {
            "0.00".to_string()
        } else {
            yuan(t.total_fen)
        };
        let mut node = Node::new("10000")
            .put("trade_no", t.trade_no.clone())
            .put("out_trade_no", t.out_trade_no.clone())
            .put("buyer_logon_id", "159****5620")
            .put("trade_status", t.status.as_str())
            .put("total_amount", yuan(t.total_fen))
            .put("buyer_pay_amount", paid.clone())
            .put("point_amount", "0.00")
            .put("invoice_amount", paid.clone())
            .put("receipt_amount", paid);
        if let Some(at) = &t.paid_at {
            node = node.put("send_pay_date", at.clone());
        }
        node.put("buyer_user_id", "2088102146225135")
            .put("buyer_user_type", "PRIVATE")
    }

    fn cancel(&self, t: &mut Trade) -> Node {
        t.cancels += 1;
        if t.scenario == Scenario::CancelRetry && t.cancels == 1 {
            return Node::error("40004", "ACQ.SYSTEM_ERROR", "系统错误").put("retry_flag", "Y");
        }
        if t.scenario == Scenario::PaysAtCancel && t.status == Status::WaitBuyerPay {
            t.status = Status::Success;
            t.paid_at = Some(beijing_now());
        }
        let action = match t.status {
            Status::Success => "refund",
            Status::WaitBuyerPay | Status::Closed => "close",
        };
        let was_paid = t.status == Status::Success;
        t.status = Status::Closed;
        let node = Node::new("10000")
            .put("trade_no", t.trade_no.clone())
            .put("out_trade_no", t.out_trade_no.clone())
            .put("retry_flag", "N")
            .put("action", action);
        if was_paid {
            node.put("gmt_refund_pay", beijing_now())
        } else {
            node
        }
    }

    fn refund(&self, t: &mut Trade, biz: &Value) -> Node {
        let out_request_no = biz
            .get("out_request_no")
            .and_then(Value::as_str)
            .unwrap_or(&t.out_trade_no)
            .to_string();
        let Some(fen) = biz.get("refund_amount").and_then(Value::as_str).and_then(parse_yuan) else {
            return Node::error("40004", "ACQ.INVALID_PARAMETER", "参数无效: refund_amount");
        };
        let answer = |t: &Trade, change: &str, at: &str| {
            Node::new("10000")
                .put("trade_no", t.trade_no.clone())
                .put("out_trade_no", t.out_trade_no.clone())
                .put("buyer_logon_id", "159****5620")
                .put("fund_change", change)
                .put("refund_fee", yuan(t.refunded_fen))
                .put("gmt_refund_pay", at.to_string())
                .put("buyer_user_id", "2088102146225135")
                .put("send_back_fee", yuan(fen))
        };
        if let Some(done) = t.refunds.get(&out_request_no) {
            if done.fen != fen {
                return Node::error(
                    "40004",
                    "ACQ.INVALID_PARAMETER",
                    "参数无效: 同一退款请求号的退款金额不一致",
                );
            }
            let at = done.at.clone();
            return answer(t, "N", &at);
        }
        let fully_refunded = t.status == Status::Closed && t.refunded_fen == t.total_fen && t.refunded_fen > 0;
        if t.status != Status::Success && !fully_refunded {
            return Node::error("40004", "ACQ.TRADE_STATUS_ERROR", "交易状态不合法");
        }
        if t.refunded_fen + fen > t.total_fen {
            return Node::error("40004", "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限");
        }
        let at = beijing_now();
        t.refunds.insert(out_request_no, Refund { fen, at: at.clone() });
        t.refunded_fen += fen;
        if t.refunded_fen == t.total_fen {
            t.status = Status::Closed;
        }
        t.refund_calls += 1;
        if t.scenario == Scenario::RefundUnknown && t.refund_calls == 1 {
            // The refund is made, but the caller never learns it from this answer.
            return Node::error("20000", "isp.unknow-error", "系统繁忙");
        }
        answer(t, "Y", &at)
    }

    fn refund_query(&self, t: &mut Trade, biz: &Value) -> Node {
        let out_request_no = biz
            .get("out_request_no")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if out_request_no.is_empty() {
            return Node::error("40004", "ACQ.INVALID_PARAMETER", "参数无效: out_request_no");
        }
        let node = Node::new("10000")
            .put("trade_no", t.trade_no.clone())
            .put("out_trade_no", t.out_trade_no.clone());
        match t.refunds.get(&out_request_no) {
            // Alipay answers 10000 without details when there is no such refund.
            None => node,
            Some(r) => node
                .put("out_request_no", out_request_no.clone())
                .put("total_amount", yuan(t.total_fen))
                .put("refund_amount", yuan(r.fen))
                .put("refund_status", "REFUND_SUCCESS")
                .put("gmt_refund_pay", r.at.clone()),
        }
    }
}

fn respond(sim: &Sim, node_name: &str, node: &Node) -> HttpResponse {
    let text = node.text();
    let sign = sim.signer.sign(&text);
    let body = format!(
        "{{{}:{text},\"sign\":{}}}",
        Value::String(node_name.to_string()),
        Value::String(sign)
    );
    HttpResponse::Ok()
        .content_type("application/json;charset=utf-8")
        .body(body)
}

async fn gateway(
    req: HttpRequest,
    form: Option<web::Form<Vec<(String, String)>>>,
    sim: web::Data<Sim>,
) -> HttpResponse {
    let mut params = BTreeMap::new();
    if let Ok(q) = web::Query::<Vec<(String, String)>>::from_query(req.query_string()) {
        for (k, v) in q.into_inner() {
            params.entry(k).or_insert(v);
        }
    }
    if let Some(form) = form {
        for (k, v) in form.into_inner() {
            params.insert(k, v);
        }
    }
    let (node_name, node, delay) = sim.handle(&params);
    tracing::debug!(
        method = params.get("method").map(String::as_str).unwrap_or(""),
        code = node.get("code"),
        "alipay simulator answered"
    );
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    respond(&sim, &node_name, &node)
}

pub fn build(listener: std::net::TcpListener, config: Config) -> std::io::Result<actix_web::dev::Server> {
    let invalid = |what: &str, e: String| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("alipay simulator {what}: {e}"),
        )
    };
    let signer = Signer::parse(&config.alipay_private_key).map_err(|e| invalid("alipay_private_key", e))?;
    let verifier = Verifier::parse(&config.app_public_key).map_err(|e| invalid("app_public_key", e))?;
    let sim = web::Data::new(Sim {
        config,
        signer,
        verifier,
        trades: Mutex::new(HashMap::new()),
        counter: Mutex::new(0),
    });
    Ok(HttpServer::new(move || {
        App::new()
            .app_data(sim.clone())
            .route("/gateway.do", web::post().to(gateway))
            .route("/gateway.do", web::get().to(gateway))
    })
    .listen(listener)?
    .workers(2)
    // Stopped by whoever runs it (the one-process runner stops it last, after the services).
    .disable_signals()
    .run())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_choose_their_scenario() {
        assert_eq!(scenario("280000000000000001"), Scenario::PaidAtOnce);
        assert_eq!(scenario("28763443825664394"), Scenario::PaidAtOnce);
        assert_eq!(scenario("281100000000000001"), Scenario::WaitThenPaid);
        assert_eq!(scenario("251200000000000001"), Scenario::WaitForever);
        assert_eq!(scenario("301300000000000001"), Scenario::BalanceNotEnough);
        assert_eq!(scenario("134567890123456789"), Scenario::AuthCodeInvalid);
        assert_eq!(scenario("28110000000000"), Scenario::AuthCodeInvalid);
    }

    #[test]
    fn amounts_parse_strictly() {
        assert_eq!(parse_yuan("0.01"), Some(1));
        assert_eq!(parse_yuan("12.3"), Some(1230));
        assert_eq!(parse_yuan("100000000.00"), Some(10_000_000_000));
        assert_eq!(parse_yuan("100000000.01"), None);
        for bad in ["0", "0.00", "1.234", "-1", "", ".5", "1e3", "1,00"] {
            assert_eq!(parse_yuan(bad), None, "{bad}");
        }
    }

    #[test]
    fn nodes_keep_alipays_key_order() {
        let n = Node::error("40004", "ACQ.X", "中文\"q\"");
        assert_eq!(
            n.text(),
            r#"{"code":"40004","msg":"Business Failed","sub_code":"ACQ.X","sub_msg":"中文\"q\""}"#
        );
    }
}
