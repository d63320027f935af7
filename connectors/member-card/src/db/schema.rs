diesel::table! {
    members (id) {
        id -> BigInt,
        uuid -> Text,
        merchant_uuid -> Text,
        name -> Text,
        mobile -> Nullable<Text>,
        card_no -> Nullable<Text>,
        balance -> BigInt,
        status -> Text,
        created_at -> BigInt,
        modified_at -> BigInt,
    }
}

diesel::table! {
    member_counts (id) {
        id -> BigInt,
        member_uuid -> Text,
        merchandise_uuid -> Text,
        style_uuid -> Text,
        name -> Text,
        remaining -> Integer,
        created_at -> BigInt,
        modified_at -> BigInt,
    }
}

diesel::table! {
    ledger_entries (id) {
        id -> BigInt,
        uuid -> Text,
        member_uuid -> Text,
        merchant_uuid -> Text,
        kind -> Text,
        amount -> Nullable<BigInt>,
        counts -> Nullable<Text>,
        traction_no -> Nullable<Text>,
        client_recharge_no -> Nullable<Text>,
        balance_after -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    operations (id) {
        id -> BigInt,
        traction_no -> Text,
        kind -> Text,
        merchant_uuid -> Text,
        member_uuid -> Nullable<Text>,
        ret -> Text,
        reason -> Nullable<Text>,
        amount -> BigInt,
        counts -> Nullable<Text>,
        refunded -> BigInt,
        pay_traction_no -> Nullable<Text>,
        third_order_no -> Nullable<Text>,
        finished_at -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}
