//! The table of paymode-service and the row it reads.

// A pay mode row is its identity (merchant, template), the pay method (`name` to `pay_way`,
// copied from the template or custom), the merchant's own settings and its times.
payserver_shared::pay_method_table! {
    /// One pay mode.
    pay_modes (id) -> PayModeRow {
        id: i64 [BigInt],
        uuid: String [Text],
        merchant_uuid: String [Text],
        merchant_href: Option<String> [Nullable<Text>],
        pay_template_id: Option<String> [Nullable<Text>],
        template_uuid: Option<String> [Nullable<Text>],
    } with_pay_method {
        is_fast_pay: i32 [Integer],
        is_opened: i32 [Integer],
        ui_order: i32 [Integer],
        created_at: i64 [BigInt],
        modified_at: i64 [BigInt],
    }
}
