//! The wechat connector's tables, the rows they read and the trade it inserts.

use crate::domain::trade::{Kind, Status, Step};

connector_contract::shared::table_rows! {
    /// One merchant's sub-merchant settings.
    wechat_merchants (id) -> MerchantRow {
        id: i64 [BigInt],
        merchant_uuid: String [Text],
        sub_mch_id: String [Text],
        sub_appid: Option<String> [Nullable<Text>],
        created_at: i64 [BigInt],
        modified_at: i64 [BigInt],
    }

    /// Every column is loaded; some (`wx_state`, `next_at`, `lease_until`, `created_at`) are
    /// only for the worker's queries and for operators reading the table.
    #[allow(dead_code)]
    wechat_trades (id: i64 [BigInt]) -> TradeRow, NewTrade {
        traction_no: String [Text],
        kind: Kind [Text],
        merchant_uuid: String [Text],
        sub_mch_id: Option<String> [Nullable<Text>],
        sub_appid: Option<String> [Nullable<Text>],
        // Fen: the pay's `total_fee`, or the refund's `refund_fee`.
        amount: i64 [BigInt],
        // Fen: the paid order's `total_fee` (equal to `amount` for a pay).
        total_fee: i64 [BigInt],
        // For a refund: the pay's tractionNo (`out_trade_no`).
        pay_traction_no: Option<String> [Nullable<Text>],
        status: Status [Text],
        step: Step [Text],
        // `transaction_id` of a pay, `refund_id` of a refund.
        third_no: Option<String> [Nullable<Text>],
        reason: Option<String> [Nullable<Text>],
        // The last trade or refund state WeChat Pay reported.
        wx_state: Option<String> [Nullable<Text>],
        attempts: i32 [Integer],
        // A pay's query budget ends here; then it is reversed.
        deadline_at: i64 [BigInt],
        next_at: i64 [BigInt],
        lease_until: i64 [BigInt],
        finished_at: Option<i64> [Nullable<BigInt>],
        notify_url: Option<String> [Nullable<Text>],
        created_at: i64 [BigInt],
        modified_at: i64 [BigInt],
    }
}

diesel::allow_tables_to_appear_in_same_query!(wechat_merchants, wechat_trades);
