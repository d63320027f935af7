//! The catalogue of business-rule rejections (API.md A.1 and Part B): one code, one name, one
//! HTTP status and a title in Chinese and English per rule. Every service answers these through
//! [`Business::error`]; the checkout API serves the titles as `getErrorMessage`.

use actix_web::http::StatusCode;

use crate::error::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Business {
    /// The template's checkEnvUrl refused the merchant when opening a pay mode (seed 001).
    CheckEnvFailed,
    /// `/pay` on a pay mode that is not opened (seed 001).
    PayModeNotOpened,
    /// A disabled template, or an online one without a payUrl.
    PayModeUnusable,
    /// The pay order cannot be refunded (status, or more than what is left).
    PayOrderNotRefundable,
    /// The pay order's validity has passed.
    PayOrderExpired,
    /// A checkout order that cannot be paid or cancelled in its status (Part B).
    CheckoutOrderNotPayable,
    /// A second factor is required and missing or wrong (Part B).
    SecondFactorRejected,
}

impl Business {
    pub const ALL: [Business; 7] = [
        Business::CheckEnvFailed,
        Business::PayModeNotOpened,
        Business::PayModeUnusable,
        Business::PayOrderNotRefundable,
        Business::PayOrderExpired,
        Business::CheckoutOrderNotPayable,
        Business::SecondFactorRejected,
    ];

    pub fn code(self) -> u32 {
        match self {
            Business::CheckEnvFailed => 9001,
            Business::PayModeNotOpened => 9002,
            Business::PayModeUnusable => 9003,
            Business::PayOrderNotRefundable => 9004,
            Business::PayOrderExpired => 9005,
            Business::CheckoutOrderNotPayable => 9006,
            Business::SecondFactorRejected => 9007,
        }
    }

    pub fn from_code(code: u32) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.code() == code)
    }

    /// The envelope's `name`. 9001 keeps the seed's own words, which clients of the seed match.
    pub fn name(self) -> &'static str {
        match self {
            Business::CheckEnvFailed => "create paymode error",
            Business::PayModeNotOpened => "PayModeNotOpened",
            Business::PayModeUnusable => "PayModeUnusable",
            Business::PayOrderNotRefundable => "PayOrderNotRefundable",
            Business::PayOrderExpired => "PayOrderExpired",
            Business::CheckoutOrderNotPayable => "CheckoutOrderNotPayable",
            Business::SecondFactorRejected => "SecondFactorRejected",
        }
    }

    /// The seed's HTTP 500 for business rules, except a wrong second factor: the payer's
    /// input, a 400 (API.md B.2).
    pub fn status(self) -> StatusCode {
        match self {
            Business::SecondFactorRejected => StatusCode::BAD_REQUEST,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn title_zh(self) -> &'static str {
        match self {
            Business::CheckEnvFailed => "开通支付模式失败：外部环境检测未通过",
            Business::PayModeNotOpened => "支付模式未开通",
            Business::PayModeUnusable => "支付模式或支付模板不可用",
            Business::PayOrderNotRefundable => "支付订单不可退款",
            Business::PayOrderExpired => "支付订单已过期",
            Business::CheckoutOrderNotPayable => "订单当前状态不可支付或取消",
            Business::SecondFactorRejected => "二次验证缺失或错误",
        }
    }

    pub fn title_en(self) -> &'static str {
        match self {
            Business::CheckEnvFailed => "Opening the pay mode failed: the environment check did not pass",
            Business::PayModeNotOpened => "The pay mode is not opened",
            Business::PayModeUnusable => "The pay mode or its template cannot be used",
            Business::PayOrderNotRefundable => "The pay order cannot be refunded",
            Business::PayOrderExpired => "The pay order has expired",
            Business::CheckoutOrderNotPayable => "The order cannot be paid or cancelled in its status",
            Business::SecondFactorRejected => "The second factor is missing or wrong",
        }
    }

    /// The rejection, with this case's own message.
    pub fn error(self, message: impl Into<String>) -> ApiError {
        ApiError::new(self.status(), self.code(), self.name(), message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_contracts_and_unique() {
        let codes: Vec<u32> = Business::ALL.iter().map(|b| b.code()).collect();
        assert_eq!(codes, (9001..=9007).collect::<Vec<_>>());
        for b in Business::ALL {
            assert_eq!(Business::from_code(b.code()), Some(b));
            assert!(!b.title_zh().is_empty() && !b.title_en().is_empty());
        }
        let e = Business::PayModeUnusable.error("template disabled");
        assert_eq!((e.status_code, e.code, e.name.as_str()), (500, 9003, "PayModeUnusable"));
        assert_eq!(Business::SecondFactorRejected.error("x").status_code, 400);
        assert_eq!(Business::from_code(9008), None);
    }
}
