//! `/refundOrders` and the refund sub-collections of pay orders, pay modes and templates.

use actix_web::{HttpResponse, web};
use payserver_shared::ApiResult;
use payserver_shared::auth::Caller;
use payserver_shared::http::RequestId;
use payserver_shared::http::endpoint;
use payserver_shared::listing::ListCall;
use payserver_shared::path::path_id;
use payserver_shared::routes::Listed;
use payserver_shared::visible::owned_by;

use super::view::{self, RefundView};
use crate::api_doc::RefundOrderListParams;
use crate::db::models::RefundRow;
use crate::db::refunds::{self, Query, REFUNDS};
use crate::startup::AppState;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(endpoint("/refundOrders").get(list))
        .service(endpoint("/refundOrders/{uuid}").get(get))
        .service(endpoint("/payOrders/{uuid}/refundOrders").get(list_of_pay_order))
        .service(endpoint("/payModes/{uuid}/refundOrders").get(list_of_mode))
        .service(endpoint("/payModeTemplates/{uuid}/refundOrders").get(list_of_template));
}

/// The parents a refund sub-collection hangs under.
#[derive(Debug, Clone, Copy)]
enum Parent {
    PayOrder,
    PayMode,
    Template,
}

impl Parent {
    /// The filter to pin and its value for the parent `uuid`, once the caller is known to see
    /// it (404 when it is unknown or another merchant's).
    async fn pin(
        self,
        state: &AppState,
        caller: &Caller,
        uuid: String,
        rid: &RequestId,
    ) -> ApiResult<(&'static str, String)> {
        let up = &state.upstreams;
        Ok(match self {
            Parent::PayOrder => {
                owned_by(caller, up.pay_order_owner(&uuid, rid).await?.as_deref(), "payOrder")?;
                ("payOrderUUID", uuid)
            }
            Parent::PayMode => {
                owned_by(caller, up.pay_mode_owner(&uuid, rid).await?.as_deref(), "payMode")?;
                ("payModeUUID", uuid)
            }
            Parent::Template => ("payTemplateId", up.template_pay_id(&uuid, rid).await?),
        })
    }
}

/// The refund orders as a collection.
static REFUND_LIST: Listed<Query, RefundRow, RefundView> = Listed {
    listing: &REFUNDS,
    all: refunds::all,
    view: view::refund,
    by_uuid: refunds::by_uuid,
    owner: |r| &r.merchant_uuid,
    what: "refundOrder",
};

/// `GET /<parent>/{uuid}/refundOrders`, for a caller whose role the route has checked: the
/// refunds pinned to the parent named by the path (the query is parsed before the path is
/// looked at).
async fn list_under(
    list: &Listed<Query, RefundRow, RefundView>,
    parent: Parent,
    state: &AppState,
    call: &ListCall,
    path: web::Path<String>,
    rid: &RequestId,
) -> ApiResult<HttpResponse> {
    let mut query = list.parse(&state.clock, call)?;
    let uuid = path_id(path.into_inner())?;
    let (filter, value) = parent.pin(state, &call.caller, uuid, rid).await?;
    query.pin(filter, value);
    list.answer(&state.db, &state.clock, call, &query).await
}

payserver_shared::collection_routes! {
    {
        tag: "refundOrders",
        params: RefundOrderListParams,
        view: RefundView,
        state: AppState,
        list: REFUND_LIST,
        under: list_under,
    }
    list {
        path: "/api/v1.0.0/refundOrders",
        id: "listRefundOrders",
        summary: "List refund orders",
        description: "`startTime`/`endTime` filter on `createdAt`.",
    }
    get {
        path: "/api/v1.0.0/refundOrders/{uuid}",
        id: "getRefundOrder",
        summary: "Get a refund order",
        missing: "The refund order is unknown or another merchant's.",
    }
    list_of_pay_order {
        path: "/api/v1.0.0/payOrders/{uuid}/refundOrders",
        id: "listRefundOrdersOfPayOrder",
        summary: "List the refunds of a pay order",
        under: Parent::PayOrder,
        missing: "The pay order is unknown or another merchant's.",
        description: "`startTime`/`endTime` filter on `createdAt`.",
    }
    list_of_mode {
        path: "/api/v1.0.0/payModes/{uuid}/refundOrders",
        id: "listRefundOrdersOfPayMode",
        summary: "List the refunds of a pay mode",
        under: Parent::PayMode,
        missing: "The pay mode is unknown or another merchant's.",
        description: "`startTime`/`endTime` filter on `createdAt`.",
    }
    list_of_template {
        path: "/api/v1.0.0/payModeTemplates/{uuid}/refundOrders",
        id: "listRefundOrdersOfTemplate",
        summary: "List the refunds of a template",
        under: Parent::Template,
        missing: "The template is unknown.",
        description: "`startTime`/`endTime` filter on `createdAt`.",
    }
}
