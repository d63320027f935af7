//! The ledger: one entry per money movement on an accounter.

connector_contract::shared::text_enum! {
    /// What a ledger entry did to the used credit.
    pub enum EntryKind {
        /// A pay: the used credit goes up.
        Charge = "charge",
        /// A refund: the used credit comes down.
        Credit = "credit",
    }
}
