//! A table and the row it reads, declared once.
//!
//! Every service used to write each column twice: `column -> SqlType` in `schema.rs` and
//! `pub column: RustType` in the row struct of `models.rs`, kept in step by hand. `table_rows!`
//! takes one list, `column: RustType [SqlType]`, and expands to the `diesel::table!` and the
//! `Queryable + Selectable` row struct, so adding a column to a table is one line here (plus its
//! migration and, if it is written, the insert struct).

/// Declares a diesel table and its row struct from one column list.
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
/// }
/// ```
///
/// The SQL type is a diesel type name with at most one type argument (`Text`,
/// `Nullable<BigInt>`); the Rust type is anything that reads from it (text enums included).
#[macro_export]
macro_rules! table_rows {
    ($(
        $(#[$row_meta:meta])*
        $table:ident ($($key:ident),+) -> $row:ident {
            $($col:ident : $rust:ty [$sql:ident $(<$sql_arg:ident>)?]),+ $(,)?
        }
    )+) => {$(
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
    )+};
}
