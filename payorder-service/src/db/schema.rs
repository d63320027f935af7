diesel::table! {
    pay_orders (id) {
        id -> BigInt,
        uuid -> Text,
        merchant_uuid -> Text,
        client_pay_no -> Text,
        traction_no -> Text,
        pay_mode_uuid -> Text,
        pay_mode_name -> Text,
        pay_template_id -> Nullable<Text>,
        pay_channel -> Nullable<Text>,
        pay_way -> Nullable<Text>,
        payer -> Nullable<Text>,
        payee -> Nullable<Text>,
        pay_amount -> BigInt,
        refund_amount -> BigInt,
        refund_reserved -> BigInt,
        status -> Text,
        business_ret -> Text,
        pay_params -> Text,
        client_extra_params -> Text,
        connector -> Text,
        third_pay_no -> Nullable<Text>,
        result_code -> Nullable<Text>,
        third_error_reason -> Nullable<Text>,
        order_start_at -> BigInt,
        order_expired_at -> BigInt,
        pay_start_at -> Nullable<BigInt>,
        pay_finish_at -> Nullable<BigInt>,
        last_refund_at -> Nullable<BigInt>,
        created_at -> BigInt,
        modified_at -> BigInt,
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

diesel::table! {
    trade_records (id) {
        id -> BigInt,
        uuid -> Text,
        trade_type -> Text,
        amount -> BigInt,
        traction_no -> Text,
        pay_order_uuid -> Text,
        refund_order_uuid -> Nullable<Text>,
        pay_mode_uuid -> Text,
        pay_template_id -> Nullable<Text>,
        merchant_uuid -> Text,
        third_no -> Nullable<Text>,
        trade_at -> BigInt,
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
