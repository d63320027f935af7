//! The alipay connector's tables, the rows they read and the trade it inserts.

use crate::domain::{Kind, Phase, Status};

connector_contract::shared::table_rows! {
    /// Every column of a trade (some are only for operators reading the table).
    #[allow(dead_code)]
    alipay_trades (id: i64 [BigInt]) -> TradeRow, NewTrade {
        traction_no: String [Text],
        kind: Kind [Text],
        merchant_uuid: String [Text],
        out_trade_no: String [Text],
        trade_no: Option<String> [Nullable<Text>],
        amount: i64 [BigInt],
        auth_code_masked: Option<String> [Nullable<Text>],
        status: Status [Text],
        phase: Phase [Text],
        reason: Option<String> [Nullable<Text>],
        finished_at: Option<i64> [Nullable<BigInt>],
        attempts: i32 [Integer],
        query_until: i64 [BigInt],
        next_at: i64 [BigInt],
        lease_owner: Option<String> [Nullable<Text>],
        lease_until: i64 [BigInt],
        created_at: i64 [BigInt],
        modified_at: i64 [BigInt],
    }

    /// One merchant's app_auth_token.
    alipay_merchants (id) -> MerchantRow {
        id: i64 [BigInt],
        uuid: String [Text],
        merchant_uuid: String [Text],
        app_auth_token: String [Text],
        created_at: i64 [BigInt],
        modified_at: i64 [BigInt],
    }
}
