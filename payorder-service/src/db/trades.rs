//! The trade journal's collection (rows are written by `orders::settle` and the refund saga).

use diesel::prelude::*;
use payserver_shared::db::DbConnection;
use payserver_shared::listing::Listing;

use super::models::TradeRow;
use super::schema::trade_records;
use super::schema::trade_records::dsl as t;
use crate::domain::TradeType;

payserver_shared::row_query!(trade_records -> TradeRow);

pub fn by_uuid(conn: &mut DbConnection, uuid: &str) -> QueryResult<Option<TradeRow>> {
    all().filter(t::uuid.eq(uuid.to_owned())).first(conn).optional()
}

/// `/tradeRecords` and its sub-collections.
pub static TRADES: Listing<Query> = payserver_shared::listing! {
    t;
    filters: [
        text("tractionNo", "The pay order's traction number."): traction_no eq,
        one_of("tradeType", "Pay or refund rows.", TradeType::ALL): trade_type eq,
        text("payModeUUID", "Rows of this pay mode."): pay_mode_uuid eq,
        text("payTemplateId", "Rows of this template's payTemplateId."): pay_template_id eq,
        text("payOrderUUID", "Rows of this pay order."): pay_order_uuid eq,
        text("refundOrderUUID", "Rows of this refund order."): refund_order_uuid eq,
        time("startTime", "Traded at or after."): trade_at ge,
        time("endTime", "Traded at or before."): trade_at le,
    ],
    sorts: ["tradeAt": trade_at, "amount": amount],
    merchant: merchant_uuid,
};
