//! The customer's payment code (付款码): its digits tell its channel. An Alipay code is 16-24
//! digits starting with 25-30; a WeChat Pay code is 18 digits starting with 10-15. A code of
//! the wrong channel is refused before anyone is called.

use serde_json::{Map, Value};

pub use connector_contract::pay_code::{Channel, channel};

/// `2876…4394`: enough to recognise a code in logs, not enough to reuse it.
pub fn mask(code: &str) -> String {
    if code.len() <= 8 || !code.is_ascii() {
        return "****".into();
    }
    format!("{}****{}", &code[..4], &code[code.len() - 4..])
}

/// The Alipay payment code from `payParams.payBarCode`, or why there is none.
pub fn alipay_code(pay_params: &Map<String, Value>) -> Result<String, String> {
    let code = match pay_params.get("payBarCode") {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(_) => return Err("payParams.payBarCode must be the scanned payment code (a string of digits)".into()),
        None => String::new(),
    };
    if code.is_empty() {
        return Err("payParams.payBarCode is required: scan the customer's Alipay payment code".into());
    }
    match channel(&code) {
        Channel::Alipay => Ok(code),
        Channel::Wechat => Err(format!(
            "payment code {} is a WeChat Pay code; this pay mode takes Alipay payment codes (16-24 digits starting with 25-30)",
            mask(&code)
        )),
        Channel::Unknown => Err(format!(
            "payment code {} is not an Alipay payment code (16-24 digits starting with 25-30)",
            mask(&code)
        )),
    }
}

#[cfg(test)]
mod tests {
    use connector_contract::pay_params::params;

    use super::*;
    use serde_json::json;

    #[test]
    fn digits_tell_the_channel() {
        assert_eq!(channel("28763443825664394"), Channel::Alipay);
        assert_eq!(channel("2500000000000000"), Channel::Alipay);
        assert_eq!(channel("300000000000000000000000"), Channel::Alipay);
        assert_eq!(channel("134567890123456789"), Channel::Wechat);
        assert_eq!(channel("104567890123456789"), Channel::Wechat);
        assert_eq!(channel("2400000000000000"), Channel::Unknown);
        assert_eq!(channel("310000000000000000"), Channel::Unknown);
        assert_eq!(channel("250000000000000"), Channel::Unknown, "15 digits");
        assert_eq!(channel("2500000000000000000000000"), Channel::Unknown, "25 digits");
        assert_eq!(channel("28abc000000000000"), Channel::Unknown);
        assert_eq!(channel(""), Channel::Unknown);
        assert_eq!(
            channel("1345678901234567"),
            Channel::Unknown,
            "WeChat codes have 18 digits"
        );
    }

    #[test]
    fn pay_params_give_the_code_or_a_clear_reason() {
        assert_eq!(
            alipay_code(&params(json!({"payBarCode": " 28763443825664394 "}))).unwrap(),
            "28763443825664394"
        );
        assert_eq!(
            alipay_code(&params(json!({"payBarCode": 28763443825664394u64}))).unwrap(),
            "28763443825664394"
        );
        let wechat = alipay_code(&params(json!({"payBarCode": "134567890123456789"}))).unwrap_err();
        assert!(wechat.contains("WeChat"), "{wechat}");
        assert!(!wechat.contains("134567890123456789"), "codes are masked: {wechat}");
        assert!(alipay_code(&params(json!({}))).unwrap_err().contains("required"));
        assert!(alipay_code(&params(json!({"payBarCode": ["x"]}))).is_err());
        assert!(
            alipay_code(&params(json!({"payBarCode": "99"})))
                .unwrap_err()
                .contains("not an Alipay")
        );
    }
}
