//! refund-service's part of the public OpenAPI document: its `/api/v1.0.0` operations and
//! their schemas. The workspace merges the parts into the gateway's document and adds the
//! answers every public route can give (400, 401, 403, 413, 429, 5xx).

use utoipa::OpenApi;
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

use crate::db::refunds::REFUNDS;
use crate::domain::{RefundBusinessRet, RefundStatus};
use crate::routes::{orders, refund, view};

#[derive(OpenApi)]
#[openapi(
    paths(
        refund::refund,
        refund::batch_refund,
        refund::refund_notify,
        orders::list,
        orders::get,
        orders::list_of_pay_order,
        orders::list_of_mode,
        orders::list_of_template,
    ),
    components(schemas(
        view::RefundView,
        view::RefundAnswerView,
        view::BatchRefundResultItem,
        view::BatchRefundAnswer,
        crate::domain::RefundBody,
        refund::BatchBody,
        NotifyBody,
        payserver_shared::href::Link,
        payserver_shared::ApiError,
    ))
)]
struct ApiDoc;

pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The query parameters of `/refundOrders` and its sub-collections (doc only).
pub(crate) struct RefundOrderListParams;

impl utoipa::IntoParams for RefundOrderListParams {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        REFUNDS.parameters()
    }
}

// The body of `/refundNotify` (and payorder-service's `/payNotify`): the connector contract's
// `TradeAnswer`, described here (doc only; payorder-service describes the identical schema,
// the merged document keeps one).
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

fn one_of(description: &str, values: &[&'static str]) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .enum_values(Some(values.iter().copied()))
}

/// A refund order's `status`.
pub(crate) fn refund_status_schema() -> Schema {
    one_of("unRefund → refunding → refunded | refundFailed.", RefundStatus::ALL)
        .build()
        .into()
}

/// `ret` of a refund answer.
pub(crate) fn refund_ret_schema() -> Schema {
    one_of(
        "`failed` when the refund failed, else `success`.",
        &["success", "failed"],
    )
    .build()
    .into()
}

/// `businessRet` of a refund answer: null while the pay order is not known yet.
pub(crate) fn refund_business_ret_schema() -> Schema {
    ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
            Type::String,
            Type::Null,
        ]))
        .description(Some("Null while the pay order is not known yet."))
        .enum_values(Some(RefundBusinessRet::ALL.iter().copied().map(Some).chain([None])))
        .build()
        .into()
}

/// A 0/1 flag of a view (`isCancel`).
pub(crate) fn flag_schema() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .enum_values(Some([0, 1]))
        .build()
        .into()
}

/// `isCancel` of a refund request.
pub(crate) fn is_cancel_schema() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .description(Some(
            "1: cancel the whole remaining amount (refundAmount absent or equal to it).",
        ))
        .enum_values(Some([0, 1]))
        .default(Some(serde_json::json!(0)))
        .build()
        .into()
}

fn notify_ret_schema() -> Schema {
    one_of(
        "`running` leaves the order in flight.",
        &["success", "running", "failed"],
    )
    .build()
    .into()
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
            ("/api/v1.0.0/refund", "post", "refund"),
            ("/api/v1.0.0/batchRefund", "post", "batchRefund"),
            ("/api/v1.0.0/refundNotify", "post", "refundNotify"),
            ("/api/v1.0.0/refundOrders", "get", "listRefundOrders"),
            ("/api/v1.0.0/refundOrders/{uuid}", "get", "getRefundOrder"),
            (
                "/api/v1.0.0/payOrders/{uuid}/refundOrders",
                "get",
                "listRefundOrdersOfPayOrder",
            ),
            (
                "/api/v1.0.0/payModes/{uuid}/refundOrders",
                "get",
                "listRefundOrdersOfPayMode",
            ),
            (
                "/api/v1.0.0/payModeTemplates/{uuid}/refundOrders",
                "get",
                "listRefundOrdersOfTemplate",
            ),
        ]
        .into_iter()
        .map(|(p, m, id)| (p.to_string(), m.to_string(), id.to_string()))
        .collect();
        assert_eq!(ops, want);
    }
}
