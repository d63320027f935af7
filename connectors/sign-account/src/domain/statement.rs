//! The ledger: one entry per money movement on an accounter.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A pay: the used credit goes up.
    Charge,
    /// A refund: the used credit comes down.
    Credit,
}

impl EntryKind {
    pub const ALL: [&'static str; 2] = ["charge", "credit"];

    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Charge => "charge",
            EntryKind::Credit => "credit",
        }
    }
}
