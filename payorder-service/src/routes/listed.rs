//! What the pay-order and trade-record collections share: the answer of a list call, and the
//! sub-collections under a parent (`/payModes/{uuid}/payOrders`, `/refundOrders/{uuid}/tradeRecords`,
//! ...), whose parent is checked the same way whichever collection hangs under it.

use actix_web::{HttpResponse, web};
use payserver_shared::ApiResult;
use payserver_shared::auth::Caller;
use payserver_shared::href::BaseUrl;
use payserver_shared::http::RequestId;
use payserver_shared::listing::{ListCall, ListQuery, ListRequest, Listing};
use payserver_shared::path::path_id;
use payserver_shared::query;
use payserver_shared::time::Clock;
use payserver_shared::visible::owned_by;
use serde::Serialize;

use super::orders::{visible_mode, visible_order};
use crate::db::refunds;
use crate::startup::AppState;

/// A parent a sub-collection hangs under.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Parent {
    PayOrder,
    PayMode,
    Template,
    RefundOrder,
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
        Ok(match self {
            Parent::PayOrder => ("payOrderUUID", visible_order(state, caller, uuid).await?.uuid),
            Parent::PayMode => {
                visible_mode(state, caller, &uuid, rid).await?;
                ("payModeUUID", uuid)
            }
            Parent::Template => ("payTemplateId", state.upstreams.template_pay_id(&uuid, rid).await?),
            Parent::RefundOrder => {
                visible_refund(state, caller, &uuid).await?;
                ("refundOrderUUID", uuid)
            }
        })
    }
}

/// A refund order's owner is read here, from the reservation the refund held on its pay order:
/// every refund that moved money reserved first, and refund-service's public routes refuse the
/// service token.
async fn visible_refund(state: &AppState, caller: &Caller, uuid: &str) -> ApiResult<()> {
    let of = uuid.to_string();
    let owner = query::run(&state.db, move |c| refunds::refund_order_merchant(c, &of)).await?;
    owned_by(caller, owner.as_deref(), "refundOrder")
}

/// One of this service's collections: its listing, its unfiltered query and the view of a row.
pub(crate) struct Listed<Q: 'static, R, T> {
    pub listing: &'static Listing<Q>,
    pub all: fn() -> Q,
    pub view: fn(&R, &BaseUrl, &Clock) -> T,
}

impl<Q, R, T> Listed<Q, R, T>
where
    Q: ListQuery<R>,
    R: Send + 'static,
    T: Serialize,
{
    /// The page `query` asks for.
    async fn answer(&self, state: &AppState, call: &ListCall, query: &ListRequest) -> ApiResult<HttpResponse> {
        let view = |row: R| (self.view)(&row, &call.base, &state.clock);
        call.answer(self.listing, &state.db, self.all, query, view).await
    }

    /// `GET /<collection>`, for a caller whose role the route has checked.
    pub(crate) async fn list(&self, state: &AppState, call: &ListCall) -> ApiResult<HttpResponse> {
        let query = call.parse(self.listing, &state.clock)?;
        self.answer(state, call, &query).await
    }

    /// `GET /<parent>/{uuid}/<collection>`, for a caller whose role the route has checked: the
    /// collection pinned to the parent named by the path.
    pub(crate) async fn under(
        &self,
        parent: Parent,
        state: &AppState,
        call: &ListCall,
        path: web::Path<String>,
        rid: &RequestId,
    ) -> ApiResult<HttpResponse> {
        let uuid = path_id(path.into_inner())?;
        let mut query = call.parse(self.listing, &state.clock)?;
        let (filter, value) = parent.pin(state, &call.caller, uuid, rid).await?;
        query.pin(filter, value);
        self.answer(state, call, &query).await
    }
}
