diesel::table! {
    pay_mode_templates (id) {
        id -> BigInt,
        uuid -> Text,
        pay_template_id -> Text,
        name -> Text,
        description -> Nullable<Text>,
        check_env_url -> Nullable<Text>,
        pay_url -> Nullable<Text>,
        refund_url -> Nullable<Text>,
        query_url -> Nullable<Text>,
        icon_href -> Nullable<Text>,
        order_valid_time -> Integer,
        is_online -> Integer,
        is_sign_account -> Integer,
        is_async_notify -> Integer,
        is_thrid_pay -> Integer,
        pay_channel -> Nullable<Text>,
        pay_way -> Nullable<Text>,
        status -> Text,
        created_at -> BigInt,
        modified_at -> BigInt,
    }
}
