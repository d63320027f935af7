//! A payment code's digits tell its channel: WeChat Pay codes are 18 digits starting 10-15,
//! Alipay codes 16-24 digits starting 25-30. A code of the wrong channel is refused before
//! anyone is called.

use serde_json::{Map, Value};

pub use connector_contract::pay_code::{Channel, channel};

/// `payParams.payBarCode` as a WeChat Pay `auth_code`, or why it is not one.
pub fn wechat_code(pay_params: &Map<String, Value>) -> Result<String, String> {
    let code = match pay_params.get("payBarCode") {
        None | Some(Value::Null) => return Err("payParams.payBarCode (the customer's payment code) is required".into()),
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) if n.is_u64() => n.to_string(),
        Some(_) => return Err("payParams.payBarCode must be a string of digits".into()),
    };
    match channel(&code) {
        Channel::Wechat => Ok(code),
        Channel::Alipay => Err(format!(
            "payment code {} is an Alipay code (16-24 digits starting 25-30), not a WeChat Pay code; use the Alipay pay mode",
            mask(&code)
        )),
        Channel::Unknown => Err(format!(
            "payment code {} is not a WeChat Pay code (18 digits starting 10-15)",
            mask(&code)
        )),
    }
}

/// A code shown in reasons and logs: enough to recognise it, not enough to reuse it.
pub fn mask(code: &str) -> String {
    let n = code.chars().count();
    if n <= 8 {
        return "*".repeat(n);
    }
    let head: String = code.chars().take(4).collect();
    let tail: String = code.chars().skip(n - 4).collect();
    format!("{head}{}{tail}", "*".repeat(n - 8))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn params(v: Value) -> Map<String, Value> {
        json!({ "payBarCode": v }).as_object().unwrap().clone()
    }

    #[test]
    fn codes_are_told_apart_by_their_digits() {
        assert_eq!(channel("134567890123456789"), Channel::Wechat);
        assert_eq!(channel("104567890123456789"), Channel::Wechat);
        assert_eq!(channel("154567890123456789"), Channel::Wechat);
        assert_eq!(channel("164567890123456789"), Channel::Unknown);
        assert_eq!(channel("13456789012345678"), Channel::Unknown, "17 digits");
        assert_eq!(channel("284567890123456789"), Channel::Alipay);
        assert_eq!(channel("2545678901234567"), Channel::Alipay, "16 digits");
        assert_eq!(channel("304567890123456789012345"), Channel::Alipay, "24 digits");
        assert_eq!(channel("314567890123456789"), Channel::Unknown);
        assert_eq!(channel("13456789012345678a"), Channel::Unknown);
        assert_eq!(channel(""), Channel::Unknown);
    }

    #[test]
    fn the_pay_params_give_the_code() {
        assert_eq!(
            wechat_code(&params(json!(" 134567890123456789 "))).unwrap(),
            "134567890123456789"
        );
        assert_eq!(
            wechat_code(&params(json!(134567890123456789u64))).unwrap(),
            "134567890123456789"
        );
        let alipay = wechat_code(&params(json!("284567890123456789"))).unwrap_err();
        assert!(
            alipay.contains("Alipay") && alipay.contains("2845**********6789"),
            "{alipay}"
        );
        assert!(wechat_code(&Map::new()).unwrap_err().contains("required"));
        assert!(wechat_code(&params(json!(["1"]))).is_err());
        assert!(
            wechat_code(&params(json!("12")))
                .unwrap_err()
                .contains("not a WeChat Pay code")
        );
    }
}
