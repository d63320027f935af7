diesel::table! {
    sign_accounters (id) {
        id -> BigInt,
        uuid -> Text,
        merchant_uuid -> Text,
        name -> Text,
        description -> Nullable<Text>,
        credit_limit -> BigInt,
        used_credit -> BigInt,
        status -> Text,
        created_at -> BigInt,
        modified_at -> BigInt,
    }
}

diesel::table! {
    sign_persons (id) {
        id -> BigInt,
        uuid -> Text,
        accounter_uuid -> Text,
        merchant_uuid -> Text,
        name -> Text,
        mobile -> Nullable<Text>,
        created_at -> BigInt,
        modified_at -> BigInt,
    }
}

diesel::table! {
    ledger_entries (id) {
        id -> BigInt,
        uuid -> Text,
        accounter_uuid -> Text,
        merchant_uuid -> Text,
        kind -> Text,
        amount -> BigInt,
        traction_no -> Text,
        pay_traction_no -> Nullable<Text>,
        sign_person_uuid -> Nullable<Text>,
        used_credit_after -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    operations (id) {
        id -> BigInt,
        traction_no -> Text,
        kind -> Text,
        merchant_uuid -> Text,
        ret -> Text,
        third_order_no -> Nullable<Text>,
        reason -> Nullable<Text>,
        amount -> BigInt,
        refunded -> BigInt,
        accounter_uuid -> Nullable<Text>,
        sign_person_uuid -> Nullable<Text>,
        pay_traction_no -> Nullable<Text>,
        finished_at -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}
