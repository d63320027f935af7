//! `/payOrders` and the pay-order sub-collections of pay modes and templates. Public routes
//! take the `merchant` or `admin` role; the internal reads (internal.rs) share the collection.

use actix_web::web;
use payserver_shared::ApiError;
use payserver_shared::auth::Caller;
use payserver_shared::http::RequestId;
use payserver_shared::http::endpoint;
use payserver_shared::routes::Listed;
use payserver_shared::visible::owned_by;

use super::listed::{self, Parent};
use super::view::{self, OrderView};
use crate::api_doc::PayOrderListParams;
use crate::db::models::OrderRow;
use crate::db::orders::{self, ORDERS, Query};
use crate::startup::AppState;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(endpoint("/payOrders").get(list))
        .service(endpoint("/payOrders/{uuid}").get(get))
        .service(endpoint("/payModes/{uuid}/payOrders").get(list_of_mode))
        .service(endpoint("/payModeTemplates/{uuid}/payOrders").get(list_of_template));
}

/// An order the caller may see, or 404 (another merchant's order is as unknown as a missing
/// one). The caller's role was checked by the handler.
pub async fn visible_order(state: &AppState, caller: &Caller, uuid: String) -> Result<OrderRow, ApiError> {
    ORDER_LIST.visible(&state.db, caller, uuid).await
}

/// The pay mode of a sub-collection, checked to exist and be the caller's.
pub async fn visible_mode(state: &AppState, caller: &Caller, uuid: &str, rid: &RequestId) -> Result<(), ApiError> {
    let mode = state.upstreams.pay_mode(uuid, rid).await?;
    owned_by(caller, mode.as_ref().map(|m| m.merchant_uuid.as_str()), "payMode")
}

/// The pay orders as a collection (public and internal routes).
pub(super) static ORDER_LIST: Listed<Query, OrderRow, OrderView> = Listed {
    listing: &ORDERS,
    all: orders::all,
    view: view::order,
    by_uuid: orders::by_uuid,
    owner: |o| &o.merchant_uuid,
    what: "payOrder",
};

payserver_shared::collection_routes! {
    {
        tag: "payOrders",
        params: PayOrderListParams,
        view: OrderView,
        state: AppState,
        list: ORDER_LIST,
        under: listed::under,
    }
    list {
        path: "/api/v1.0.0/payOrders",
        id: "listPayOrders",
        summary: "List pay orders",
        description: "Scoped to the caller's merchant (admins and services: all, or the one named). `startTime`/`endTime` filter on `createdAt`.",
    }
    get {
        path: "/api/v1.0.0/payOrders/{uuid}",
        id: "getPayOrder",
        summary: "Get a pay order",
        missing: "The pay order is unknown or another merchant's.",
    }
    list_of_mode {
        path: "/api/v1.0.0/payModes/{uuid}/payOrders",
        id: "listPayOrdersOfPayMode",
        summary: "List a pay mode's orders",
        under: Parent::PayMode,
        missing: "The pay mode is unknown or another merchant's.",
    }
    list_of_template {
        path: "/api/v1.0.0/payModeTemplates/{uuid}/payOrders",
        id: "listPayOrdersOfTemplate",
        summary: "List a template's orders",
        under: Parent::Template,
        missing: "The template is unknown.",
    }
}
