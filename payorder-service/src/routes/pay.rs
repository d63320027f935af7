//! `/pay`, `/batchPay`, `/payNotify`.

use actix_web::{HttpResponse, web};
use connector_contract::types::TradeAnswer;
use payserver_shared::ApiError;
use payserver_shared::href::BaseUrl;
use payserver_shared::http::endpoint;
use payserver_shared::time::Clock;

use super::view::{self, PayAnswerView};
use crate::core::{notify, pay as pay_core};
use crate::domain::PayBody;
use crate::startup::AppState;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(endpoint("/pay").post(pay))
        .service(endpoint("/batchPay").post(batch_pay))
        .service(endpoint("/payNotify").post(pay_notify));
}

/// The answer of `/payNotify` (see [`pay_notify`]).
fn notified(outcome: notify::Notified, base: &BaseUrl, clock: &Clock) -> HttpResponse {
    match outcome {
        notify::Notified::Settled(order) => HttpResponse::Ok().json(view::pay_answer(&order, base, clock)),
        notify::Notified::Unconfirmed(order) => HttpResponse::Accepted().json(view::pay_answer(&order, base, clock)),
    }
}

payserver_shared::order_routes! {
    { tag: "pay", state: AppState }
    one pay {
        path: "/api/v1.0.0/pay",
        id: "pay",
        summary: "Pay",
        description: "Roles merchant (for itself), admin or service. Offline modes are `payed` at once (`offlinePay`); online ones call the connector's payUrl (`syncOnlinePay` / `asyncOnlinePay`). Poll `GET /payOrders?clientPayNo=` while `paying`.",
        body: PayBody,
        responses: (
            (status = 200, description = "The order (new, or the existing one of an identical earlier request).", body = PayAnswerView),
            (status = 404, description = "The pay mode is unknown or another merchant's.", body = ApiError),
            (status = 409, description = "The clientPayNo was used for another mode or amount.", body = ApiError),
            (status = 500, description = "A business rule refused the request (HTTP 500 with `code` >= 9000, as in the seed): 9002 (pay mode not opened); 9003 (pay mode or template unusable (disabled, online without payUrl)); or an unexpected error (5000).", body = ApiError,
                example = json!({"name": "PayModeNotOpened", "statusCode": 500, "code": 9002, "message": "pay mode not opened", "description": "pay mode not opened"})),
        ),
        run: pay_core::pay,
        answer: view::pay_answer,
    }
    /// Each item is processed as its own `/pay`; an invalid item fails alone.
    batch batch_pay {
        path: "/api/v1.0.0/batchPay",
        id: "batchPay",
        summary: "Pay up to 100 orders",
        description: "1 to 100 items (else 400); each item answers like its own `/pay`.",
        request: BatchPayRequest,
        items: batch_pay_data,
        field: "batchPayData",
        of: PayBody,
        key: "clientPayNo",
        what: "pay",
        responses: ((status = 200, description = "OK", body = BatchPayAnswer)),
        run: pay_core::pay,
        answer: view::pay_answer,
        reply: BatchPayAnswer {
            batch_pay_result: [BatchPayResultItem {
                client_pay_no: "The item's clientPayNo as sent (null when missing).",
                status: "The HTTP status `/pay` would have answered.",
                body: PayAnswerView,
            }]
        },
    }
    /// `POST /payNotify`, for the order's own connector only (core/notify.rs):
    /// - 200 with the order when the notification is the order's outcome (it settled the order,
    ///   or the order already had that outcome: a repeat);
    /// - 202 with the still `paying` order when it reports a `success` the channel's `queryUrl`
    ///   does not confirm (yet): nothing changed, and the resolver asks the channel again soon. A
    ///   connector may repeat the notification; it is never an error for the real one;
    /// - 403 from any other connector, 404 for an unknown tractionNo, 409 when it contradicts the
    ///   order's final state (or the channel's own query).
    notify pay_notify {
        path: "/api/v1.0.0/payNotify",
        id: "payNotify",
        summary: "A connector's pay outcome",
        description: "Role `connector` only. 404 when no order has this tractionNo; 409 when it contradicts the settled order.",
        body: TradeAnswer,
        responses: (
            (status = 200, description = "OK", body = PayAnswerView),
            (status = 202, description = "A `success` the channel's own query does not confirm (yet): the order is still `paying`, nothing changed, and the resolver asks the channel again soon.", body = PayAnswerView),
            (status = 404, description = "No order has this tractionNo.", body = ApiError),
            (status = 409, description = "The outcome contradicts the order's final state (or the channel's own query).", body = ApiError),
        ),
        run: notify::pay_notify,
        respond: notified,
    }
}
