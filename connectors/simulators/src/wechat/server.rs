//! The endpoints and the in-memory trades behind them.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use actix_web::{App, HttpResponse, HttpServer, web};
use chrono::{FixedOffset, Utc};

use super::proto::{self, Params, SignType};
use super::{Call, Config};

const MICROPAY: &str = "/pay/micropay";
const ORDERQUERY: &str = "/pay/orderquery";
const REVERSE: &str = "/secapi/pay/reverse";
const REFUND: &str = "/secapi/pay/refund";
const REFUNDQUERY: &str = "/pay/refundquery";

pub fn build(listener: std::net::TcpListener, config: Config) -> std::io::Result<actix_web::dev::Server> {
    let sim = web::Data::new(Sim {
        config,
        trades: Mutex::new(HashMap::new()),
        serial: AtomicU64::new(1),
    });
    let server = HttpServer::new(move || {
        App::new()
            .app_data(sim.clone())
            .app_data(web::PayloadConfig::new(64 * 1024))
            .route(MICROPAY, web::post().to(micropay))
            .route(ORDERQUERY, web::post().to(orderquery))
            .route(REVERSE, web::post().to(reverse))
            .route(REFUND, web::post().to(refund))
            .route(REFUNDQUERY, web::post().to(refundquery))
            .route("/healthz", web::get().to(|| async { HttpResponse::Ok().body("ok") }))
    })
    .listen(listener)?
    .workers(2)
    // Stopped by whoever runs it (the one-process runner stops it last, after the services).
    .disable_signals()
    .run();
    Ok(server)
}

/// What a payment code makes the simulator do (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Behaviour {
    PaidAtOnce,
    UserPayingThenPaid,
    UserPayingForever,
    NotEnough,
    SystemErrorButPaid,
    AuthCodeInvalid,
    SlowButPaid,
    ReverseRecallOnce,
    PaidBeforeReverse,
    RefundSystemErrorOnce,
    BankErrorButPaid,
    SystemErrorNoTrade,
    WrongSignatureButPaid,
    AuthCodeExpired,
    RefundProcessing,
    UserPayingThenCancelled,
}

fn behaviour(auth_code: &str) -> Behaviour {
    let wechat = auth_code.len() == 18
        && auth_code.bytes().all(|b| b.is_ascii_digit())
        && matches!(&auth_code[..2], "10" | "11" | "12" | "13" | "14" | "15");
    if !wechat {
        return Behaviour::AuthCodeInvalid;
    }
    match &auth_code[2..4] {
        "11" => Behaviour::UserPayingThenPaid,
        "12" => Behaviour::UserPayingForever,
        "13" => Behaviour::NotEnough,
        "14" => Behaviour::SystemErrorButPaid,
        "15" => Behaviour::AuthCodeInvalid,
        "16" => Behaviour::SlowButPaid,
        "17" => Behaviour::ReverseRecallOnce,
        "18" => Behaviour::PaidBeforeReverse,
        "19" => Behaviour::RefundSystemErrorOnce,
        "21" => Behaviour::BankErrorButPaid,
        "22" => Behaviour::SystemErrorNoTrade,
        "23" => Behaviour::WrongSignatureButPaid,
        "24" => Behaviour::AuthCodeExpired,
        "25" => Behaviour::RefundProcessing,
        "26" => Behaviour::UserPayingThenCancelled,
        _ => Behaviour::PaidAtOnce,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TradeState {
    Success,
    Refund,
    NotPay,
    Revoked,
    UserPaying,
    PayError,
}

impl TradeState {
    fn code(self) -> &'static str {
        match self {
            TradeState::Success => "SUCCESS",
            TradeState::Refund => "REFUND",
            TradeState::NotPay => "NOTPAY",
            TradeState::Revoked => "REVOKED",
            TradeState::UserPaying => "USERPAYING",
            TradeState::PayError => "PAYERROR",
        }
    }

    fn desc(self) -> &'static str {
        match self {
            TradeState::Success => "支付成功",
            TradeState::Refund => "转入退款",
            TradeState::NotPay => "未支付",
            TradeState::Revoked => "已撤销（付款码支付）",
            TradeState::UserPaying => "用户支付中（付款码支付）",
            TradeState::PayError => "支付失败(其他原因，如银行返回失败)",
        }
    }

    fn paid(self) -> bool {
        matches!(self, TradeState::Success | TradeState::Refund)
    }
}

#[derive(Debug, Clone)]
struct Refund {
    out_refund_no: String,
    refund_id: String,
    refund_fee: i64,
    processing_queries: u32,
    success_time: Option<String>,
}

#[derive(Debug, Clone)]
struct Trade {
    out_trade_no: String,
    auth_code: String,
    behaviour: Behaviour,
    total_fee: i64,
    state: TradeState,
    transaction_id: String,
    time_end: Option<String>,
    /// Orderqueries still to answer `USERPAYING`.
    paying_queries: u32,
    /// Reverses still to answer `recall=Y`.
    recalls: u32,
    /// Refunds still to answer `SYSTEMERROR` (although made).
    refund_errors: u32,
    refunds: Vec<Refund>,
}

impl Trade {
    fn refunded(&self) -> i64 {
        self.refunds.iter().map(|r| r.refund_fee).sum()
    }

    fn pay(&mut self, now: String) {
        self.state = TradeState::Success;
        self.time_end = Some(now);
    }
}

struct Sim {
    config: Config,
    /// (sub_mch_id, out_trade_no) → trade.
    trades: Mutex<HashMap<(String, String), Trade>>,
    serial: AtomicU64,
}

fn beijing_now(format: &str) -> String {
    let offset = FixedOffset::east_opt(8 * 3600).expect("valid offset");
    Utc::now().with_timezone(&offset).format(format).to_string()
}

fn time_end_now() -> String {
    beijing_now("%Y%m%d%H%M%S")
}

/// An incoming request whose signature checked out.
struct Request {
    params: Params,
    sign_type: SignType,
}

impl Request {
    fn get(&self, k: &str) -> Option<&str> {
        self.params.get(k).map(String::as_str).filter(|v| !v.is_empty())
    }

    fn sub_mch_id(&self) -> &str {
        self.get("sub_mch_id").unwrap_or_default()
    }
}

/// Either a verified request or the answer that refuses it.
type Checked = Result<Request, Box<HttpResponse>>;

impl Sim {
    fn next_serial(&self) -> u64 {
        self.serial.fetch_add(1, Ordering::Relaxed)
    }

    fn transaction_id(&self) -> String {
        // 28 digits, like 4200000184201808173250265573.
        format!("42{:013}{:013}", Utc::now().timestamp_millis(), self.next_serial())
    }

    fn refund_id(&self) -> String {
        // 29 digits, like 50000408942018111411154125542.
        format!("503{:013}{:013}", Utc::now().timestamp_millis(), self.next_serial())
    }

    fn trades(&self) -> std::sync::MutexGuard<'_, HashMap<(String, String), Trade>> {
        self.trades.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn xml(&self, params: Params) -> HttpResponse {
        HttpResponse::Ok()
            .content_type("text/xml; charset=utf-8")
            .body(proto::to_xml(&params))
    }

    /// `return_code=FAIL`: unsigned, as WeChat Pay's.
    fn refused(&self, path: &str, msg: &str) -> HttpResponse {
        self.config.journal.push(Call {
            path: path.into(),
            sub_mch_id: None,
            out_trade_no: None,
            out_refund_no: None,
            return_code: "FAIL".into(),
            result_code: None,
            err_code: None,
            state: None,
        });
        let mut p = Params::new();
        p.insert("return_code".into(), "FAIL".into());
        p.insert("return_msg".into(), msg.into());
        self.xml(p)
    }

    /// Parses and authenticates a request as WeChat Pay does.
    fn check(&self, path: &str, body: &str) -> Checked {
        let Some(params) = proto::from_xml(body) else {
            return Err(Box::new(self.refused(path, "XML格式错误")));
        };
        let req = Request {
            sign_type: SignType::Md5,
            params,
        };
        if req.get("mch_id") != Some(self.config.mch_id.as_str()) {
            return Err(Box::new(self.refused(path, "mch_id参数错误")));
        }
        let Some(sign_type) = SignType::from_param(req.get("sign_type")) else {
            return Err(Box::new(self.refused(path, "sign_type参数错误")));
        };
        if req.get("nonce_str").is_none() || req.get("sign").is_none() {
            return Err(Box::new(self.refused(path, "缺少参数")));
        }
        if !proto::verify(&req.params, &self.config.api_key, sign_type) {
            return Err(Box::new(self.refused(path, "签名错误")));
        }
        Ok(Request { sign_type, ..req })
    }

    /// A signed `return_code=SUCCESS` answer with `fields`, journalled.
    fn answer(&self, path: &str, req: &Request, fields: Params) -> HttpResponse {
        self.answer_signed(path, req, fields, true)
    }

    fn answer_signed(&self, path: &str, req: &Request, mut p: Params, correctly: bool) -> HttpResponse {
        p.insert("return_code".into(), "SUCCESS".into());
        p.insert("return_msg".into(), "OK".into());
        p.insert("appid".into(), self.config.appid.clone());
        p.insert("mch_id".into(), self.config.mch_id.clone());
        for k in ["sub_mch_id", "sub_appid", "device_info"] {
            if let Some(v) = req.get(k) {
                p.insert(k.into(), v.into());
            }
        }
        p.insert("nonce_str".into(), format!("{:016}", self.next_serial()));
        let key = if correctly {
            self.config.api_key.clone()
        } else {
            format!("not-{}", self.config.api_key)
        };
        let signature = proto::sign(&p, &key, req.sign_type);
        p.insert("sign".into(), signature);
        let get = |k: &str| p.get(k).cloned();
        self.config.journal.push(Call {
            path: path.into(),
            sub_mch_id: get("sub_mch_id"),
            out_trade_no: get("out_trade_no").or_else(|| req.get("out_trade_no").map(str::to_string)),
            out_refund_no: req
                .get("out_refund_no")
                .map(str::to_string)
                .or_else(|| get("out_refund_no")),
            return_code: "SUCCESS".into(),
            result_code: get("result_code"),
            err_code: get("err_code"),
            state: get("trade_state")
                .or_else(|| get("recall"))
                .or_else(|| get("refund_status_0")),
        });
        self.xml(p)
    }

    /// `result_code=FAIL` with an `err_code`.
    fn fail(&self, path: &str, req: &Request, code: &str, des: &str, extra: &[(&str, String)]) -> HttpResponse {
        let mut p = Params::new();
        p.insert("result_code".into(), "FAIL".into());
        p.insert("err_code".into(), code.into());
        p.insert("err_code_des".into(), des.into());
        for (k, v) in extra {
            p.insert((*k).into(), v.clone());
        }
        self.answer(path, req, p)
    }

    /// The checks every business endpoint shares; `Err` is the answer.
    fn business(&self, path: &str, body: &str, required: &[&str]) -> Checked {
        let req = self.check(path, body)?;
        if req.get("appid") != Some(self.config.appid.as_str()) {
            return Err(Box::new(self.fail(
                path,
                &req,
                "APPID_MCHID_NOT_MATCH",
                "appid和mch_id不匹配",
                &[],
            )));
        }
        if req.get("sub_mch_id").is_none() {
            return Err(Box::new(self.fail(
                path,
                &req,
                "LACK_PARAMS",
                "缺少参数sub_mch_id",
                &[],
            )));
        }
        for k in required {
            if req.get(k).is_none() {
                return Err(Box::new(self.fail(
                    path,
                    &req,
                    "LACK_PARAMS",
                    &format!("缺少参数{k}"),
                    &[],
                )));
            }
        }
        Ok(req)
    }

    fn find_key(&self, req: &Request) -> Option<(String, String)> {
        let sub = req.sub_mch_id().to_string();
        if let Some(no) = req.get("out_trade_no") {
            return Some((sub, no.to_string()));
        }
        let tid = req.get("transaction_id")?;
        self.trades()
            .iter()
            .find(|((s, _), t)| *s == sub && t.transaction_id == tid)
            .map(|(k, _)| k.clone())
    }

    fn paid_fields(t: &Trade) -> Params {
        let mut p = Params::new();
        p.insert(
            "openid".into(),
            format!("oSim{}", &t.auth_code[t.auth_code.len() - 8..]),
        );
        p.insert("is_subscribe".into(), "N".into());
        p.insert("trade_type".into(), "MICROPAY".into());
        p.insert("bank_type".into(), "OTHERS".into());
        p.insert("fee_type".into(), "CNY".into());
        p.insert("total_fee".into(), t.total_fee.to_string());
        p.insert("cash_fee_type".into(), "CNY".into());
        p.insert("cash_fee".into(), t.total_fee.to_string());
        p.insert("transaction_id".into(), t.transaction_id.clone());
        p.insert("out_trade_no".into(), t.out_trade_no.clone());
        p.insert("time_end".into(), t.time_end.clone().unwrap_or_default());
        p
    }
}

fn valid_out_no(s: &str, max: usize) -> bool {
    !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-|*@".contains(&b))
}

async fn micropay(sim: web::Data<Sim>, body: String) -> HttpResponse {
    let req = match sim.business(
        MICROPAY,
        &body,
        &["body", "out_trade_no", "total_fee", "spbill_create_ip", "auth_code"],
    ) {
        Ok(r) => r,
        Err(answer) => return *answer,
    };
    let out_trade_no = req.get("out_trade_no").unwrap_or_default().to_string();
    let auth_code = req.get("auth_code").unwrap_or_default().to_string();
    let Some(total_fee) = req
        .get("total_fee")
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|f| *f > 0)
    else {
        return sim.fail(MICROPAY, &req, "PARAM_ERROR", "total_fee参数错误", &[]);
    };
    if !valid_out_no(&out_trade_no, 32) {
        return sim.fail(MICROPAY, &req, "PARAM_ERROR", "out_trade_no参数错误", &[]);
    }
    let key = (req.sub_mch_id().to_string(), out_trade_no.clone());
    let echo = [("out_trade_no", out_trade_no.clone())];

    // A known order number: WeChat Pay answers about the existing trade.
    let existing = sim.trades().get(&key).cloned();
    if let Some(t) = existing {
        if t.auth_code != auth_code || t.total_fee != total_fee {
            return sim.fail(MICROPAY, &req, "OUT_TRADE_NO_USED", "商户订单号重复", &echo);
        }
        return match t.state {
            TradeState::Success | TradeState::Refund => sim.fail(MICROPAY, &req, "ORDERPAID", "订单已支付", &echo),
            TradeState::Revoked => sim.fail(MICROPAY, &req, "ORDERREVERSED", "订单已撤销", &echo),
            TradeState::UserPaying => sim.fail(MICROPAY, &req, "USERPAYING", "需要用户输入支付密码", &echo),
            TradeState::NotPay | TradeState::PayError => sim.fail(MICROPAY, &req, "TRADE_ERROR", "交易错误", &echo),
        };
    }

    let b = behaviour(&auth_code);
    let mut trade = Trade {
        out_trade_no: out_trade_no.clone(),
        auth_code: auth_code.clone(),
        behaviour: b,
        total_fee,
        state: TradeState::Success,
        transaction_id: sim.transaction_id(),
        time_end: None,
        paying_queries: 0,
        recalls: 0,
        refund_errors: 0,
        refunds: Vec::new(),
    };
    let record = |t: Trade| {
        sim.trades().insert(key.clone(), t);
    };
    match b {
        Behaviour::AuthCodeInvalid => sim.fail(
            MICROPAY,
            &req,
            "AUTH_CODE_INVALID",
            "请扫描微信支付授权码(以10/11/12/13/14/15开头的18位纯数字)",
            &echo,
        ),
        Behaviour::AuthCodeExpired => sim.fail(
            MICROPAY,
            &req,
            "AUTHCODEEXPIRE",
            "二维码已过期，请用户在微信上刷新后再试",
            &echo,
        ),
        Behaviour::NotEnough => {
            trade.state = TradeState::PayError;
            record(trade);
            sim.fail(MICROPAY, &req, "NOTENOUGH", "余额不足", &echo)
        }
        Behaviour::UserPayingThenPaid
        | Behaviour::UserPayingThenCancelled
        | Behaviour::UserPayingForever
        | Behaviour::ReverseRecallOnce
        | Behaviour::PaidBeforeReverse => {
            trade.state = TradeState::UserPaying;
            trade.paying_queries = match b {
                Behaviour::UserPayingThenPaid | Behaviour::UserPayingThenCancelled => sim.config.userpaying_queries,
                _ => u32::MAX,
            };
            trade.recalls = u32::from(b == Behaviour::ReverseRecallOnce);
            record(trade);
            sim.fail(MICROPAY, &req, "USERPAYING", "需要用户输入支付密码", &echo)
        }
        Behaviour::SystemErrorButPaid | Behaviour::BankErrorButPaid => {
            trade.pay(time_end_now());
            record(trade);
            let (code, des) = if b == Behaviour::BankErrorButPaid {
                ("BANKERROR", "银行系统异常")
            } else {
                ("SYSTEMERROR", "系统超时")
            };
            sim.fail(MICROPAY, &req, code, des, &echo)
        }
        Behaviour::SystemErrorNoTrade => sim.fail(MICROPAY, &req, "SYSTEMERROR", "系统超时", &echo),
        Behaviour::PaidAtOnce
        | Behaviour::SlowButPaid
        | Behaviour::WrongSignatureButPaid
        | Behaviour::RefundSystemErrorOnce
        | Behaviour::RefundProcessing => {
            trade.pay(time_end_now());
            trade.refund_errors = u32::from(b == Behaviour::RefundSystemErrorOnce);
            let mut fields = Sim::paid_fields(&trade);
            fields.insert("result_code".into(), "SUCCESS".into());
            if let Some(attach) = req.get("attach") {
                fields.insert("attach".into(), attach.into());
            }
            record(trade);
            if b == Behaviour::SlowButPaid {
                tokio::time::sleep(Duration::from_millis(sim.config.slow_answer_ms)).await;
            }
            sim.answer_signed(MICROPAY, &req, fields, b != Behaviour::WrongSignatureButPaid)
        }
    }
}

async fn orderquery(sim: web::Data<Sim>, body: String) -> HttpResponse {
    let req = match sim.business(ORDERQUERY, &body, &[]) {
        Ok(r) => r,
        Err(answer) => return *answer,
    };
    if req.get("out_trade_no").is_none() && req.get("transaction_id").is_none() {
        return sim.fail(
            ORDERQUERY,
            &req,
            "PARAM_ERROR",
            "out_trade_no和transaction_id不能同时为空",
            &[],
        );
    }
    let found = sim.find_key(&req).and_then(|key| {
        let mut trades = sim.trades();
        let t = trades.get_mut(&key)?;
        if t.state == TradeState::UserPaying {
            if t.paying_queries == 0 && t.behaviour == Behaviour::UserPayingThenCancelled {
                t.state = TradeState::NotPay;
            } else if t.paying_queries == 0 {
                t.pay(time_end_now());
            } else if t.paying_queries != u32::MAX {
                t.paying_queries -= 1;
            }
        }
        Some(t.clone())
    });
    let Some(t) = found else {
        let echo: Vec<(&str, String)> = req
            .get("out_trade_no")
            .map(|n| ("out_trade_no", n.to_string()))
            .into_iter()
            .collect();
        return sim.fail(ORDERQUERY, &req, "ORDERNOTEXIST", "order not exist", &echo);
    };
    let mut p = if t.state.paid() {
        Sim::paid_fields(&t)
    } else {
        let mut p = Params::new();
        p.insert("out_trade_no".into(), t.out_trade_no.clone());
        p.insert("total_fee".into(), t.total_fee.to_string());
        p
    };
    p.insert("result_code".into(), "SUCCESS".into());
    p.insert("trade_state".into(), t.state.code().into());
    p.insert("trade_state_desc".into(), t.state.desc().into());
    sim.answer(ORDERQUERY, &req, p)
}

async fn reverse(sim: web::Data<Sim>, body: String) -> HttpResponse {
    let req = match sim.business(REVERSE, &body, &[]) {
        Ok(r) => r,
        Err(answer) => return *answer,
    };
    let Some(key) = sim.find_key(&req) else {
        return sim.fail(REVERSE, &req, "INVALID_TRANSACTIONID", "无效transaction_id", &[]);
    };
    let mut result = Params::new();
    result.insert("out_trade_no".into(), key.1.clone());
    let refused = {
        let mut trades = sim.trades();
        match trades.get_mut(&key) {
            // An unknown order number is closed for good: nothing can be paid with it any more.
            None => {
                trades.insert(
                    key.clone(),
                    Trade {
                        out_trade_no: key.1.clone(),
                        auth_code: String::new(),
                        behaviour: Behaviour::SystemErrorNoTrade,
                        total_fee: 0,
                        state: TradeState::Revoked,
                        transaction_id: String::new(),
                        time_end: None,
                        paying_queries: 0,
                        recalls: 0,
                        refund_errors: 0,
                        refunds: Vec::new(),
                    },
                );
                result.insert("recall".into(), "N".into());
                None
            }
            Some(t) if t.recalls > 0 => {
                t.recalls -= 1;
                result.insert("recall".into(), "Y".into());
                None
            }
            Some(t) if !t.refunds.is_empty() => Some(("TRADE_ERROR", "订单已发生退款，不能撤销")),
            Some(t) => {
                if t.behaviour == Behaviour::PaidBeforeReverse && t.state == TradeState::UserPaying {
                    // The customer confirmed a moment ago; the reverse returns the money.
                    t.pay(time_end_now());
                }
                t.state = TradeState::Revoked;
                result.insert("recall".into(), "N".into());
                None
            }
        }
    };
    match refused {
        Some((code, des)) => sim.fail(REVERSE, &req, code, des, &[("recall", "N".into())]),
        None => {
            result.insert("result_code".into(), "SUCCESS".into());
            sim.answer(REVERSE, &req, result)
        }
    }
}

async fn refund(sim: web::Data<Sim>, body: String) -> HttpResponse {
    let req = match sim.business(REFUND, &body, &["out_refund_no", "total_fee", "refund_fee"]) {
        Ok(r) => r,
        Err(answer) => return *answer,
    };
    let out_refund_no = req.get("out_refund_no").unwrap_or_default().to_string();
    let echo = [("out_refund_no", out_refund_no.clone())];
    let fee = |k: &str| req.get(k).and_then(|v| v.parse::<i64>().ok()).filter(|f| *f > 0);
    let (Some(total_fee), Some(refund_fee)) = (fee("total_fee"), fee("refund_fee")) else {
        return sim.fail(REFUND, &req, "PARAM_ERROR", "total_fee或refund_fee参数错误", &echo);
    };
    if !valid_out_no(&out_refund_no, 64) {
        return sim.fail(REFUND, &req, "PARAM_ERROR", "out_refund_no参数错误", &echo);
    }
    let Some(key) = sim.find_key(&req) else {
        return sim.fail(REFUND, &req, "ORDERNOTEXIST", "订单号不存在", &echo);
    };
    // Decide under the lock, answer after it.
    let decided: Result<(Trade, Refund, bool), (&str, String)> = {
        let mut trades = sim.trades();
        match trades.get_mut(&key) {
            None => Err(("ORDERNOTEXIST", "订单号不存在".into())),
            Some(t) if !t.state.paid() => Err(("TRADE_STATE_ERROR", "订单状态错误".into())),
            Some(t) if t.total_fee != total_fee => {
                Err(("PARAM_ERROR", "订单金额或退款金额与之前请求不一致，请核实后再试".into()))
            }
            Some(t) => {
                if let Some(r) = t.refunds.iter().find(|r| r.out_refund_no == out_refund_no).cloned() {
                    if r.refund_fee == refund_fee {
                        Ok((t.clone(), r, false))
                    } else {
                        Err(("PARAM_ERROR", "订单金额或退款金额与之前请求不一致，请核实后再试".into()))
                    }
                } else if t.refunded() + refund_fee > t.total_fee {
                    Err(("ERROR", "累计退款金额大于支付金额".into()))
                } else {
                    let r = Refund {
                        out_refund_no: out_refund_no.clone(),
                        refund_id: sim.refund_id(),
                        refund_fee,
                        processing_queries: if t.behaviour == Behaviour::RefundProcessing {
                            sim.config.refund_processing_queries
                        } else {
                            0
                        },
                        success_time: None,
                    };
                    t.refunds.push(r.clone());
                    t.state = TradeState::Refund;
                    let fail_once = t.refund_errors > 0;
                    t.refund_errors = t.refund_errors.saturating_sub(1);
                    Ok((t.clone(), r, fail_once))
                }
            }
        }
    };
    match decided {
        Err((code, des)) => sim.fail(REFUND, &req, code, &des, &echo),
        // The refund is made, but the answer says otherwise (a retry gets the real one).
        Ok((_, _, true)) => sim.fail(REFUND, &req, "SYSTEMERROR", "系统超时", &echo),
        Ok((t, r, false)) => {
            let mut p = Params::new();
            p.insert("result_code".into(), "SUCCESS".into());
            p.insert("transaction_id".into(), t.transaction_id.clone());
            p.insert("out_trade_no".into(), t.out_trade_no.clone());
            p.insert("out_refund_no".into(), r.out_refund_no.clone());
            p.insert("refund_id".into(), r.refund_id.clone());
            p.insert("refund_fee".into(), r.refund_fee.to_string());
            p.insert("total_fee".into(), t.total_fee.to_string());
            p.insert("cash_fee".into(), t.total_fee.to_string());
            p.insert("cash_refund_fee".into(), r.refund_fee.to_string());
            p.insert("coupon_refund_fee".into(), "0".into());
            p.insert("coupon_refund_count".into(), "0".into());
            sim.answer(REFUND, &req, p)
        }
    }
}

async fn refundquery(sim: web::Data<Sim>, body: String) -> HttpResponse {
    let req = match sim.business(REFUNDQUERY, &body, &[]) {
        Ok(r) => r,
        Err(answer) => return *answer,
    };
    let sub = req.sub_mch_id().to_string();
    let wanted_refund = req.get("refund_id").map(str::to_string);
    let wanted_no = req.get("out_refund_no").map(str::to_string);
    let trade_key = if wanted_refund.is_some() || wanted_no.is_some() {
        sim.trades()
            .iter()
            .find(|((s, _), t)| {
                *s == sub
                    && t.refunds.iter().any(|r| match &wanted_refund {
                        Some(id) => *id == r.refund_id,
                        None => wanted_no.as_deref() == Some(r.out_refund_no.as_str()),
                    })
            })
            .map(|(k, _)| k.clone())
    } else {
        sim.find_key(&req)
    };
    let found = {
        let mut trades = sim.trades();
        trade_key.and_then(|key| {
            let t = trades.get_mut(&key)?;
            let mut listed = Vec::new();
            for r in t.refunds.iter_mut() {
                let selected = match (&wanted_refund, &wanted_no) {
                    (Some(id), _) => *id == r.refund_id,
                    (None, Some(no)) => *no == r.out_refund_no,
                    (None, None) => true,
                };
                if !selected {
                    continue;
                }
                if r.success_time.is_none() {
                    if r.processing_queries == 0 {
                        r.success_time = Some(beijing_now("%Y-%m-%d %H:%M:%S"));
                    } else {
                        r.processing_queries -= 1;
                    }
                }
                listed.push(r.clone());
            }
            (!listed.is_empty()).then(|| (t.clone(), listed))
        })
    };
    let Some((t, refunds)) = found else {
        return sim.fail(REFUNDQUERY, &req, "REFUNDNOTEXIST", "not exist", &[]);
    };
    let mut p = Params::new();
    p.insert("result_code".into(), "SUCCESS".into());
    p.insert("transaction_id".into(), t.transaction_id.clone());
    p.insert("out_trade_no".into(), t.out_trade_no.clone());
    p.insert("total_fee".into(), t.total_fee.to_string());
    p.insert("cash_fee".into(), t.total_fee.to_string());
    p.insert("refund_count".into(), refunds.len().to_string());
    p.insert("total_refund_count".into(), t.refunds.len().to_string());
    for (n, r) in refunds.iter().enumerate() {
        let mut put = |k: &str, v: String| {
            p.insert(format!("{k}_{n}"), v);
        };
        put("out_refund_no", r.out_refund_no.clone());
        put("refund_id", r.refund_id.clone());
        put("refund_channel", "ORIGINAL".into());
        put("refund_fee", r.refund_fee.to_string());
        put("settlement_refund_fee", r.refund_fee.to_string());
        put("refund_account", "REFUND_SOURCE_UNSETTLED_FUNDS".into());
        put("refund_recv_accout", "支付用户的零钱".into());
        match &r.success_time {
            Some(at) => {
                put("refund_status", "SUCCESS".into());
                put("refund_success_time", at.clone());
            }
            None => put("refund_status", "PROCESSING".into()),
        }
    }
    sim.answer(REFUNDQUERY, &req, p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_choose_their_behaviour_by_the_third_and_fourth_digits() {
        assert_eq!(behaviour("131100000000000001"), Behaviour::UserPayingThenPaid);
        assert_eq!(behaviour("101200000000000001"), Behaviour::UserPayingForever);
        assert_eq!(behaviour("132300000000000001"), Behaviour::WrongSignatureButPaid);
        assert_eq!(behaviour("134500000000000001"), Behaviour::PaidAtOnce);
        assert_eq!(behaviour("284500000000000001"), Behaviour::AuthCodeInvalid);
        assert_eq!(behaviour("1345"), Behaviour::AuthCodeInvalid);
    }
}
