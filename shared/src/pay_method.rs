//! A payment method's own fields: what a payModeTemplate defines and a payMode opened from it
//! copies (API.md A.2, A.3): `name, description`, the connector URLs, `orderValidTime`, the
//! four flags, `payChannel` and `payWay`.
//!
//! template-service and paymode-service used to write these fourteen fields out in every shape
//! they take: the table and its row, the domain data, the request body, its validation, the
//! patch and its application, the insert and update columns, the JSON view and its docs. Here
//! each shape is written once: [`pay_method_table!`](crate::pay_method_table) (columns and row), [`pay_method_struct!`](crate::pay_method_struct)
//! (domain data, [`PayMethod`]), [`pay_method_body!`](crate::pay_method_body) and [`pay_method_patch!`](crate::pay_method_patch) (the body as
//! sent and its checks, into a [`PayMethodPatch`]), [`pay_method_columns!`](crate::pay_method_columns) (what is written),
//! [`pay_method_view!`](crate::pay_method_view) (the JSON fields with their OpenAPI docs) and [`pay_method_moved!`](crate::pay_method_moved)
//! (filling one shape from another). The structs stay flat (no `#[serde(flatten)]`, no nested
//! field), so their JSON, their OpenAPI schemas and their field access are unchanged.

/// The longest `name`, in characters.
pub const NAME_MAX: usize = 64;
/// The longest `description`, in characters.
pub const DESCRIPTION_MAX: usize = 255;
/// The longest `payChannel` and `payWay`, in characters.
pub const CHANNEL_MAX: usize = 32;

/// Declares a struct with the [`PayMethod`] fields (plain: `name: String`, `description:
/// Option<String>`, ...) between the fields of the first braces and those of the second, and
/// implements [`PayMethodTarget`] for it so a [`PayMethodPatch`] applies to it. The data of a
/// template and of a pay mode are declared so: flat structs, whose fields are their own.
///
/// ```ignore
/// payserver_shared::pay_method_struct! {
///     #[derive(Debug, Clone, PartialEq, Eq)]
///     pub struct TemplateData {
///         pub pay_template_id: String,
///     } with_pay_method {
///         pub status: Status,
///     }
/// }
/// ```
#[macro_export]
macro_rules! pay_method_struct {
    ($(#[$meta:meta])* $vis:vis struct $name:ident $($parts:tt)*) => {
        $crate::__pay_method_splice! {
            [
            pub name: String,
            pub description: Option<String>,
            pub check_env_url: Option<String>,
            pub pay_url: Option<String>,
            pub refund_url: Option<String>,
            pub query_url: Option<String>,
            pub icon_href: Option<String>,
            pub order_valid_time: i32,
            pub is_online: i32,
            pub is_sign_account: i32,
            pub is_async_notify: i32,
            pub is_thrid_pay: i32,
            pub pay_channel: Option<String>,
            pub pay_way: Option<String>,
            ]
            $(#[$meta])* $vis struct $name $($parts)*
        }

        impl $crate::pay_method::PayMethodTarget for $name {
            fn apply_pay_method(&mut self, p: &$crate::pay_method::PayMethodPatch) {
                use $crate::pay_method::set;
                set(&mut self.name, &p.name);
                set(&mut self.description, &p.description);
                set(&mut self.check_env_url, &p.check_env_url);
                set(&mut self.pay_url, &p.pay_url);
                set(&mut self.refund_url, &p.refund_url);
                set(&mut self.query_url, &p.query_url);
                set(&mut self.icon_href, &p.icon_href);
                set(&mut self.order_valid_time, &p.order_valid_time);
                set(&mut self.is_online, &p.is_online);
                set(&mut self.is_sign_account, &p.is_sign_account);
                set(&mut self.is_async_notify, &p.is_async_notify);
                set(&mut self.is_thrid_pay, &p.is_thrid_pay);
                set(&mut self.pay_channel, &p.pay_channel);
                set(&mut self.pay_way, &p.pay_way);
            }
        }
    };
}

/// Anything declared with [`pay_method_struct!`](crate::pay_method_struct): a [`PayMethodPatch`] applies to it.
pub trait PayMethodTarget {
    /// Changes the fields `p` gives; the others keep their values.
    fn apply_pay_method(&mut self, p: &PayMethodPatch);
}

pay_method_struct! {
    /// A payment method's fields alone.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct PayMethod {} with_pay_method {}
}

impl PayMethod {
    /// A method with the contract's defaults: 24 h validity, offline, no URLs.
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_string(),
            description: None,
            check_env_url: None,
            pay_url: None,
            refund_url: None,
            query_url: None,
            icon_href: None,
            order_valid_time: 24,
            is_online: 0,
            is_sign_account: 0,
            is_async_notify: 0,
            is_thrid_pay: 0,
            pay_channel: None,
            pay_way: None,
        }
    }
}

/// Validated changes to a [`PayMethod`]: `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PayMethodPatch {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub check_env_url: Option<Option<String>>,
    pub pay_url: Option<Option<String>>,
    pub refund_url: Option<Option<String>>,
    pub query_url: Option<Option<String>>,
    pub icon_href: Option<Option<String>>,
    pub order_valid_time: Option<i32>,
    pub is_online: Option<i32>,
    pub is_sign_account: Option<i32>,
    pub is_async_notify: Option<i32>,
    pub is_thrid_pay: Option<i32>,
    pub pay_channel: Option<Option<String>>,
    pub pay_way: Option<Option<String>>,
}

/// `*target = v` when a value is given.
pub fn set<T: Clone>(target: &mut T, v: &Option<T>) {
    if let Some(v) = v {
        *target = v.clone();
    }
}

impl PayMethodPatch {
    /// Changes the fields given in `target`; the others keep their values.
    pub fn apply(&self, target: &mut impl PayMethodTarget) {
        target.apply_pay_method(self);
    }
}

/// The [`PayMethodPatch`] of a request body that has the method's fields as sent
/// (`Option<Option<String>>` / `Option<Option<i64>>`, by the same names), each checked; moves
/// them out of `$body` and returns early (`?`) with the first invalid one
/// ([`Invalid`](crate::fields::Invalid), which the calling crate's error converts from).
#[macro_export]
macro_rules! pay_method_patch {
    ($body:ident) => {
        $crate::pay_method::PayMethodPatch {
            name: $crate::fields::name("name", $body.name, $crate::pay_method::NAME_MAX)?,
            description: $crate::fields::text("description", $body.description, $crate::pay_method::DESCRIPTION_MAX)?,
            check_env_url: $crate::fields::url("checkEnvUrl", $body.check_env_url)?,
            pay_url: $crate::fields::url("payUrl", $body.pay_url)?,
            refund_url: $crate::fields::url("refundUrl", $body.refund_url)?,
            query_url: $crate::fields::url("queryUrl", $body.query_url)?,
            icon_href: $crate::fields::url("iconHref", $body.icon_href)?,
            order_valid_time: $crate::fields::int_in(
                "orderValidTime",
                $body.order_valid_time,
                1,
                8760,
                "a whole number of hours from 1 to 8760",
            )?,
            is_online: $crate::fields::flag("isOnline", $body.is_online)?,
            is_sign_account: $crate::fields::flag("isSignAccount", $body.is_sign_account)?,
            is_async_notify: $crate::fields::flag("isAsyncNotify", $body.is_async_notify)?,
            is_thrid_pay: $crate::fields::flag("isThridPay", $body.is_thrid_pay)?,
            pay_channel: $crate::fields::text("payChannel", $body.pay_channel, $crate::pay_method::CHANNEL_MAX)?,
            pay_way: $crate::fields::text("payWay", $body.pay_way, $crate::pay_method::CHANNEL_MAX)?,
        }
    };
}

/// A struct literal `$ty { ... }` whose [`PayMethod`] fields are moved out of `$src` (a row, a
/// [`PayMethod`], anything with those fields by name); the literal gives the rest.
///
/// ```ignore
/// payserver_shared::pay_method_moved!(row => Self { id: row.id, status: row.status })
/// ```
#[macro_export]
macro_rules! pay_method_moved {
    ($src:ident => $ty:ident { $($rest:tt)* }) => {
        $ty {
            name: $src.name,
            description: $src.description,
            check_env_url: $src.check_env_url,
            pay_url: $src.pay_url,
            refund_url: $src.refund_url,
            query_url: $src.query_url,
            icon_href: $src.icon_href,
            order_valid_time: $src.order_valid_time,
            is_online: $src.is_online,
            is_sign_account: $src.is_sign_account,
            is_async_notify: $src.is_async_notify,
            is_thrid_pay: $src.is_thrid_pay,
            pay_channel: $src.pay_channel,
            pay_way: $src.pay_way,
            $($rest)*
        }
    };
}

/// The pay method columns of `$m` (a reference to a [`pay_method_struct!`](crate::pay_method_struct) struct) as a tuple
/// of diesel assignments to the table whose `dsl` module is `$dsl` (every nullable one written,
/// `None` as NULL): for `values` and `set`, alone or in a larger tuple.
#[macro_export]
macro_rules! pay_method_columns {
    ($dsl:ident, $m:expr) => {{
        use diesel::ExpressionMethods as _;
        let m = $m;
        (
            $dsl::name.eq(m.name.as_str()),
            $dsl::description.eq(m.description.as_deref()),
            $dsl::check_env_url.eq(m.check_env_url.as_deref()),
            $dsl::pay_url.eq(m.pay_url.as_deref()),
            $dsl::refund_url.eq(m.refund_url.as_deref()),
            $dsl::query_url.eq(m.query_url.as_deref()),
            $dsl::icon_href.eq(m.icon_href.as_deref()),
            $dsl::order_valid_time.eq(m.order_valid_time),
            $dsl::is_online.eq(m.is_online),
            $dsl::is_sign_account.eq(m.is_sign_account),
            $dsl::is_async_notify.eq(m.is_async_notify),
            $dsl::is_thrid_pay.eq(m.is_thrid_pay),
            $dsl::pay_channel.eq(m.pay_channel.as_deref()),
            $dsl::pay_way.eq(m.pay_way.as_deref()),
        )
    }};
}

/// [`table_rows!`](crate::table_rows) for a table that stores a [`PayMethod`]: the columns of
/// the first braces, then the method's (`name` to `payWay`), then those of the second.
///
/// ```ignore
/// payserver_shared::pay_method_table! {
///     /// One pay-mode template.
///     pay_mode_templates (id) -> TemplateRow {
///         id: i64 [BigInt],
///     } with_pay_method {
///         status: Status [Text],
///     }
/// }
/// ```
#[macro_export]
macro_rules! pay_method_table {
    (
        $(#[$row_meta:meta])*
        $table:ident ($($key:ident),+) -> $row:ident { $($before:tt)* } with_pay_method { $($after:tt)* }
    ) => {
        $crate::table_rows! {
            $(#[$row_meta])*
            $table ($($key),+) -> $row {
                $($before)*
                name: String [Text],
                description: Option<String> [Nullable<Text>],
                check_env_url: Option<String> [Nullable<Text>],
                pay_url: Option<String> [Nullable<Text>],
                refund_url: Option<String> [Nullable<Text>],
                query_url: Option<String> [Nullable<Text>],
                icon_href: Option<String> [Nullable<Text>],
                order_valid_time: i32 [Integer],
                is_online: i32 [Integer],
                is_sign_account: i32 [Integer],
                is_async_notify: i32 [Integer],
                is_thrid_pay: i32 [Integer],
                pay_channel: Option<String> [Nullable<Text>],
                pay_way: Option<String> [Nullable<Text>],
                $($after)*
            }
        }
    };
}

/// A JSON view (a `Serialize + utoipa::ToSchema` struct) with the [`PayMethod`] fields, each
/// with its documentation and schema, between the fields of the first braces and those of the
/// second. Fill them with [`pay_method_moved!`](crate::pay_method_moved).
///
/// ```ignore
/// payserver_shared::pay_method_view! {
///     #[derive(Debug, Serialize, utoipa::ToSchema)]
///     #[serde(rename_all = "camelCase")]
///     pub struct TemplateView {
///         pub id: i64,
///     } with_pay_method {
///         pub status: Status,
///     }
/// }
/// ```
#[macro_export]
macro_rules! pay_method_view {
    ($($item:tt)*) => {
        // Each field `[its doc] name: Type [its schema]`.
        $crate::__pay_method_shown! {
            [
            [] name: String [example = "会员储值"],
            [] description: Option<String> [required = true],
            ["Connector URL called before a merchant opens a mode from this template."] check_env_url: Option<String> [required = true],
            ["Connector pay URL."] pay_url: Option<String> [required = true],
            ["Connector refund URL."] refund_url: Option<String> [required = true],
            ["Connector query URL (addition to the seed)."] query_url: Option<String> [required = true],
            [] icon_href: Option<String> [required = true],
            ["Hours a pay order stays payable."] order_valid_time: i32 [minimum = 1, maximum = 8760, example = 24],
            ["1: a connector is called (payUrl); 0: offline (cash, card terminal)."] is_online: i32 [minimum = 0, maximum = 1],
            [] is_sign_account: i32 [minimum = 0, maximum = 1],
            ["1: the connector reports the outcome later through /payNotify."] is_async_notify: i32 [minimum = 0, maximum = 1],
            ["Third-party channel (seed spelling)."] is_thrid_pay: i32 [minimum = 0, maximum = 1],
            [] pay_channel: Option<String> [required = true, example = "微信"],
            [] pay_way: Option<String> [required = true, example = "扫码枪"],
            ]
            $($item)*
        }
    };
}

/// A request body (`Deserialize + utoipa::ToSchema`) with the [`PayMethod`] fields as sent,
/// between the fields of the first braces and those of the third: each `Option<Option<_>>`
/// (absent, `null` or a value: [`nullable`](crate::fields::nullable)), documented as its JSON
/// type with the bounds [`pay_method_patch!`](crate::pay_method_patch) checks. The second braces name the fields in
/// order, each after its own attributes (its doc comment, a further `#[schema(...)]`).
///
/// ```ignore
/// payserver_shared::pay_method_body! {
///     #[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
///     #[serde(rename_all = "camelCase")]
///     pub struct RegisterRequest {
///         pub uuid: Option<String>,
///     } with_pay_method {
///         /// Required on create.
///         name,
///         description,
///         // ... every field to pay_way
///     } {
///         pub status: Option<Option<String>>,
///     }
/// }
/// ```
#[macro_export]
macro_rules! pay_method_body {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident { $($before:tt)* } with_pay_method {
            $(#[$name_a:meta])* name,
            $(#[$description_a:meta])* description,
            $(#[$check_env_url_a:meta])* check_env_url,
            $(#[$pay_url_a:meta])* pay_url,
            $(#[$refund_url_a:meta])* refund_url,
            $(#[$query_url_a:meta])* query_url,
            $(#[$icon_href_a:meta])* icon_href,
            $(#[$order_valid_time_a:meta])* order_valid_time,
            $(#[$is_online_a:meta])* is_online,
            $(#[$is_sign_account_a:meta])* is_sign_account,
            $(#[$is_async_notify_a:meta])* is_async_notify,
            $(#[$is_thrid_pay_a:meta])* is_thrid_pay,
            $(#[$pay_channel_a:meta])* pay_channel,
            $(#[$pay_way_a:meta])* pay_way $(,)?
        } { $($after:tt)* }
    ) => {
        // Every field as sent: `Option<Option<_>>` read by `nullable`, with its own schema.
        $crate::__pay_method_sent! {
            [
            [$(#[$name_a])*] name: String (value_type = String, max_length = 64),
            [$(#[$description_a])*] description: String (value_type = Option<String>),
            [$(#[$check_env_url_a])*] check_env_url: String (value_type = Option<String>),
            [$(#[$pay_url_a])*] pay_url: String (value_type = Option<String>),
            [$(#[$refund_url_a])*] refund_url: String (value_type = Option<String>),
            [$(#[$query_url_a])*] query_url: String (value_type = Option<String>),
            [$(#[$icon_href_a])*] icon_href: String (value_type = Option<String>),
            [$(#[$order_valid_time_a])*] order_valid_time: i64 (value_type = i64, minimum = 1, maximum = 8760),
            [$(#[$is_online_a])*] is_online: i64 (value_type = i64, minimum = 0, maximum = 1),
            [$(#[$is_sign_account_a])*] is_sign_account: i64 (value_type = i64, minimum = 0, maximum = 1),
            [$(#[$is_async_notify_a])*] is_async_notify: i64 (value_type = i64, minimum = 0, maximum = 1),
            [$(#[$is_thrid_pay_a])*] is_thrid_pay: i64 (value_type = i64, minimum = 0, maximum = 1),
            [$(#[$pay_channel_a])*] pay_channel: String (value_type = Option<String>),
            [$(#[$pay_way_a])*] pay_way: String (value_type = Option<String>),
            ]
            $(#[$meta])* $vis struct $name { $($before)* } with_pay_method { $($after)* }
        }
    };
}

/// The fields of [`pay_method_view!`](crate::pay_method_view), each `[its doc] name: Type
/// [schema]` becoming `pub name: Type` with that doc comment and `#[schema(...)]`, spliced into
/// the struct.
#[doc(hidden)]
#[macro_export]
macro_rules! __pay_method_shown {
    (
        [$([$($doc:literal)?] $field:ident: $ty:ty [$($schema:tt)*],)*]
        $($item:tt)*
    ) => {
        $crate::__pay_method_splice! {
            [
            $(
                $(#[doc = $doc])?
                #[schema($($schema)*)]
                pub $field: $ty,
            )*
            ]
            $($item)*
        }
    };
}

/// The fields of [`pay_method_body!`](crate::pay_method_body), each `[its attributes] name: T
/// (schema)` becoming `pub name: Option<Option<T>>` read by [`nullable`](crate::fields::nullable)
/// (absent, `null` or a value) and documented by its `#[schema(...)]`, spliced into the struct.
#[doc(hidden)]
#[macro_export]
macro_rules! __pay_method_sent {
    (
        [$([$(#[$attr:meta])*] $field:ident: $ty:ident ($($schema:tt)*),)*]
        $($item:tt)*
    ) => {
        $crate::__pay_method_splice! {
            [
            $(
                $(#[$attr])*
                #[serde(default, deserialize_with = "payserver_shared::fields::nullable")]
                #[schema($($schema)*)]
                pub $field: Option<Option<$ty>>,
            )*
            ]
            $($item)*
        }
    };
}

/// The struct of [`pay_method_struct!`](crate::pay_method_struct), [`pay_method_view!`](crate::pay_method_view) and [`pay_method_body!`](crate::pay_method_body): the `[fields]` they give
/// between the fields of the struct's first braces and those of its second.
#[doc(hidden)]
#[macro_export]
macro_rules! __pay_method_splice {
    (
        [$($fields:tt)*]
        $(#[$meta:meta])*
        $vis:vis struct $name:ident { $($before:tt)* } with_pay_method { $($after:tt)* }
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $($before)*
            $($fields)*
            $($after)*
        }
    };
}
