//! `/payModeTemplates` and `/registerPayModeTemplate`, and the same reads under `/internal/v1`.

use actix_web::{HttpResponse, web};
use payserver_shared::auth::{Caller, Role};
use payserver_shared::collection::Collection;
use payserver_shared::href::BaseUrl;
use payserver_shared::http::endpoint;
use payserver_shared::listing::ListCall;
use payserver_shared::path::{UuidPath, path_id};
use payserver_shared::{ApiError, ApiResult};

use super::view::TemplateView;
use crate::db::repo;
use crate::db::templates::{self, TEMPLATES};
use crate::domain::RegisterRequest;
use crate::startup::AppState;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(endpoint("/payModeTemplates").get(list))
        .service(endpoint("/payModeTemplates/{uuid}").get(get))
        .service(endpoint("/registerPayModeTemplate").post(register));
}

/// Who may read templates: merchants and admins on the public routes, the platform's services
/// on the internal ones (the `Caller` extractor has already matched the token's scope to the
/// path, so a `service` role can only be present here on `/internal`). Connector credentials
/// and role-less tokens read nothing.
fn may_read(caller: &Caller) -> ApiResult<()> {
    caller.require_merchant_or_privileged()
}

payserver_shared::list_params!(
    /// The query parameters of `GET /payModeTemplates`, from [`TEMPLATES`].
    pub(crate) TemplateListParams, TEMPLATES
);

payserver_shared::tagged_routes! {
    "payModeTemplates";
    get "/api/v1.0.0/payModeTemplates", "listPayModeTemplates", "List templates" {
        description = "Any authenticated caller. The seven built-in templates of the seed exist from the first start.",
        params(TemplateListParams),
        responses((status = 200, description = "OK", body = Collection<TemplateView>))
    }
    #[tracing::instrument(skip_all)]
    pub(crate) async fn list(call: ListCall, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
        may_read(&call.caller)?;
        let query = call.parse(&TEMPLATES, &state.clock)?;
        let view = |row| TemplateView::new(row, &call.base, &state.clock);
        call.answer(&TEMPLATES, &state.db, templates::all, &query, view).await
    }

    get "/api/v1.0.0/payModeTemplates/{uuid}", "getPayModeTemplate", "Get a template" {
        params(UuidPath),
        responses(
            (status = 200, description = "OK", body = TemplateView),
            (status = 404, description = "Unknown resource (another merchant's answers alike).", body = ApiError),
        )
    }
    #[tracing::instrument(skip_all, fields(uuid = %path))]
    pub(crate) async fn get(
        caller: Caller,
        path: web::Path<String>,
        base: BaseUrl,
        state: web::Data<AppState>,
    ) -> ApiResult<HttpResponse> {
        may_read(&caller)?;
        let uuid = path_id(path.into_inner())?;
        let row = state
            .db
            .run(move |conn| repo::by_uuid(conn, &uuid))
            .await
            .map_err(ApiError::from)?;
        Ok(HttpResponse::Ok().json(TemplateView::new(row, &base, &state.clock)))
    }

    /// Upsert by `payTemplateId`: 201 when created, 200 when updated. Admin only.
    post "/api/v1.0.0/registerPayModeTemplate", "registerPayModeTemplate", "Register (create or update) a template" {
        description = "Admin only (403 otherwise). Upsert by `payTemplateId`: 201 created, 200 updated.",
        request_body = RegisterRequest,
        responses(
            (status = 200, description = "Updated (a template with this payTemplateId existed).", body = TemplateView),
            (status = 201, description = "Created.", body = TemplateView),
            (status = 409, description = "Conflicts with what exists (a reused idempotency key with a different request, a duplicate).", body = ApiError),
        )
    }
    #[tracing::instrument(skip_all)]
    pub(crate) async fn register(
        caller: Caller,
        body: web::Json<RegisterRequest>,
        base: BaseUrl,
        state: web::Data<AppState>,
    ) -> ApiResult<HttpResponse> {
        caller.require(Role::Admin)?;
        let patch = body.into_inner().validate().map_err(ApiError::from)?;
        let now = payserver_shared::time::now_ms();
        let (row, created) = state
            .db
            .run(move |conn| repo::register(conn, &patch, now))
            .await
            .map_err(ApiError::from)?;
        tracing::info!(pay_template_id = %row.pay_template_id, created, "template registered");
        let view = TemplateView::new(row, &base, &state.clock);
        Ok(if created {
            HttpResponse::Created().json(view)
        } else {
            HttpResponse::Ok().json(view)
        })
    }
}
