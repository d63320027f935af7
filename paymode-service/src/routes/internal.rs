//! Internal reads for other services: payorder-service looks a mode up here on every pay (it
//! caches nothing, so closing a mode or disabling its template refuses the very next pay).
//! Served under `/internal/v1`, which the gateway never forwards, and only to internal service
//! tokens (the `Caller` extractor admits nothing else on `/internal`).

use actix_web::{HttpResponse, web};
use payserver_shared::auth::{Caller, Role};
use payserver_shared::href::BaseUrl;
use payserver_shared::http::{RequestId, endpoint};
use payserver_shared::path::path_id;
use payserver_shared::{ApiError, ApiResult};
use serde::Serialize;

use super::view::PayModeView;
use crate::domain::TemplateStatus;
use crate::flows;
use crate::startup::AppState;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(endpoint("/payModes/{uuid}").get(get));
}

/// A pay mode of any merchant: its public JSON (with `merchantUUID`, `isOpened`, `isOnline`,
/// `payUrl`, ...) plus whether it may take a pay now.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PayModeNow {
    #[serde(flatten)]
    mode: PayModeView,
    /// For a mode opened from a template, the template's status at this moment: `enabled`,
    /// `disabled`, or `missing` (template-service no longer knows it); `null` for a custom
    /// mode.
    template_status: Option<TemplateStatus>,
    /// `isOpened` 1, payable (an online mode has a payUrl) and the template, if any, enabled.
    usable: bool,
}

#[tracing::instrument(skip_all, fields(uuid = %path))]
async fn get(
    caller: Caller,
    path: web::Path<String>,
    base: BaseUrl,
    rid: RequestId,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    caller.require(Role::Service)?;
    let uuid = path_id(path.into_inner())?;
    let (row, template_status) = flows::mode_now(&state, uuid, Some(&rid))
        .await
        .map_err(ApiError::from)?;
    let usable = row.data().usable(template_status);
    Ok(HttpResponse::Ok().json(PayModeNow {
        mode: PayModeView::new(row, &base, &state.clock),
        template_status,
        usable,
    }))
}
