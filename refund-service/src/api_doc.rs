//! refund-service's part of the public OpenAPI document: its `/api/v1.0.0` operations and
//! their schemas. The workspace merges the parts into the gateway's document and adds the
//! answers every public route can give (400, 401, 403, 413, 429, 5xx).

use payserver_shared::api_doc::{NotifyBody, flag, one_of};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

use crate::db::refunds::REFUNDS;
use crate::domain::{RefundBusinessRet, RefundStatus};
use crate::routes::{orders, refund, view};

payserver_shared::service_api_doc! {
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
    schemas(
        view::RefundView,
        view::RefundAnswerView,
        refund::BatchRefundResultItem,
        refund::BatchRefundAnswer,
        crate::domain::RefundBody,
        refund::BatchBody,
        NotifyBody,
    ),
}

payserver_shared::list_params!(
    /// The query parameters of `/refundOrders` and its sub-collections.
    pub(crate) RefundOrderListParams, REFUNDS
);

/// A refund order's `status`.
pub(crate) fn refund_status_schema() -> Schema {
    one_of("unRefund → refunding → refunded | refundFailed.", RefundStatus::ALL)
}

/// `ret` of a refund answer.
pub(crate) fn refund_ret_schema() -> Schema {
    one_of(
        "`failed` when the refund failed, else `success`.",
        &["success", "failed"],
    )
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
    flag().build().into()
}

/// `isCancel` of a refund request.
pub(crate) fn is_cancel_schema() -> Schema {
    flag()
        .description(Some(
            "1: cancel the whole remaining amount (refundAmount absent or equal to it).",
        ))
        .default(Some(serde_json::json!(0)))
        .build()
        .into()
}

// The operations this part describes (see the macro).
payserver_shared::operations_test!(
    assert_order_operations,
    &[
        ("/api/v1.0.0/refund", "post", "refund"),
        ("/api/v1.0.0/batchRefund", "post", "batchRefund"),
        ("/api/v1.0.0/refundNotify", "post", "refundNotify"),
        ("/api/v1.0.0/refundOrders", "get", "listRefundOrders"),
        ("/api/v1.0.0/refundOrders/{uuid}", "get", "getRefundOrder"),
        (
            "/api/v1.0.0/payOrders/{uuid}/refundOrders",
            "get",
            "listRefundOrdersOfPayOrder"
        ),
        (
            "/api/v1.0.0/payModes/{uuid}/refundOrders",
            "get",
            "listRefundOrdersOfPayMode"
        ),
        (
            "/api/v1.0.0/payModeTemplates/{uuid}/refundOrders",
            "get",
            "listRefundOrdersOfTemplate"
        ),
    ]
);
