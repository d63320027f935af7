//! The `POST /pay` body and its validation.

use payserver_shared::amount::Amount;
use payserver_shared::fields::is_token;
use serde::Deserialize;
use serde_json::{Map, Value};

// `POST /pay` as sent. Unknown fields are ignored; wrong types are a 400 from the extractor;
// `validate` checks the rest. The doc comment is the schema's description.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(
    as = PayRequest,
    description = "Body of `POST /pay`. Repeating a request with the same `clientPayNo`, mode and amount returns the existing order; the same `clientPayNo` with another mode or amount is a 409."
)]
pub struct PayBody {
    /// The pay mode (22 of [0-9A-Za-z]); must be the caller's merchant's, opened (9002) and usable (9003).
    #[serde(rename = "payModeUUID")]
    #[schema(value_type = String, pattern = "^[0-9A-Za-z]{22}$", example = "irAl37TewwGEchYrXUWsfA")]
    pub pay_mode_uuid: Option<String>,
    /// At most 255 characters.
    pub payer: Option<String>,
    /// At most 512 characters (the seed sends the shop's link).
    pub payee: Option<String>,
    /// Fen, 1 to 10^12.
    #[schema(value_type = i64, minimum = 1, maximum = 1_000_000_000_000_i64, example = 50)]
    pub pay_amount: Option<i64>,
    /// 1-64 of [0-9A-Za-z_-], unique per merchant: the idempotency key.
    #[schema(value_type = String, pattern = "^[0-9A-Za-z_-]{1,64}$", example = "201807120130")]
    pub client_pay_no: Option<String>,
    /// Channel parameters: sign account `signAccounterUUID, signPersonUUID`; WeChat/Alipay `payBarCode`; member stored value `memberUUID`; member count `memberUUID, merchandiseDetails[{name, merchandiseUUID, styleUUID, count}]`.
    pub pay_params: Option<Map<String, Value>>,
    /// Anything the client wants kept with the order (e.g. `orderNo`).
    pub client_extra_params: Option<Map<String, Value>>,
    /// Admins and services: the merchant to pay for; default the token's.
    #[serde(rename = "merchantUUID")]
    #[schema(value_type = String, required = false)]
    pub merchant_uuid: Option<String>,
}

/// A checked pay request.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidPay {
    pub pay_mode_uuid: String,
    pub payer: Option<String>,
    pub payee: Option<String>,
    pub pay_amount: i64,
    pub client_pay_no: String,
    pub pay_params: Map<String, Value>,
    pub client_extra_params: Map<String, Value>,
    pub merchant_uuid: Option<String>,
}

fn text(name: &str, v: Option<String>, max: usize) -> Result<Option<String>, String> {
    match v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()) {
        Some(s) if s.chars().count() > max => Err(format!("{name} is longer than {max} characters")),
        other => Ok(other),
    }
}

impl PayBody {
    pub fn validate(self) -> Result<ValidPay, String> {
        let pay_mode_uuid = self.pay_mode_uuid.ok_or("payModeUUID is required")?;
        if !payserver_shared::ids::is_uuid(&pay_mode_uuid) {
            return Err("payModeUUID must be 22 characters of [0-9A-Za-z]".into());
        }
        let pay_amount = self.pay_amount.ok_or("payAmount is required")?;
        let pay_amount = Amount::of("payAmount", pay_amount).map_err(|e| e.message)?.fen();
        let client_pay_no = self.client_pay_no.ok_or("clientPayNo is required")?;
        if !is_token(&client_pay_no) {
            return Err("clientPayNo must be 1-64 characters of [0-9A-Za-z_-]".into());
        }
        Ok(ValidPay {
            pay_mode_uuid,
            payer: text("payer", self.payer, 255)?,
            payee: text("payee", self.payee, 512)?,
            pay_amount,
            client_pay_no,
            pay_params: self.pay_params.unwrap_or_default(),
            client_extra_params: self.client_extra_params.unwrap_or_default(),
            merchant_uuid: self.merchant_uuid.filter(|m| !m.is_empty()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(v: Value) -> Result<ValidPay, String> {
        serde_json::from_value::<PayBody>(v)
            .map_err(|e| e.to_string())?
            .validate()
    }

    #[test]
    fn the_seed_example_is_valid() {
        let p = body(json!({
            "payModeUUID": "zDP19DCUpEl8qzNIkLwOjQ", "payer": "A",
            "payee": "http://192.168.7.188:6004/api/v1.0.0/shops/eLzwsgnlWpZN8xtvz0qgvw", "payAmount": 50,
            "clientPayNo": "201807120130",
            "payParams": {"signAccounterUUID": "ega7hvZz0RBw8TQNFFZN2w", "signPersonUUID": "9oNEJPMAqmVivbk4hioNxQ"},
            "clientExtraParams": {"orderNo": "P201807050001", "orderAmount": 210, "receiveableAmount": 210}
        }))
        .unwrap();
        assert_eq!(p.pay_amount, 50);
        assert_eq!(p.pay_params.len(), 2);
    }

    #[test]
    fn amounts_client_numbers_and_types_are_checked() {
        let ok = json!({"payModeUUID": "zDP19DCUpEl8qzNIkLwOjQ", "payAmount": 1, "clientPayNo": "a-1_B"});
        assert!(body(ok.clone()).is_ok());
        for (k, v) in [
            ("payAmount", json!(0)),
            ("payAmount", json!(-5)),
            ("payAmount", json!(1_000_000_000_001i64)),
            ("payAmount", json!(1.5)),
            ("payAmount", json!("50")),
            ("clientPayNo", json!("")),
            ("clientPayNo", json!("has space")),
            ("clientPayNo", json!("x".repeat(65))),
            ("payModeUUID", json!("short")),
            ("payParams", json!([1, 2])),
        ] {
            let mut b = ok.clone();
            b[k] = v.clone();
            assert!(body(b).is_err(), "{k}={v}");
        }
    }
}
