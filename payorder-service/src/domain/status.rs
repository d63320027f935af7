//! Pay order status and business result (API.md A.4).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayStatus {
    Unpay,
    Paying,
    Payed,
    PayFailed,
    PartRefunded,
    Refunded,
}

impl PayStatus {
    pub const ALL: [&'static str; 6] = ["unpay", "paying", "payed", "payFailed", "partRefunded", "refunded"];

    pub fn as_str(self) -> &'static str {
        match self {
            PayStatus::Unpay => "unpay",
            PayStatus::Paying => "paying",
            PayStatus::Payed => "payed",
            PayStatus::PayFailed => "payFailed",
            PayStatus::PartRefunded => "partRefunded",
            PayStatus::Refunded => "refunded",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().position(|a| *a == s).map(|i| {
            [
                Self::Unpay,
                Self::Paying,
                Self::Payed,
                Self::PayFailed,
                Self::PartRefunded,
                Self::Refunded,
            ][i]
        })
    }

    /// `ret` of a pay answer: success while the money is (or may be being) taken.
    pub fn ret(self) -> &'static str {
        match self {
            PayStatus::PayFailed | PayStatus::Unpay => "failed",
            _ => "success",
        }
    }
}

/// Named as the seed's `businessRet` values are.
#[allow(clippy::enum_variant_names)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BusinessRet {
    OfflinePay,
    SyncOnlinePay,
    AsyncOnlinePay,
}

impl BusinessRet {
    pub fn for_mode(is_online: bool, is_async_notify: bool) -> Self {
        match (is_online, is_async_notify) {
            (false, _) => BusinessRet::OfflinePay,
            (true, true) => BusinessRet::AsyncOnlinePay,
            (true, false) => BusinessRet::SyncOnlinePay,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            BusinessRet::OfflinePay => "offlinePay",
            BusinessRet::SyncOnlinePay => "syncOnlinePay",
            BusinessRet::AsyncOnlinePay => "asyncOnlinePay",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_and_ret_follows_the_contract() {
        for s in PayStatus::ALL {
            assert_eq!(PayStatus::parse(s).unwrap().as_str(), s);
        }
        assert_eq!(PayStatus::Paying.ret(), "success");
        assert_eq!(PayStatus::PayFailed.ret(), "failed");
        assert_eq!(BusinessRet::for_mode(false, true).as_str(), "offlinePay");
        assert_eq!(BusinessRet::for_mode(true, true).as_str(), "asyncOnlinePay");
    }
}
