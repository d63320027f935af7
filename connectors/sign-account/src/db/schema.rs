//! sign-account's tables and the rows they read.

use crate::domain::accounter::Status;
use crate::domain::statement::EntryKind;
use crate::domain::trade::{OpKind, OpRet};

connector_contract::shared::table_rows! {
    /// One sign accounter and the credit it has used.
    sign_accounters (id) -> AccounterRow {
        id: i64 [BigInt],
        uuid: String [Text],
        merchant_uuid: String [Text],
        name: String [Text],
        description: Option<String> [Nullable<Text>],
        credit_limit: i64 [BigInt],
        used_credit: i64 [BigInt],
        status: Status [Text],
        created_at: i64 [BigInt],
        modified_at: i64 [BigInt],
    }

    /// One person who may sign for an accounter.
    sign_persons (id) -> PersonRow {
        id: i64 [BigInt],
        uuid: String [Text],
        accounter_uuid: String [Text],
        merchant_uuid: String [Text],
        name: String [Text],
        mobile: Option<String> [Nullable<Text>],
        created_at: i64 [BigInt],
        modified_at: i64 [BigInt],
    }

    /// One line of an accounter's statement.
    ledger_entries (id) -> LedgerRow {
        id: i64 [BigInt],
        uuid: String [Text],
        accounter_uuid: String [Text],
        merchant_uuid: String [Text],
        kind: EntryKind [Text],
        amount: i64 [BigInt],
        traction_no: String [Text],
        pay_traction_no: Option<String> [Nullable<Text>],
        sign_person_uuid: Option<String> [Nullable<Text>],
        used_credit_after: i64 [BigInt],
        created_at: i64 [BigInt],
    }

    /// The recorded answer to one pay or refund tractionNo.
    operations (id) -> OperationRow {
        id: i64 [BigInt],
        traction_no: String [Text],
        kind: OpKind [Text],
        merchant_uuid: String [Text],
        ret: OpRet [Text],
        third_order_no: Option<String> [Nullable<Text>],
        reason: Option<String> [Nullable<Text>],
        amount: i64 [BigInt],
        refunded: i64 [BigInt],
        accounter_uuid: Option<String> [Nullable<Text>],
        sign_person_uuid: Option<String> [Nullable<Text>],
        pay_traction_no: Option<String> [Nullable<Text>],
        finished_at: Option<i64> [Nullable<BigInt>],
        created_at: i64 [BigInt],
    }
}
