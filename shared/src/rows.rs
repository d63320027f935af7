//! A table and the row it reads, declared once.
//!
//! Every service used to write each column twice: `column -> SqlType` in `schema.rs` and
//! `pub column: RustType` in the row struct of `models.rs`, kept in step by hand. `table_rows!`
//! takes one list, `column: RustType [SqlType]`, and expands to the `diesel::table!` and the
//! `Queryable + Selectable` row struct, so adding a column to a table is one line here (plus its
//! migration and, if it is written, the insert struct). A table whose insert struct holds every
//! column but the key gets that struct from the same list too (`-> Row, NewRow`).

/// Declares a diesel table and its row struct from one column list, and optionally the
/// `Insertable` struct of every column but the key.
///
/// ```ignore
/// payserver_shared::table_rows! {
///     /// One pay-mode template.
///     pay_mode_templates (id) -> TemplateRow {
///         id: i64 [BigInt],
///         uuid: String [Text],
///         description: Option<String> [Nullable<Text>],
///         status: Status [Text],
///     }
///
///     /// One trade; `NewTrade` is inserted with every column but `id`.
///     alipay_trades (id: i64 [BigInt]) -> TradeRow, NewTrade {
///         traction_no: String [Text],
///         trade_no: Option<String> [Nullable<Text>],
///     }
/// }
/// ```
///
/// The SQL type is a diesel type name with at most one type argument (`Text`,
/// `Nullable<BigInt>`); the Rust type is anything that reads from it (text enums included). With
/// an insert struct the key is written with its types in the parentheses and left out of it (the
/// database assigns it); the attributes before the table go to the row struct only.
#[macro_export]
macro_rules! table_rows {
    () => {};
    // A table with the insert struct of every column but the key: the row of all columns
    // (through the arm below), then the insert struct of the rest.
    (
        $(#[$row_meta:meta])*
        $table:ident ($key:ident : $key_rust:ty [$key_sql:ident]) -> $row:ident, $new:ident {
            $($col:ident : $rust:ty [$sql:ident $(<$sql_arg:ident>)?]),+ $(,)?
        }
        $($rest:tt)*
    ) => {
        $crate::table_rows! {
            $(#[$row_meta])*
            $table ($key) -> $row {
                $key: $key_rust [$key_sql],
                $($col: $rust [$sql $(<$sql_arg>)?],)+
            }
        }

        /// A new row: every column but the key, which the database assigns.
        #[derive(Debug, Clone, diesel::Insertable)]
        #[diesel(table_name = $table)]
        pub struct $new {
            $(pub $col: $rust,)+
        }

        $crate::table_rows! { $($rest)* }
    };
    (
        $(#[$row_meta:meta])*
        $table:ident ($($key:ident),+) -> $row:ident {
            $($col:ident : $rust:ty [$sql:ident $(<$sql_arg:ident>)?]),+ $(,)?
        }
        $($rest:tt)*
    ) => {
        diesel::table! {
            $table ($($key),+) {
                $($col -> $sql $(<$sql_arg>)?,)+
            }
        }

        $(#[$row_meta])*
        #[derive(Debug, Clone, diesel::Queryable, diesel::Selectable)]
        #[diesel(table_name = $table)]
        pub struct $row {
            $(pub $col: $rust,)+
        }

        $crate::table_rows! { $($rest)* }
    };
}
