//! `/refund`, `/batchRefund`, `/refundNotify`.

use actix_web::{HttpResponse, web};
use connector_contract::types::TradeAnswer;
use payserver_shared::ApiError;
use payserver_shared::href::BaseUrl;
use payserver_shared::http::endpoint;
use payserver_shared::time::Clock;

use super::view::{self, RefundAnswerView};
use crate::core::{notify, refund as refund_core};
use crate::db::models::RefundRow;
use crate::domain::RefundBody;
use crate::startup::AppState;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(endpoint("/refund").post(refund))
        .service(endpoint("/batchRefund").post(batch_refund))
        .service(endpoint("/refundNotify").post(refund_notify));
}

/// The answer of `/refundNotify`: the refund as it is now.
fn notified(row: RefundRow, base: &BaseUrl, clock: &Clock) -> HttpResponse {
    HttpResponse::Ok().json(view::refund_answer(&row, base, clock))
}

payserver_shared::order_routes! {
    { tag: "refund", state: AppState }
    one refund {
        path: "/api/v1.0.0/refund",
        id: "refund",
        summary: "Refund",
        description: "Roles merchant (for itself), admin or service. 404 when the pay order is unknown or another merchant's; 409 when `clientRefundNo` was used for another refund.",
        body: RefundBody,
        responses: (
            (status = 200, description = "The refund (new, or the existing one of an identical earlier request).", body = RefundAnswerView),
            (status = 404, description = "The pay order is unknown or another merchant's.", body = ApiError),
            (status = 409, description = "The clientRefundNo was used for another refund.", body = ApiError),
            (status = 500, description = "A business rule refused the request (HTTP 500 with `code` >= 9000, as in the seed): 9004 (pay order not refundable (wrong status, amount exceeds what is left)); or an unexpected error (5000).", body = ApiError,
                example = json!({"name": "PayOrderNotRefundable", "statusCode": 500, "code": 9004, "message": "pay order not refundable (wrong status, amount exceeds what is left)", "description": "pay order not refundable (wrong status, amount exceeds what is left)"})),
        ),
        run: refund_core::refund,
        answer: view::refund_answer,
    }
    /// Each item is processed as its own `/refund`; an invalid item fails alone.
    batch batch_refund {
        path: "/api/v1.0.0/batchRefund",
        id: "batchRefund",
        summary: "Refund up to 100 orders",
        description: "1 to 100 items (else 400); each item answers like its own `/refund`.",
        request: BatchRefundRequest,
        items: batch_refund_data,
        field: "batchRefundData",
        of: RefundBody,
        key: "clientRefundNo",
        what: "refund",
        responses: ((status = 200, description = "OK", body = BatchRefundAnswer)),
        run: refund_core::refund,
        answer: view::refund_answer,
        reply: BatchRefundAnswer {
            batch_refund_result: [BatchRefundResultItem {
                client_refund_no: "The item's clientRefundNo as sent (null when missing).",
                status: "The HTTP status `/refund` would have answered.",
                body: RefundAnswerView,
            }]
        },
    }
    notify refund_notify {
        path: "/api/v1.0.0/refundNotify",
        id: "refundNotify",
        summary: "A connector's refund outcome",
        description: "Role `connector` only; `tractionNo` is the refund's serial.",
        body: TradeAnswer,
        responses: (
            (status = 200, description = "OK", body = RefundAnswerView),
            (status = 404, description = "No refund has this tractionNo.", body = ApiError),
            (status = 409, description = "The outcome contradicts the refund's final state.", body = ApiError),
        ),
        run: notify::refund_notify,
        respond: notified,
    }
}
