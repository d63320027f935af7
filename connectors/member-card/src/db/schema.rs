//! member-card's tables and the rows they read.

use crate::domain::listing::EntryKind;
use crate::domain::member::Status;
use crate::domain::trade::{OpKind, OpRet};

connector_contract::shared::table_rows! {
    /// One member card.
    members (id) -> MemberRow {
        id: i64 [BigInt],
        uuid: String [Text],
        merchant_uuid: String [Text],
        name: String [Text],
        mobile: Option<String> [Nullable<Text>],
        card_no: Option<String> [Nullable<Text>],
        balance: i64 [BigInt],
        status: Status [Text],
        created_at: i64 [BigInt],
        modified_at: i64 [BigInt],
    }

    /// What is left of one merchandise style on a card (`id` and the times are only for
    /// operators reading the table).
    member_counts (id) -> CountRow {
        id: i64 [BigInt],
        member_uuid: String [Text],
        merchandise_uuid: String [Text],
        style_uuid: String [Text],
        name: String [Text],
        remaining: i32 [Integer],
        created_at: i64 [BigInt],
        modified_at: i64 [BigInt],
    }

    /// One line of a card's statement (`merchant_uuid` is only for operators reading the table).
    ledger_entries (id) -> LedgerRow {
        id: i64 [BigInt],
        uuid: String [Text],
        member_uuid: String [Text],
        merchant_uuid: String [Text],
        kind: EntryKind [Text],
        amount: Option<i64> [Nullable<BigInt>],
        counts: Option<String> [Nullable<Text>],
        traction_no: Option<String> [Nullable<Text>],
        client_recharge_no: Option<String> [Nullable<Text>],
        balance_after: i64 [BigInt],
        created_at: i64 [BigInt],
    }

    /// The recorded answer to one pay or refund tractionNo.
    operations (id) -> OperationRow {
        id: i64 [BigInt],
        traction_no: String [Text],
        kind: OpKind [Text],
        merchant_uuid: String [Text],
        member_uuid: Option<String> [Nullable<Text>],
        ret: OpRet [Text],
        reason: Option<String> [Nullable<Text>],
        amount: i64 [BigInt],
        counts: Option<String> [Nullable<Text>],
        refunded: i64 [BigInt],
        pay_traction_no: Option<String> [Nullable<Text>],
        third_order_no: Option<String> [Nullable<Text>],
        finished_at: Option<i64> [Nullable<BigInt>],
        created_at: i64 [BigInt],
    }
}
