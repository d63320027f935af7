//! member-card's errors, and their envelope (management API) or contract error (connector).

connector_contract::management_error! {
    /// The request contradicts what exists (a reused clientRechargeNo, a taken cardNo): 409.
    Conflict;
    variants {
        /// Inside a pay or refund transaction: the channel's rules refuse it. The transaction is
        /// rolled back and the refusal recorded as the operation's answer (`ret: failed`).
        #[error("{0}")]
        Refused(String),
        /// Inside a pay or refund transaction: another request holds this tractionNo (the unique
        /// constraint said so). The transaction is rolled back and the stored answer returned.
        #[error("tractionNo is taken")]
        TractionTaken,
    }
    api {
        Error::Refused(msg) => ApiError::internal(format!("refusal escaped its transaction: {msg}")),
        Error::TractionTaken => ApiError::internal("tractionNo conflict escaped its transaction"),
    }
    connector {
        Error::Refused(msg) => ConnectorError::Unexpected(anyhow::anyhow!("refusal escaped its transaction: {msg}")),
        Error::TractionTaken => ConnectorError::Unexpected(anyhow::anyhow!("tractionNo conflict escaped")),
    }
}
