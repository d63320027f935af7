//! The tables of payorder-service, the rows they read and the rows it inserts (`table_rows!`:
//! one column list for the table, its row and its insert struct).

use crate::domain::{BusinessRet, PayStatus, TradeType};

payserver_shared::table_rows! {
    /// One pay order (`NewOrder` is inserted with every column but `id`).
    pay_orders (id: i64 [BigInt]) -> OrderRow, NewOrder {
        uuid: String [Text],
        merchant_uuid: String [Text],
        client_pay_no: String [Text],
        traction_no: String [Text],
        pay_mode_uuid: String [Text],
        pay_mode_name: String [Text],
        pay_template_id: Option<String> [Nullable<Text>],
        pay_channel: Option<String> [Nullable<Text>],
        pay_way: Option<String> [Nullable<Text>],
        payer: Option<String> [Nullable<Text>],
        payee: Option<String> [Nullable<Text>],
        pay_amount: i64 [BigInt],
        refund_amount: i64 [BigInt],
        refund_reserved: i64 [BigInt],
        status: PayStatus [Text],
        business_ret: BusinessRet [Text],
        pay_params: String [Text],
        client_extra_params: String [Text],
        connector: String [Text],
        third_pay_no: Option<String> [Nullable<Text>],
        result_code: Option<String> [Nullable<Text>],
        third_error_reason: Option<String> [Nullable<Text>],
        order_start_at: i64 [BigInt],
        order_expired_at: i64 [BigInt],
        pay_start_at: Option<i64> [Nullable<BigInt>],
        pay_finish_at: Option<i64> [Nullable<BigInt>],
        last_refund_at: Option<i64> [Nullable<BigInt>],
        created_at: i64 [BigInt],
        modified_at: i64 [BigInt],
    }

    /// One money movement of the journal (`NewTrade` is inserted with every column but `id`).
    trade_records (id: i64 [BigInt]) -> TradeRow, NewTrade {
        uuid: String [Text],
        trade_type: TradeType [Text],
        amount: i64 [BigInt],
        traction_no: String [Text],
        pay_order_uuid: String [Text],
        refund_order_uuid: Option<String> [Nullable<Text>],
        pay_mode_uuid: String [Text],
        pay_template_id: Option<String> [Nullable<Text>],
        merchant_uuid: String [Text],
        third_no: Option<String> [Nullable<Text>],
        trade_at: i64 [BigInt],
    }
}

diesel::table! {
    pay_order_checks (pay_order_id) {
        pay_order_id -> BigInt,
        next_check_at -> BigInt,
        attempts -> Integer,
        lease_until -> BigInt,
        created_at -> BigInt,
        cancel_sent_at -> Nullable<BigInt>,
    }
}

diesel::joinable!(pay_order_checks -> pay_orders (pay_order_id));
diesel::allow_tables_to_appear_in_same_query!(pay_orders, pay_order_checks, trade_records, refund_reservations);

diesel::table! {
    refund_reservations (refund_traction_no) {
        refund_traction_no -> Text,
        pay_order_id -> BigInt,
        refund_order_uuid -> Text,
        amount -> BigInt,
        state -> Text,
        created_at -> BigInt,
        modified_at -> BigInt,
    }
}

diesel::joinable!(refund_reservations -> pay_orders (pay_order_id));
