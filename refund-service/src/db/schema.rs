//! The tables of refund-service, the rows they read and the row it inserts (`table_rows!`: one
//! column list for the table, its row and its insert struct).

use crate::domain::{ConnectorRet, RefundBusinessRet, RefundStatus};

payserver_shared::table_rows! {
    /// One refund order: the saga's durable state (`NewRefund` is inserted with every column
    /// but `id`).
    refund_orders (id: i64 [BigInt]) -> RefundRow, NewRefund {
        uuid: String [Text],
        merchant_uuid: String [Text],
        client_refund_no: String [Text],
        traction_no: String [Text],
        pay_traction_no: String [Text],
        pay_order_uuid: Option<String> [Nullable<Text>],
        pay_mode_uuid: Option<String> [Nullable<Text>],
        pay_template_id: Option<String> [Nullable<Text>],
        requested_amount: Option<i64> [Nullable<BigInt>],
        refund_amount: Option<i64> [Nullable<BigInt>],
        is_cancel: i32 [Integer],
        status: RefundStatus [Text],
        business_ret: Option<RefundBusinessRet> [Nullable<Text>],
        connector_ret: Option<ConnectorRet> [Nullable<Text>],
        third_refund_no: Option<String> [Nullable<Text>],
        result_code: Option<String> [Nullable<Text>],
        third_error_reason: Option<String> [Nullable<Text>],
        client_extra_params: String [Text],
        connector: Option<String> [Nullable<Text>],
        refund_start_at: i64 [BigInt],
        refund_finish_at: Option<i64> [Nullable<BigInt>],
        created_at: i64 [BigInt],
        modified_at: i64 [BigInt],
    }
}

diesel::table! {
    refund_checks (refund_order_id) {
        refund_order_id -> BigInt,
        next_check_at -> BigInt,
        attempts -> Integer,
        lease_until -> BigInt,
        created_at -> BigInt,
    }
}

diesel::joinable!(refund_checks -> refund_orders (refund_order_id));
diesel::allow_tables_to_appear_in_same_query!(refund_orders, refund_checks);
