//! The steps that combine the database with other services: opening a pay mode (template
//! lookup, checkEnvUrl, insert), `listAllPayModes`, and the templates embedded by `expand`.
//! Handlers call these; the rules themselves live in `domain`.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use payserver_shared::ApiError;
use payserver_shared::auth::Caller;
use payserver_shared::collection::OrderBy;
use payserver_shared::http::RequestId;
use payserver_shared::listing::ListRequest;

use crate::db::models::PayModeRow;
use crate::db::repo::{self, NewRow};
use crate::domain::check_env::{CheckEnvRequest, judge};
use crate::domain::connector_urls::keep_template_urls;
use crate::domain::listing::sort_templates;
use crate::domain::paymode::NewKind;
use crate::domain::{NewPayMode, Template, TemplateStatus};
use crate::error::Error;
use crate::startup::AppState;
use crate::upstream::{TemplateEntry, check_env};

/// The `merchant.href` of a new mode: the `merchantHref` given, else the token's own
/// `merchantHref` claim when the mode is for the token's own merchant, else none.
fn merchant_href(caller: &Caller, merchant: &str, given: Option<String>) -> Option<String> {
    given.or_else(|| {
        (caller.merchant_uuid.as_deref() == Some(merchant))
            .then(|| caller.merchant_href.clone())
            .flatten()
    })
}

/// Opens a pay mode (`POST /payModes`). Nothing is written unless every check passed: a
/// custom mode's connector URLs lie under the allowed prefixes (400); the template exists
/// (404), can be opened now (9003; read fresh, never from the display cache), the body does
/// not try to change its connector URLs (400), the merchant has not opened it yet (409; the
/// unique index decides races) and its checkEnvUrl, if any, answered `ret: true` (9001).
pub async fn open(
    state: &AppState,
    caller: &Caller,
    new: NewPayMode,
    rid: Option<&RequestId>,
) -> Result<PayModeRow, Error> {
    let merchant = caller.acting_merchant(new.named_merchant.as_deref())?;
    let href = merchant_href(caller, &merchant, new.merchant_href);
    let (pay_template_id, template_uuid, data) = match new.kind {
        NewKind::Custom(data) => {
            state.urls.check_all(&data)?;
            (None, None, data)
        }
        NewKind::FromTemplate {
            pay_template_id,
            overrides,
        } => {
            let entry = state
                .templates
                .current_by_pay_template_id(&pay_template_id, rid)
                .await?
                .ok_or_else(|| ApiError::not_found(format!("payTemplateId:{pay_template_id} not found")))?;
            let template = &entry.template;
            template.check_usable()?;
            let data = template.open(&overrides);
            keep_template_urls(&overrides, &data)?;
            // Answer a repeated opening before bothering the connector; the insert below still
            // relies on the unique index, not on this read.
            let (m, id) = (merchant.clone(), pay_template_id.clone());
            if state.db.run(move |conn| repo::has_opened(conn, &m, &id)).await? {
                return Err(Error::AlreadyOpened(format!(
                    "payTemplateId:{pay_template_id} is already opened for merchant {merchant}"
                )));
            }
            if let Some(url) = template.check_env_url() {
                let body = CheckEnvRequest {
                    merchant_uuid: &merchant,
                    pay_template_id: &pay_template_id,
                };
                let outcome = check_env::call(state.templates.service_client(), &state.trusted, &url, &body, rid).await;
                judge(&pay_template_id, &outcome)?;
            }
            (
                Some(template.pay_template_id.clone()),
                Some(template.uuid.clone()),
                data,
            )
        }
    };
    let row = NewRow {
        uuid: payserver_shared::ids::new_uuid(),
        merchant_uuid: merchant,
        merchant_href: href,
        pay_template_id,
        template_uuid,
        data,
    };
    let now = payserver_shared::time::now_ms();
    let created = state.db.run(move |conn| repo::insert(conn, &row, now)).await?;
    tracing::info!(uuid = %created.uuid, merchant = %created.merchant_uuid, pay_template_id = ?created.pay_template_id, "pay mode opened");
    Ok(created)
}

/// A mode as a pay must judge it now (the internal read payorder-service makes on every pay):
/// the row (one lookup by its unique uuid) and, for a template-based mode, its template's
/// status asked of template-service at this moment (one internal call, never cached).
///
/// Asking at pay time is the simplest way to make disabling a template refuse pays at once on
/// every replica: nothing needs keeping in sync, and a template-service that cannot be asked
/// fails the read (5xx) rather than letting a possibly disabled template take the pay.
pub async fn mode_now(
    state: &AppState,
    uuid: String,
    rid: Option<&RequestId>,
) -> Result<(PayModeRow, Option<TemplateStatus>), Error> {
    let row = state.db.run(move |conn| repo::by_uuid(conn, &uuid, None)).await?;
    let template = match (&row.template_uuid, &row.pay_template_id) {
        (Some(uuid), _) => Some(state.templates.find_by_uuid(uuid, rid).await?),
        (None, Some(id)) => Some(
            state
                .templates
                .current_by_pay_template_id(id, rid)
                .await?
                .map(|e| e.template.clone()),
        ),
        (None, None) => None,
    };
    let status = template.map(|t| t.map_or(TemplateStatus::Missing, |t| t.status));
    Ok((row, status))
}

/// `listAllPayModes`: the merchant's modes, then the enabled templates it has not opened, each
/// group in the requested order (`listing` for the modes, `order` the same for the templates).
pub async fn list_all(
    state: &AppState,
    merchant: String,
    order: Option<OrderBy<'static>>,
    listing: ListRequest,
    rid: Option<&RequestId>,
) -> Result<(Vec<PayModeRow>, Vec<Template>), Error> {
    let modes = state
        .db
        .run(move |conn| repo::all_of_merchant(conn, &merchant, &listing))
        .await?;
    let opened: HashSet<&str> = modes.iter().filter_map(|m| m.pay_template_id.as_deref()).collect();
    let mut unopened: Vec<Template> = state
        .templates
        .enabled(rid)
        .await?
        .into_iter()
        .filter(|t| !opened.contains(t.pay_template_id.as_str()))
        .collect();
    sort_templates(&mut unopened, order);
    Ok((modes, unopened))
}

/// The templates of these modes, by `payTemplateId`, for `expand=payModeTemplate`. A template
/// that cannot be found is left out (its mode keeps the plain link).
pub async fn templates_of(
    state: &AppState,
    rows: &[PayModeRow],
    rid: Option<&RequestId>,
) -> Result<HashMap<String, Arc<TemplateEntry>>, Error> {
    let mut found = HashMap::new();
    for id in rows.iter().filter_map(|r| r.pay_template_id.as_deref()) {
        if found.contains_key(id) {
            continue;
        }
        if let Some(entry) = state.templates.by_pay_template_id(id, rid).await? {
            found.insert(id.to_string(), entry);
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use payserver_shared::auth::Role;

    #[test]
    fn the_merchant_href_is_the_given_one_else_the_tokens_for_its_own_merchant() {
        let merchant = Caller {
            subject: "u".into(),
            merchant_uuid: Some("m1".into()),
            merchant_href: Some("http://shop/m1".into()),
            roles: vec![Role::Merchant],
            ..Default::default()
        };
        assert_eq!(merchant_href(&merchant, "m1", None).as_deref(), Some("http://shop/m1"));
        assert_eq!(
            merchant_href(&merchant, "m1", Some("http://given/m1".into())).as_deref(),
            Some("http://given/m1")
        );
        let admin = Caller {
            roles: vec![Role::Admin],
            ..merchant
        };
        assert_eq!(merchant_href(&admin, "m2", None), None, "not the admin's own shop link");
    }
}
