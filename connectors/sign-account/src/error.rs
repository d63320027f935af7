//! sign-account's errors, and their envelope (management API) or contract error (connector).

connector_contract::management_error! {
    /// The request contradicts the current state (a credit limit below the used credit): 409.
    Conflict;
    variants {}
    api {}
    connector {}
}
