//! `/payModes`, `/payModes/{uuid}`, `/listAllPayModes` and `/payModeTemplates/{uuid}/payModes`.
//!
//! Every route here is a merchant route: it needs the `merchant` or `admin` role (connector
//! credentials and role-less tokens get 403), and every `{uuid}` goes through `path_id` (an id
//! with a slash, backslash or dot segment is unknown: 404).

use actix_web::{HttpResponse, web};
use payserver_shared::auth::Caller;
use payserver_shared::collection::{Collection, OrderBy};
use payserver_shared::created::created;
use payserver_shared::href::BaseUrl;
use payserver_shared::http::{RequestId, endpoint};
use payserver_shared::listing::ListCall;
use payserver_shared::params::Params;
use payserver_shared::path::{UuidPath, path_id};
use payserver_shared::{ApiError, ApiResult};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::{ObjectBuilder, Required, Type};

use super::view::{CreatedItem, ListAll, ListAllItem, PayModeView, UnopenedItem};
use crate::db::models::PayModeRow;
use crate::db::pay_modes::{self, PAY_MODES};
use crate::db::repo;
use crate::domain::PayModeRequest;
use crate::domain::listing::{EXPANDABLE, expand_template};
use crate::error::Error;
use crate::flows;
use crate::startup::AppState;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(endpoint("/payModes").get(list).post(create))
        .service(endpoint("/payModes/{uuid}").get(get).put(update).delete(delete))
        .service(endpoint("/listAllPayModes").get(list_all))
        .service(endpoint("/payModeTemplates/{uuid}/payModes").get(list_of_template));
}

/// Doc-only: the query parameters of the pay mode lists, from [`PAY_MODES`], and `expand`.
pub(crate) struct PayModeListParams;

impl utoipa::IntoParams for PayModeListParams {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let mut params = PAY_MODES.parameters();
        params.push(expand_param());
        params
    }
}

/// Doc-only: `expand` of `GET /payModes/{uuid}`.
pub(crate) struct ExpandParam;

impl utoipa::IntoParams for ExpandParam {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![expand_param()]
    }
}

/// Doc-only: the query parameters of `listAllPayModes` (not paged, not filtered).
pub(crate) struct ListAllParams;

impl utoipa::IntoParams for ListAllParams {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let read = ["merchantUUID", "merchantHref", "orderBy"];
        PAY_MODES
            .parameters()
            .into_iter()
            .filter(|p| read.contains(&p.name.as_str()))
            .collect()
    }
}

/// Doc-only: the 404 of a route that addresses one resource.
#[derive(utoipa::IntoResponses)]
#[response(status = 404, description = "Unknown resource (another merchant's answers alike).")]
pub(crate) struct NotFound(#[expect(dead_code, reason = "only its schema is read")] ApiError);

fn expand_param() -> Parameter {
    ParameterBuilder::new()
        .name("expand")
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some("`payModeTemplate` embeds the template in place of its link."))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(EXPANDABLE)),
        ))
        .build()
}

/// The merchant whose modes a caller may address by uuid: `None` for admins and services (all).
/// A caller that is neither privileged nor bound to a merchant sees nothing: every uuid is a 404.
fn owner(caller: &Caller) -> ApiResult<Option<String>> {
    if caller.is_privileged() {
        return Ok(None);
    }
    caller
        .merchant_uuid
        .clone()
        .map(Some)
        .ok_or_else(|| Error::NotFound.into())
}

/// For a merchant or admin caller, the uuid of the mode a route addresses and the merchant
/// whose modes the caller may address ([`owner`]).
fn addressed(caller: &Caller, path: web::Path<String>) -> ApiResult<(String, Option<String>)> {
    caller.require_merchant_or_admin()?;
    Ok((path_id(path.into_inner())?, owner(caller)?))
}

/// Views of rows, with their templates embedded when `expand=payModeTemplate`.
async fn views(
    rows: Vec<PayModeRow>,
    expand: bool,
    base: &BaseUrl,
    state: &AppState,
    rid: &RequestId,
) -> ApiResult<Vec<PayModeView>> {
    let templates = if expand {
        flows::templates_of(state, &rows, Some(rid)).await?
    } else {
        Default::default()
    };
    Ok(rows
        .into_iter()
        .map(|r| {
            let entry = r.pay_template_id.as_deref().and_then(|id| templates.get(id)).cloned();
            let mut view = PayModeView::new(r, base, &state.clock);
            if let Some(entry) = entry {
                view.embed_template(&entry.raw, base);
            }
            view
        })
        .collect())
}

/// A page of modes for the list endpoints: scope, filters, order, paging and expand; only the
/// modes opened from `template_uuid` when given.
async fn page_of(
    call: &ListCall,
    template_uuid: Option<String>,
    state: &AppState,
    rid: &RequestId,
) -> ApiResult<HttpResponse> {
    let query = call.parse(&PAY_MODES, &state.clock)?;
    let expand = expand_template(call.params.str("expand")).map_err(ApiError::from)?;
    let base = move || match &template_uuid {
        Some(uuid) => pay_modes::of_template(uuid),
        None => pay_modes::all(),
    };
    let (size, rows) = PAY_MODES.page(&state.db, base, &query).await?;
    let items = views(rows, expand, &call.base, state, rid).await?;
    Ok(call.respond(&query, size, items))
}

payserver_shared::tagged_routes! {
    "payModes";
    get "/api/v1.0.0/payModes", "listPayModes", "List a merchant's pay modes" {
        params(PayModeListParams),
        responses((status = 200, description = "OK", body = Collection<PayModeView>))
    }
    #[tracing::instrument(skip_all)]
    pub(crate) async fn list(call: ListCall, rid: RequestId, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
        call.caller.require_merchant_or_admin()?;
        page_of(&call, None, &state, &rid).await
    }

    /// `GET /payModeTemplates/{uuid}/payModes`: 404 when template-service does not know the uuid.
    get "/api/v1.0.0/payModeTemplates/{uuid}/payModes", "listPayModesOfTemplate", "List the pay modes opened from a template" {
        params(UuidPath, PayModeListParams),
        responses(
            (status = 200, description = "OK", body = Collection<PayModeView>),
            NotFound,
        )
    }
    #[tracing::instrument(skip_all, fields(template = %path))]
    pub(crate) async fn list_of_template(
        call: ListCall,
        path: web::Path<String>,
        rid: RequestId,
        state: web::Data<AppState>,
    ) -> ApiResult<HttpResponse> {
        call.caller.require_merchant_or_admin()?;
        let template = state
            .templates
            .by_uuid(&path_id(path.into_inner())?, Some(&rid))
            .await?;
        page_of(&call, Some(template.uuid), &state, &rid).await
    }

    post "/api/v1.0.0/payModes", "openPayMode", "Open a pay mode" {
        description = "From a template (`payTemplateId`; 404 when unknown) or fully custom. When the template has a `checkEnvUrl` it is called first; a refusal or failure is a 500/9001 and nothing is created. A disabled template is 9003. Opening the same template twice for one merchant is a 409.",
        request_body = PayModeRequest,
        responses(
            (status = 201, description = "Created.", body = PayModeView,
                headers(("Location" = String, description = "The new resource's href."))),
            NotFound,
            (status = 409, description = "Conflicts with what exists (a reused idempotency key with a different request, a duplicate).", body = ApiError),
            (status = 500, description = "A business rule refused the request (HTTP 500 with `code` >= 9000, as in the seed): 9001 (check env failed: the template's checkEnvUrl refused the merchant, failed or timed out); 9003 (pay mode or template unusable (disabled, online without payUrl)); or an unexpected error (5000).", body = ApiError,
                example = json!({"name": "create paymode error", "statusCode": 500, "code": 9001, "message": "check env failed: the template's checkEnvUrl refused the merchant, failed or timed out", "description": "check env failed: the template's checkEnvUrl refused the merchant, failed or timed out"})),
        )
    }
    #[tracing::instrument(skip_all)]
    pub(crate) async fn create(
        caller: Caller,
        body: web::Json<PayModeRequest>,
        base: BaseUrl,
        rid: RequestId,
        state: web::Data<AppState>,
    ) -> ApiResult<HttpResponse> {
        caller.require_merchant_or_admin()?;
        let new = body.into_inner().into_new().map_err(ApiError::from)?;
        let row = flows::open(&state, &caller, new, Some(&rid))
            .await
            .map_err(ApiError::from)?;
        let view = PayModeView::new(row, &base, &state.clock);
        Ok(created(&view.href, &view))
    }

    get "/api/v1.0.0/payModes/{uuid}", "getPayMode", "Get a pay mode" {
        params(UuidPath, ExpandParam),
        responses(
            (status = 200, description = "OK", body = PayModeView),
            NotFound,
        )
    }
    #[tracing::instrument(skip_all, fields(uuid = %path))]
    pub(crate) async fn get(
        caller: Caller,
        path: web::Path<String>,
        params: Params,
        base: BaseUrl,
        rid: RequestId,
        state: web::Data<AppState>,
    ) -> ApiResult<HttpResponse> {
        caller.require_merchant_or_admin()?;
        let expand = expand_template(params.str("expand")).map_err(ApiError::from)?;
        let (uuid, owner) = (path_id(path.into_inner())?, owner(&caller)?);
        let row = state
            .run(move |conn| repo::by_uuid(conn, &uuid, owner.as_deref()))
            .await?;
        let view = views(vec![row], expand, &base, &state, &rid)
            .await?
            .pop()
            .expect("one row, one view");
        Ok(HttpResponse::Ok().json(view))
    }

    /// Changes the fields given; `payTemplateId` and `merchantUUID` cannot change.
    put "/api/v1.0.0/payModes/{uuid}", "updatePayMode", "Update a pay mode" {
        description = "The fields given change, the others stay; `payTemplateId` and the merchant cannot change (400).",
        params(UuidPath),
        request_body = PayModeRequest,
        responses(
            (status = 200, description = "OK", body = PayModeView),
            NotFound,
        )
    }
    #[tracing::instrument(skip_all, fields(uuid = %path))]
    pub(crate) async fn update(
        caller: Caller,
        path: web::Path<String>,
        body: web::Json<PayModeRequest>,
        base: BaseUrl,
        state: web::Data<AppState>,
    ) -> ApiResult<HttpResponse> {
        let (uuid, owner) = addressed(&caller, path)?;
        let update = body.into_inner().into_update().map_err(ApiError::from)?;
        let now = payserver_shared::time::now_ms();
        let urls = state.urls.clone();
        let row = state
            .run(move |conn| repo::update(conn, &uuid, owner.as_deref(), &update, &urls, now))
            .await?;
        Ok(HttpResponse::Ok().json(PayModeView::new(row, &base, &state.clock)))
    }

    /// Deletes the mode (204), unless it has pay orders: then it is closed instead (`isOpened` 0)
    /// and answered with 200 and the mode, so orders keep a mode to point at (API.md A.3).
    delete "/api/v1.0.0/payModes/{uuid}", "deletePayMode", "Delete (or close) a pay mode" {
        params(UuidPath),
        responses(
            (status = 204, description = "Deleted."),
            (status = 200, description = "The mode has pay orders: it was closed instead (`isOpened` 0).", body = PayModeView),
            NotFound,
        )
    }
    #[tracing::instrument(skip_all, fields(uuid = %path))]
    pub(crate) async fn delete(
        caller: Caller,
        path: web::Path<String>,
        base: BaseUrl,
        rid: RequestId,
        state: web::Data<AppState>,
    ) -> ApiResult<HttpResponse> {
        let (uuid, owner) = addressed(&caller, path)?;
        let (u, o) = (uuid.clone(), owner.clone());
        state.run(move |conn| repo::by_uuid(conn, &u, o.as_deref())).await?;
        if state.pay_orders.has_orders(&uuid, &rid).await? {
            let now = payserver_shared::time::now_ms();
            let row = state
                .run(move |conn| repo::close(conn, &uuid, owner.as_deref(), now))
                .await?;
            return Ok(HttpResponse::Ok().json(PayModeView::new(row, &base, &state.clock)));
        }
        state
            .run(move |conn| repo::delete(conn, &uuid, owner.as_deref()))
            .await?;
        Ok(HttpResponse::NoContent().finish())
    }

    /// `{size, items}`: the merchant's modes (`hasCreated: 1`), then the enabled templates it has
    /// not opened (`hasCreated: 0`, no `uuid`).
    get "/api/v1.0.0/listAllPayModes", "listAllPayModes", "The merchant's modes and the templates it has not opened" {
        params(ListAllParams),
        responses((status = 200, description = "OK", body = ListAll))
    }
    #[tracing::instrument(skip_all)]
    pub(crate) async fn list_all(
        caller: Caller,
        params: Params,
        base: BaseUrl,
        rid: RequestId,
        state: web::Data<AppState>,
    ) -> ApiResult<HttpResponse> {
        caller.require_merchant_or_admin()?;
        let sorts = PAY_MODES.sort_names();
        let order = OrderBy::parse(params.str("orderBy"), &sorts)?;
        // Unpaged and unfiltered: only `orderBy` is read (and the merchant, below).
        let order_only = params.str("orderBy").map(|v| ("orderBy".to_string(), v.to_string()));
        let listing = PAY_MODES.parse(&Params::from_pairs(order_only), &state.clock)?;
        let merchant = caller.acting_merchant(params.named_merchant()?.as_deref())?;
        let (modes, unopened) = flows::list_all(&state, merchant.clone(), order, listing, Some(&rid))
            .await
            .map_err(ApiError::from)?;
        let created = modes.into_iter().map(|r| {
            ListAllItem::Created(Box::new(CreatedItem {
                mode: PayModeView::new(r, &base, &state.clock),
                has_created: 1,
            }))
        });
        let unopened = unopened
            .into_iter()
            .map(|t| ListAllItem::Unopened(Box::new(UnopenedItem::new(t, &merchant, &base))));
        let items: Vec<ListAllItem> = created.chain(unopened).collect();
        Ok(HttpResponse::Ok().json(ListAll {
            size: items.len(),
            items,
        }))
    }
}
