diesel::table! {
    wechat_merchants (id) {
        id -> BigInt,
        merchant_uuid -> Text,
        sub_mch_id -> Text,
        sub_appid -> Nullable<Text>,
        created_at -> BigInt,
        modified_at -> BigInt,
    }
}

diesel::table! {
    wechat_trades (id) {
        id -> BigInt,
        traction_no -> Text,
        kind -> Text,
        merchant_uuid -> Text,
        sub_mch_id -> Nullable<Text>,
        sub_appid -> Nullable<Text>,
        amount -> BigInt,
        total_fee -> BigInt,
        pay_traction_no -> Nullable<Text>,
        status -> Text,
        step -> Text,
        third_no -> Nullable<Text>,
        reason -> Nullable<Text>,
        wx_state -> Nullable<Text>,
        attempts -> Integer,
        deadline_at -> BigInt,
        next_at -> BigInt,
        lease_until -> BigInt,
        finished_at -> Nullable<BigInt>,
        notify_url -> Nullable<Text>,
        created_at -> BigInt,
        modified_at -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(wechat_merchants, wechat_trades);
