//! The HTTP side of API v2: every request is signed, every answer parsed and its signature
//! verified before anyone reads it. Service-provider mode: `appid`/`mch_id` are the
//! provider's, `sub_mch_id` (and optionally `sub_appid`) the merchant's.

use std::time::Duration;

use super::sign::{self, SignType};
use super::xml;
use super::{CallOutcome, Params, field};
use crate::settings::WechatSettings;

pub const MICROPAY: &str = "/pay/micropay";
pub const ORDERQUERY: &str = "/pay/orderquery";
pub const REVERSE: &str = "/secapi/pay/reverse";
pub const REFUND: &str = "/secapi/pay/refund";
pub const REFUNDQUERY: &str = "/pay/refundquery";

/// The merchant a call is made for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubMerchant {
    pub sub_mch_id: String,
    pub sub_appid: Option<String>,
}

pub struct WxClient {
    settings: WechatSettings,
    /// For the ordinary endpoints.
    plain: reqwest::Client,
    /// For `/secapi/...`: carries the client certificate when one is configured.
    secure: reqwest::Client,
}

fn nonce() -> String {
    // 22 characters of [0-9A-Za-z]; the protocol allows up to 32.
    connector_contract::shared::ids::new_uuid()
}

impl WxClient {
    pub fn new(settings: &WechatSettings) -> anyhow::Result<Self> {
        let timeout = Duration::from_millis(settings.request_timeout_ms.max(1));
        let builder = || {
            reqwest::Client::builder()
                .timeout(timeout)
                .connect_timeout(timeout.min(Duration::from_secs(5)))
        };
        let plain = builder().build()?;
        let secure = match settings.client_identity_files()? {
            None => plain.clone(),
            Some((cert, key)) => {
                let mut pem = std::fs::read(cert)
                    .map_err(|e| anyhow::anyhow!("connectors.wechat.client_cert_pem_file {}: {e}", cert.display()))?;
                pem.push(b'\n');
                pem.extend(
                    std::fs::read(key)
                        .map_err(|e| anyhow::anyhow!("connectors.wechat.client_key_pem_file {}: {e}", key.display()))?,
                );
                let identity = reqwest::Identity::from_pem(&pem)
                    .map_err(|e| anyhow::anyhow!("connectors.wechat client certificate: {e}"))?;
                builder().identity(identity).build()?
            }
        };
        Ok(Self {
            settings: settings.clone(),
            plain,
            secure,
        })
    }

    pub fn settings(&self) -> &WechatSettings {
        &self.settings
    }

    /// `/pay/micropay`: charge the customer's payment code.
    pub async fn micropay(
        &self,
        m: &SubMerchant,
        out_trade_no: &str,
        total_fee: i64,
        auth_code: &str,
        body: &str,
    ) -> CallOutcome {
        let mut p = Params::new();
        p.insert("out_trade_no".into(), out_trade_no.into());
        p.insert("total_fee".into(), total_fee.to_string());
        p.insert("fee_type".into(), "CNY".into());
        p.insert("auth_code".into(), auth_code.into());
        p.insert("body".into(), body.into());
        p.insert("spbill_create_ip".into(), self.settings.spbill_create_ip.clone());
        self.call(MICROPAY, m, p, false).await
    }

    /// `/pay/orderquery` by our order number.
    pub async fn orderquery(&self, m: &SubMerchant, out_trade_no: &str) -> CallOutcome {
        let mut p = Params::new();
        p.insert("out_trade_no".into(), out_trade_no.into());
        self.call(ORDERQUERY, m, p, false).await
    }

    /// `/secapi/pay/reverse` (撤销): closes an unpaid trade, or returns a paid one's money.
    pub async fn reverse(&self, m: &SubMerchant, out_trade_no: &str) -> CallOutcome {
        let mut p = Params::new();
        p.insert("out_trade_no".into(), out_trade_no.into());
        self.call(REVERSE, m, p, true).await
    }

    /// `/secapi/pay/refund`; idempotent at WeChat Pay by `out_refund_no`.
    pub async fn refund(
        &self,
        m: &SubMerchant,
        out_trade_no: &str,
        out_refund_no: &str,
        total_fee: i64,
        refund_fee: i64,
    ) -> CallOutcome {
        let mut p = Params::new();
        p.insert("out_trade_no".into(), out_trade_no.into());
        p.insert("out_refund_no".into(), out_refund_no.into());
        p.insert("total_fee".into(), total_fee.to_string());
        p.insert("refund_fee".into(), refund_fee.to_string());
        p.insert("refund_fee_type".into(), "CNY".into());
        self.call(REFUND, m, p, true).await
    }

    /// `/pay/refundquery` by our refund number.
    pub async fn refundquery(&self, m: &SubMerchant, out_refund_no: &str) -> CallOutcome {
        let mut p = Params::new();
        p.insert("out_refund_no".into(), out_refund_no.into());
        self.call(REFUNDQUERY, m, p, false).await
    }

    /// The signed request of `path`, as it goes on the wire (tests and logs use it).
    pub fn signed(&self, m: &SubMerchant, mut p: Params, key: &str) -> Params {
        let s = &self.settings;
        p.insert("appid".into(), s.appid.clone());
        p.insert("mch_id".into(), s.mch_id.clone());
        p.insert("sub_mch_id".into(), m.sub_mch_id.clone());
        if let Some(sub_appid) = m.sub_appid.as_ref().filter(|a| !a.is_empty()) {
            p.insert("sub_appid".into(), sub_appid.clone());
        }
        p.insert("nonce_str".into(), nonce());
        if s.sign_type == SignType::HmacSha256 {
            p.insert("sign_type".into(), s.sign_type.as_str().into());
        }
        let signature = sign::sign(&p, key, s.sign_type);
        p.insert("sign".into(), signature);
        p
    }

    async fn call(&self, path: &str, m: &SubMerchant, p: Params, secure: bool) -> CallOutcome {
        let Some(key) = self.settings.key() else {
            return CallOutcome::Unreachable("connectors.wechat.api_key is not configured".into());
        };
        let request = self.signed(m, p, key);
        let url = format!("{}{path}", self.settings.base_url.trim_end_matches('/'));
        let http = if secure { &self.secure } else { &self.plain };
        let sent = http
            .post(&url)
            .header(reqwest::header::CONTENT_TYPE, "text/xml; charset=utf-8")
            .body(xml::to_xml(&request))
            .send()
            .await;
        let outcome = match sent {
            Err(e) if e.is_connect() => CallOutcome::Unreachable(format!("cannot connect to WeChat Pay: {e}")),
            Err(e) if e.is_timeout() => CallOutcome::Unclear("WeChat Pay did not answer in time".into()),
            Err(e) => CallOutcome::Unclear(format!("the call to WeChat Pay broke: {e}")),
            Ok(resp) => {
                let status = resp.status();
                match resp.text().await {
                    Err(e) => CallOutcome::Unclear(format!("the answer of WeChat Pay broke: {e}")),
                    Ok(_) if !status.is_success() => CallOutcome::Unclear(format!("WeChat Pay answered HTTP {status}")),
                    Ok(body) => self.read_answer(&body, key),
                }
            }
        };
        match &outcome {
            CallOutcome::Answer(a) => tracing::info!(
                path,
                result_code = field(a, "result_code"),
                err_code = field(a, "err_code"),
                "WeChat Pay answered"
            ),
            other => tracing::warn!(path, outcome = ?other, "WeChat Pay call without a usable answer"),
        }
        outcome
    }

    /// Parses and authenticates an answer.
    pub fn read_answer(&self, body: &str, key: &str) -> CallOutcome {
        let answer = match xml::from_xml(body) {
            Ok(a) => a,
            Err(e) => return CallOutcome::Unclear(format!("WeChat Pay answered something else than its XML ({e})")),
        };
        match field(&answer, "return_code") {
            "SUCCESS" => {}
            "FAIL" => {
                let msg = field(&answer, "return_msg");
                return CallOutcome::Refused(if msg.is_empty() { "FAIL".into() } else { msg.into() });
            }
            other => return CallOutcome::Unclear(format!("WeChat Pay answered return_code {other:?}")),
        }
        if field(&answer, "sign").is_empty() {
            return CallOutcome::Unclear("WeChat Pay's answer is not signed".into());
        }
        // Answers are signed like the request; an answer that names its own type is checked
        // with that one (both need the key).
        let sign_type = match answer.get("sign_type").filter(|s| !s.is_empty()) {
            None => self.settings.sign_type,
            Some(named) => match SignType::parse(Some(named)) {
                Some(t) => t,
                None => return CallOutcome::Unclear(format!("WeChat Pay's answer names sign_type {named:?}")),
            },
        };
        if !sign::verify(&answer, key, sign_type) {
            return CallOutcome::Unclear("the signature of WeChat Pay's answer is wrong".into());
        }
        let s = &self.settings;
        for (k, ours) in [("appid", &s.appid), ("mch_id", &s.mch_id)] {
            let theirs = field(&answer, k);
            if !theirs.is_empty() && theirs != ours {
                return CallOutcome::Unclear(format!("WeChat Pay answered for another {k} ({theirs})"));
            }
        }
        CallOutcome::Answer(answer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(sign_type: SignType) -> WxClient {
        let settings = WechatSettings {
            appid: "wx0123456789abcdef".into(),
            mch_id: "1900000109".into(),
            api_key: Some("k".repeat(32).into()),
            sign_type,
            ..Default::default()
        };
        WxClient::new(&settings).unwrap()
    }

    fn answer(pairs: &[(&str, &str)], key: &str, t: SignType) -> String {
        let mut p: Params = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let s = sign::sign(&p, key, t);
        p.insert("sign".into(), s);
        xml::to_xml(&p)
    }

    #[test]
    fn requests_carry_the_provider_the_sub_merchant_and_a_valid_signature() {
        for t in [SignType::Md5, SignType::HmacSha256] {
            let c = client(t);
            let m = SubMerchant {
                sub_mch_id: "1900000110".into(),
                sub_appid: None,
            };
            let p = c.signed(
                &m,
                Params::from([("out_trade_no".to_string(), "1".to_string())]),
                &"k".repeat(32),
            );
            assert_eq!(field(&p, "sub_mch_id"), "1900000110");
            assert_eq!(field(&p, "mch_id"), "1900000109");
            assert!(!p.contains_key("sub_appid"));
            assert_eq!(p.contains_key("sign_type"), t == SignType::HmacSha256);
            assert!(sign::verify(&p, &"k".repeat(32), t));
        }
    }

    #[test]
    fn answers_are_authenticated_before_they_count() {
        let c = client(SignType::HmacSha256);
        let key = "k".repeat(32);
        let good = answer(
            &[
                ("return_code", "SUCCESS"),
                ("result_code", "SUCCESS"),
                ("mch_id", "1900000109"),
            ],
            &key,
            SignType::HmacSha256,
        );
        assert!(matches!(c.read_answer(&good, &key), CallOutcome::Answer(_)));
        let forged = answer(
            &[("return_code", "SUCCESS"), ("result_code", "SUCCESS")],
            "not-the-key",
            SignType::HmacSha256,
        );
        assert!(matches!(c.read_answer(&forged, &key), CallOutcome::Unclear(m) if m.contains("signature")));
        let unsigned = "<xml><return_code>SUCCESS</return_code><result_code>SUCCESS</result_code></xml>";
        assert!(matches!(c.read_answer(unsigned, &key), CallOutcome::Unclear(m) if m.contains("not signed")));
        assert!(matches!(
            c.read_answer("<html>502</html>", &key),
            CallOutcome::Unclear(_)
        ));
        let other_mch = answer(
            &[("return_code", "SUCCESS"), ("mch_id", "42")],
            &key,
            SignType::HmacSha256,
        );
        assert!(matches!(c.read_answer(&other_mch, &key), CallOutcome::Unclear(_)));
        let refused =
            "<xml><return_code><![CDATA[FAIL]]></return_code><return_msg><![CDATA[签名错误]]></return_msg></xml>";
        assert_eq!(c.read_answer(refused, &key), CallOutcome::Refused("签名错误".into()));
    }
}
