//! payorder-service's part of the public OpenAPI document: its `/api/v1.0.0` operations and
//! their schemas. The workspace merges the parts into the gateway's document and adds the
//! answers every public route can give (400, 401, 403, 413, 429, 5xx).

use utoipa::OpenApi;
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

use crate::db::orders::ORDERS;
use crate::db::trades::TRADES;
use crate::domain::{BusinessRet, PayStatus, TradeType};
use crate::routes::{orders, pay, trades, view};

#[derive(OpenApi)]
#[openapi(
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
    components(schemas(
        view::OrderView,
        view::PayAnswerView,
        view::BatchPayResultItem,
        view::BatchPayAnswer,
        view::TradeView,
        crate::domain::PayBody,
        pay::BatchBody,
        NotifyBody,
        payserver_shared::href::Link,
        payserver_shared::ApiError,
    ))
)]
struct ApiDoc;

pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The query parameters of `/payOrders` and its sub-collections (doc only).
pub(crate) struct PayOrderListParams;

impl utoipa::IntoParams for PayOrderListParams {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        ORDERS.parameters()
    }
}

/// The query parameters of `/tradeRecords` and its sub-collections (doc only).
pub(crate) struct TradeRecordListParams;

impl utoipa::IntoParams for TradeRecordListParams {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        TRADES.parameters()
    }
}

// The body of `/payNotify` (and refund-service's `/refundNotify`): the connector contract's
// `TradeAnswer`, described here (doc only; refund-service describes the identical schema).
#[derive(utoipa::ToSchema)]
#[schema(
    rename_all = "camelCase",
    description = "A connector's asynchronous outcome (the contract's answer shape). Idempotent; only moves an order out of its in-flight state."
)]
#[allow(dead_code)]
pub(crate) struct NotifyBody {
    /// The order's (or refund's) platform serial number.
    traction_no: String,
    #[schema(schema_with = notify_ret_schema)]
    ret: String,
    third_order_no: Option<String>,
    third_error_reason: Option<String>,
    /// `YYYY-MM-DD HH:mm:ss` in the display offset, when finished.
    trade_finished_at: Option<String>,
}

fn one_of(description: &str, values: &[&'static str]) -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .enum_values(Some(values.iter().copied()))
        .build()
        .into()
}

fn plain_one_of(values: &[&'static str]) -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values.iter().copied()))
        .build()
        .into()
}

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

fn notify_ret_schema() -> Schema {
    one_of(
        "`running` leaves the order in flight.",
        &["success", "running", "failed"],
    )
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use payserver_shared::api_doc::{assert_well_formed, operations};

    use super::*;

    #[test]
    fn the_document_lists_exactly_the_public_operations_each_with_a_2xx_answer() {
        let doc = openapi();
        assert_well_formed(&doc);
        let json = serde_json::to_value(&doc).unwrap();
        let ops = operations(&doc);
        for (path, method, id) in ops.iter().filter(|(_, _, id)| id.starts_with("list")) {
            let params: BTreeSet<(&str, &str)> = json["paths"][path][method]["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| (p["name"].as_str().unwrap(), p["in"].as_str().unwrap()))
                .collect();
            for name in ["offset", "limit", "orderBy", "merchantUUID", "startTime"] {
                assert!(params.contains(&(name, "query")), "{method} {path} ({id}): no {name}");
            }
        }
        let want: BTreeSet<_> = [
            ("/api/v1.0.0/pay", "post", "pay"),
            ("/api/v1.0.0/batchPay", "post", "batchPay"),
            ("/api/v1.0.0/payNotify", "post", "payNotify"),
            ("/api/v1.0.0/payOrders", "get", "listPayOrders"),
            ("/api/v1.0.0/payOrders/{uuid}", "get", "getPayOrder"),
            ("/api/v1.0.0/payModes/{uuid}/payOrders", "get", "listPayOrdersOfPayMode"),
            (
                "/api/v1.0.0/payModeTemplates/{uuid}/payOrders",
                "get",
                "listPayOrdersOfTemplate",
            ),
            ("/api/v1.0.0/tradeRecords", "get", "listTradeRecords"),
            ("/api/v1.0.0/tradeRecords/{uuid}", "get", "getTradeRecord"),
            (
                "/api/v1.0.0/payOrders/{uuid}/tradeRecords",
                "get",
                "listTradeRecordsOfPayOrder",
            ),
            (
                "/api/v1.0.0/payModes/{uuid}/tradeRecords",
                "get",
                "listTradeRecordsOfPayMode",
            ),
            (
                "/api/v1.0.0/payModeTemplates/{uuid}/tradeRecords",
                "get",
                "listTradeRecordsOfTemplate",
            ),
            (
                "/api/v1.0.0/refundOrders/{uuid}/tradeRecords",
                "get",
                "listTradeRecordsOfRefundOrder",
            ),
        ]
        .into_iter()
        .map(|(p, m, id)| (p.to_string(), m.to_string(), id.to_string()))
        .collect();
        assert_eq!(ops, want);
    }
}
