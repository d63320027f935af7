//! The words the connectors record their pays and refunds with, as text columns
//! ([`crate::text_enum!`]): every connector that keeps its operations (the ledgers of
//! sign-account and member-card, the channel trades of wechat and alipay) uses the same ones.

crate::text_enum! {
    /// What a recorded operation is.
    pub enum OpKind {
        Pay = "pay",
        Refund = "refund",
    }
}

crate::text_enum! {
    /// How an operation a connector decides itself ended: done (money moved), or a refusal.
    pub enum OpRet {
        Success = "success",
        Failed = "failed",
    }
}

crate::text_enum! {
    /// Where a channel's trade stands: pending until the channel's answer (or the worker that
    /// asks again) settles it.
    pub enum TradeStatus {
        Pending = "pending",
        Success = "success",
        Failed = "failed",
    }
}
