//! Pay order status, business result and trade type (API.md A.4), as text columns.

payserver_shared::text_enum! {
    /// A pay order's status: `unpay → paying → payed | payFailed; payed → partRefunded → refunded`.
    pub enum PayStatus {
        Unpay = "unpay",
        Paying = "paying",
        Payed = "payed",
        PayFailed = "payFailed",
        PartRefunded = "partRefunded",
        Refunded = "refunded",
    }
}

impl PayStatus {
    /// `ret` of a pay answer: success while the money is (or may be being) taken.
    pub fn ret(self) -> &'static str {
        match self {
            PayStatus::PayFailed | PayStatus::Unpay => "failed",
            _ => "success",
        }
    }

    /// Whether a refund may be reserved on an order in this status.
    pub fn refundable(self) -> bool {
        matches!(self, PayStatus::Payed | PayStatus::PartRefunded)
    }
}

payserver_shared::text_enum! {
    /// Named as the seed's `businessRet` values are.
    #[allow(clippy::enum_variant_names)]
    pub enum BusinessRet {
        OfflinePay = "offlinePay",
        SyncOnlinePay = "syncOnlinePay",
        AsyncOnlinePay = "asyncOnlinePay",
    }
}

impl BusinessRet {
    pub fn for_mode(is_online: bool, is_async_notify: bool) -> Self {
        match (is_online, is_async_notify) {
            (false, _) => BusinessRet::OfflinePay,
            (true, true) => BusinessRet::AsyncOnlinePay,
            (true, false) => BusinessRet::SyncOnlinePay,
        }
    }
}

payserver_shared::text_enum! {
    /// A trade record's direction.
    pub enum TradeType {
        Pay = "pay",
        Refund = "refund",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_and_ret_follows_the_contract() {
        for s in PayStatus::ALL {
            assert_eq!(PayStatus::parse(s).unwrap().as_str(), *s);
        }
        assert_eq!(PayStatus::Paying.ret(), "success");
        assert_eq!(PayStatus::PayFailed.ret(), "failed");
        assert_eq!(BusinessRet::for_mode(false, true).as_str(), "offlinePay");
        assert_eq!(BusinessRet::for_mode(true, true).as_str(), "asyncOnlinePay");
    }
}
