diesel::table! {
    alipay_trades (id) {
        id -> BigInt,
        traction_no -> Text,
        kind -> Text,
        merchant_uuid -> Text,
        out_trade_no -> Text,
        trade_no -> Nullable<Text>,
        amount -> BigInt,
        auth_code_masked -> Nullable<Text>,
        status -> Text,
        phase -> Text,
        reason -> Nullable<Text>,
        finished_at -> Nullable<BigInt>,
        attempts -> Integer,
        query_until -> BigInt,
        next_at -> BigInt,
        lease_owner -> Nullable<Text>,
        lease_until -> BigInt,
        created_at -> BigInt,
        modified_at -> BigInt,
    }
}

diesel::table! {
    alipay_merchants (id) {
        id -> BigInt,
        uuid -> Text,
        merchant_uuid -> Text,
        app_auth_token -> Text,
        created_at -> BigInt,
        modified_at -> BigInt,
    }
}
