//! A connector's rows: the look-up of a row by a unique column ([`row_where!`](crate::row_where)).
//!
//! Its tables, rows and trade insert structs are declared with `shared::table_rows!` (reexported
//! as `connector_contract::shared`), whose `-> TradeRow, NewTrade` form also emits the insert
//! struct of every column but the key.

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
