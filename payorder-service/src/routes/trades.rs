//! `/tradeRecords` and its sub-collections under templates, pay modes, pay orders and refund
//! orders.

use actix_web::web;
use payserver_shared::http::endpoint;
use payserver_shared::routes::Listed;

use super::listed::{self, Parent};
use super::view::{self, TradeView};
use crate::api_doc::TradeRecordListParams;
use crate::db::models::TradeRow;
use crate::db::trades::{self, Query, TRADES};
use crate::startup::AppState;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(endpoint("/tradeRecords").get(list))
        .service(endpoint("/tradeRecords/{uuid}").get(get))
        .service(endpoint("/payOrders/{uuid}/tradeRecords").get(list_of_order))
        .service(endpoint("/payModes/{uuid}/tradeRecords").get(list_of_mode))
        .service(endpoint("/payModeTemplates/{uuid}/tradeRecords").get(list_of_template))
        .service(endpoint("/refundOrders/{uuid}/tradeRecords").get(list_of_refund));
}

/// The journal as a collection.
static TRADE_LIST: Listed<Query, TradeRow, TradeView> = Listed {
    listing: &TRADES,
    all: trades::all,
    view: view::trade,
    by_uuid: trades::by_uuid,
    owner: |r| &r.merchant_uuid,
    what: "tradeRecord",
};

payserver_shared::collection_routes! {
    {
        tag: "tradeRecords",
        params: TradeRecordListParams,
        view: TradeView,
        state: AppState,
        list: TRADE_LIST,
        under: listed::under,
    }
    list {
        path: "/api/v1.0.0/tradeRecords",
        id: "listTradeRecords",
        summary: "List trade records",
        description: "`startTime`/`endTime` filter on `tradeAt`. For a merchant, the journal sums to paid minus refunded.",
    }
    get {
        path: "/api/v1.0.0/tradeRecords/{uuid}",
        id: "getTradeRecord",
        summary: "Get a trade record",
        missing: "The trade record is unknown or another merchant's.",
    }
    list_of_order {
        path: "/api/v1.0.0/payOrders/{uuid}/tradeRecords",
        id: "listTradeRecordsOfPayOrder",
        summary: "List the trade records of a pay order",
        under: Parent::PayOrder,
        missing: "The pay order is unknown or another merchant's.",
        description: "`startTime`/`endTime` filter on `tradeAt`. For a merchant, the journal sums to paid minus refunded.",
    }
    list_of_mode {
        path: "/api/v1.0.0/payModes/{uuid}/tradeRecords",
        id: "listTradeRecordsOfPayMode",
        summary: "List the trade records of a pay mode",
        under: Parent::PayMode,
        missing: "The pay mode is unknown or another merchant's.",
        description: "`startTime`/`endTime` filter on `tradeAt`. For a merchant, the journal sums to paid minus refunded.",
    }
    list_of_template {
        path: "/api/v1.0.0/payModeTemplates/{uuid}/tradeRecords",
        id: "listTradeRecordsOfTemplate",
        summary: "List the trade records of a template",
        under: Parent::Template,
        missing: "The template is unknown.",
        description: "`startTime`/`endTime` filter on `tradeAt`. For a merchant, the journal sums to paid minus refunded.",
    }
    /// A refund order's journal rows (its owner is read from its reservation, see `listed.rs`).
    list_of_refund {
        path: "/api/v1.0.0/refundOrders/{uuid}/tradeRecords",
        id: "listTradeRecordsOfRefundOrder",
        summary: "List the trade records of a refund order",
        under: Parent::RefundOrder,
        missing: "The refund order is unknown or another merchant's.",
        description: "`startTime`/`endTime` filter on `tradeAt`. For a merchant, the journal sums to paid minus refunded.",
    }
}
