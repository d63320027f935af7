diesel::table! {
    refund_orders (id) {
        id -> BigInt,
        uuid -> Text,
        merchant_uuid -> Text,
        client_refund_no -> Text,
        traction_no -> Text,
        pay_traction_no -> Text,
        pay_order_uuid -> Nullable<Text>,
        pay_mode_uuid -> Nullable<Text>,
        pay_template_id -> Nullable<Text>,
        requested_amount -> Nullable<BigInt>,
        refund_amount -> Nullable<BigInt>,
        is_cancel -> Integer,
        status -> Text,
        business_ret -> Nullable<Text>,
        connector_ret -> Nullable<Text>,
        third_refund_no -> Nullable<Text>,
        result_code -> Nullable<Text>,
        third_error_reason -> Nullable<Text>,
        client_extra_params -> Text,
        connector -> Nullable<Text>,
        refund_start_at -> BigInt,
        refund_finish_at -> Nullable<BigInt>,
        created_at -> BigInt,
        modified_at -> BigInt,
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
