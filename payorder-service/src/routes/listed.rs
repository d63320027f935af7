//! The sub-collections of the pay-order and trade-record collections: `/payModes/{uuid}/payOrders`,
//! `/refundOrders/{uuid}/tradeRecords`, ... Their parent is checked the same way whichever
//! collection hangs under it (the collections themselves are `payserver_shared::routes`).

use actix_web::{HttpResponse, web};
use payserver_shared::ApiResult;
use payserver_shared::auth::Caller;
use payserver_shared::http::RequestId;
use payserver_shared::listing::{ListCall, ListQuery};
use payserver_shared::path::path_id;
use payserver_shared::query;
use payserver_shared::routes::Listed;
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

/// `GET /<parent>/{uuid}/<collection>`, for a caller whose role the route has checked: the
/// collection pinned to the parent named by the path.
pub(crate) async fn under<Q, R, T>(
    list: &Listed<Q, R, T>,
    parent: Parent,
    state: &AppState,
    call: &ListCall,
    path: web::Path<String>,
    rid: &RequestId,
) -> ApiResult<HttpResponse>
where
    Q: ListQuery<R>,
    R: Send + 'static,
    T: Serialize,
{
    let uuid = path_id(path.into_inner())?;
    let mut query = list.parse(&state.clock, call)?;
    let (filter, value) = parent.pin(state, &call.caller, uuid, rid).await?;
    query.pin(filter, value);
    list.answer(&state.db, &state.clock, call, &query).await
}
