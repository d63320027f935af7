//! A connector's rows: its trade table declared once for reading and writing
//! ([`trade_table!`](crate::trade_table)), and the look-up of a row by a unique column
//! ([`row_where!`](crate::row_where)).
//!
//! The alipay and wechat connectors insert a trade with every column but its `id`, so their
//! insert struct repeated the row struct field by field. [`trade_table!`](crate::trade_table)
//! takes the one column list that `shared::table_rows!` takes, the key first, and also emits
//! the `Insertable` struct of the other columns.

/// Declares a diesel table, its `Queryable + Selectable` row struct (through
/// `shared::table_rows!`) and the `Insertable` struct of every column but the key.
///
/// ```ignore
/// connector_contract::trade_table! {
///     /// Every column of a trade.
///     alipay_trades (id: i64 [BigInt]) -> TradeRow, NewTrade {
///         traction_no: String [Text],
///         trade_no: Option<String> [Nullable<Text>],
///     }
/// }
/// ```
#[macro_export]
macro_rules! trade_table {
    (
        $(#[$row_meta:meta])*
        $table:ident ($key:ident : $key_rust:ty [$key_sql:ident]) -> $row:ident, $new:ident {
            $($col:ident : $rust:ty [$sql:ident $(<$sql_arg:ident>)?]),+ $(,)?
        }
    ) => {
        $crate::shared::table_rows! {
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
    };
}

/// The row of `$table` whose `$column` equals `$value`, read as `$row`, if there is one: a
/// `QueryResult<Option<$row>>`. Every connector looks its trades, operations, members and
/// settings up by one unique column this way. The caller has `diesel::prelude::*` in scope.
///
/// ```ignore
/// connector_contract::row_where!(conn, t::alipay_trades, t::traction_no, traction_no => TradeRow)
/// ```
#[macro_export]
macro_rules! row_where {
    ($conn:expr, $table:expr, $column:expr, $value:expr => $row:ty) => {
        $table
            .filter($column.eq($value))
            .select(<$row>::as_select())
            .first($conn)
            .optional()
    };
}
