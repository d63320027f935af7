//! payorder-service's part of the public OpenAPI document: its `/api/v1.0.0` operations and
//! their schemas. The workspace merges the parts into the gateway's document and adds the
//! answers every public route can give (400, 401, 403, 413, 429, 5xx).

use payserver_shared::api_doc::{NotifyBody, one_of, plain_one_of};
use utoipa::openapi::schema::Schema;

use crate::db::orders::ORDERS;
use crate::db::trades::TRADES;
use crate::domain::{BusinessRet, PayStatus, TradeType};
use crate::routes::{orders, pay, trades, view};

payserver_shared::service_api_doc! {
    paths(
        pay::pay,
        pay::batch_pay,
        pay::pay_notify,
        orders::list,
        orders::get,
        orders::list_of_mode,
        orders::list_of_template,
        trades::list,
        trades::get,
        trades::list_of_order,
        trades::list_of_mode,
        trades::list_of_template,
        trades::list_of_refund,
    ),
    schemas(
        view::OrderView,
        view::PayAnswerView,
        pay::BatchPayResultItem,
        pay::BatchPayAnswer,
        view::TradeView,
        crate::domain::PayBody,
        pay::BatchBody,
        NotifyBody,
    ),
}

payserver_shared::list_params!(
    /// The query parameters of `/payOrders` and its sub-collections.
    pub(crate) PayOrderListParams, ORDERS
);

payserver_shared::list_params!(
    /// The query parameters of `/tradeRecords` and its sub-collections.
    pub(crate) TradeRecordListParams, TRADES
);

/// A pay order's `status`.
pub(crate) fn pay_status_schema() -> Schema {
    one_of(
        "unpay → paying → payed | payFailed; payed → partRefunded → refunded.",
        PayStatus::ALL,
    )
}

/// `ret` of a pay answer.
pub(crate) fn pay_ret_schema() -> Schema {
    one_of(
        "`success` when the order is payed or paying, `failed` otherwise.",
        &["success", "failed"],
    )
}

/// `businessRet` of a pay answer.
pub(crate) fn pay_business_ret_schema() -> Schema {
    plain_one_of(BusinessRet::ALL)
}

/// A trade record's `tradeType`.
pub(crate) fn trade_type_schema() -> Schema {
    plain_one_of(TradeType::ALL)
}

// The operations this part describes (see the macro).
payserver_shared::operations_test!(
    assert_order_operations,
    &[
        ("/api/v1.0.0/pay", "post", "pay"),
        ("/api/v1.0.0/batchPay", "post", "batchPay"),
        ("/api/v1.0.0/payNotify", "post", "payNotify"),
        ("/api/v1.0.0/payOrders", "get", "listPayOrders"),
        ("/api/v1.0.0/payOrders/{uuid}", "get", "getPayOrder"),
        ("/api/v1.0.0/payModes/{uuid}/payOrders", "get", "listPayOrdersOfPayMode"),
        (
            "/api/v1.0.0/payModeTemplates/{uuid}/payOrders",
            "get",
            "listPayOrdersOfTemplate"
        ),
        ("/api/v1.0.0/tradeRecords", "get", "listTradeRecords"),
        ("/api/v1.0.0/tradeRecords/{uuid}", "get", "getTradeRecord"),
        (
            "/api/v1.0.0/payOrders/{uuid}/tradeRecords",
            "get",
            "listTradeRecordsOfPayOrder"
        ),
        (
            "/api/v1.0.0/payModes/{uuid}/tradeRecords",
            "get",
            "listTradeRecordsOfPayMode"
        ),
        (
            "/api/v1.0.0/payModeTemplates/{uuid}/tradeRecords",
            "get",
            "listTradeRecordsOfTemplate"
        ),
        (
            "/api/v1.0.0/refundOrders/{uuid}/tradeRecords",
            "get",
            "listTradeRecordsOfRefundOrder"
        ),
    ]
);
