//! Exposes a [`Connector`] at its contract URLs. Only the platform's token for this very
//! connector (role `service`, audience `payserver-connector:<C::NAME>`) is accepted: a token
//! the platform gave another connector does not work here.
//!
//! ```ignore
//! App::new().app_data(web::Data::new(MyConnector::new(...))).configure(server::configure::<MyConnector>)
//! ```

use actix_web::{HttpResponse, web};
use payserver_shared::ApiResult;
use payserver_shared::auth::{Caller, Scope};

use crate::types::*;
use crate::{Connector, ConnectorError};

/// The largest amount the platform accepts (API.md A.1): 10^12 fen.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000;

pub fn configure<C: Connector>(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/connector/pay").route(web::post().to(pay::<C>)))
        .service(web::resource("/connector/refund").route(web::post().to(refund::<C>)))
        .service(web::resource("/connector/checkEnv").route(web::post().to(check_env::<C>)))
        .service(web::resource("/connector/query").route(web::post().to(query::<C>)));
}

/// The caller is the platform calling this connector.
fn require_platform<C: Connector>(caller: &Caller) -> ApiResult<()> {
    match &caller.scope {
        Scope::ConnectorCall(name) if name == C::NAME => Ok(()),
        _ => Err(payserver_shared::ApiError::forbidden(
            "this route takes only the platform's credential for this connector",
        )),
    }
}

fn check_amount(name: &str, amount: i64) -> Result<(), ConnectorError> {
    if amount <= 0 || amount > MAX_AMOUNT {
        return Err(ConnectorError::BadRequest(format!(
            "{name} must be between 1 and {MAX_AMOUNT} fen"
        )));
    }
    Ok(())
}

fn check_serial(name: &str, s: &str) -> Result<(), ConnectorError> {
    if s.is_empty() || s.len() > 64 {
        return Err(ConnectorError::BadRequest(format!("{name} must be 1-64 characters")));
    }
    Ok(())
}

/// What every contract route does: only the platform's credential for this connector, then
/// the request's own checks, then the connector's call, whose answer is the JSON body.
async fn answer<C: Connector, R, T: serde::Serialize, F: Future<Output = Result<T, ConnectorError>>>(
    caller: &Caller,
    body: web::Json<R>,
    check: impl FnOnce(&R) -> Result<(), ConnectorError>,
    call: impl FnOnce(R) -> F,
) -> ApiResult<HttpResponse> {
    require_platform::<C>(caller)?;
    let req = body.into_inner();
    check(&req)?;
    Ok(HttpResponse::Ok().json(call(req).await?))
}

async fn pay<C: Connector>(caller: Caller, body: web::Json<PayRequest>, c: web::Data<C>) -> ApiResult<HttpResponse> {
    let check = |req: &PayRequest| {
        check_amount("payAmount", req.pay_amount)?;
        check_serial("tractionNo", &req.traction_no)?;
        check_serial("merchantUUID", &req.merchant_uuid)
    };
    answer::<C, _, _, _>(&caller, body, check, |req| {
        let span = tracing::info_span!("connector pay", traction_no = %req.traction_no);
        tracing::Instrument::instrument(c.pay(req), span)
    })
    .await
}

async fn refund<C: Connector>(
    caller: Caller,
    body: web::Json<RefundRequest>,
    c: web::Data<C>,
) -> ApiResult<HttpResponse> {
    let check = |req: &RefundRequest| {
        check_amount("refundAmount", req.refund_amount)?;
        check_amount("payAmount", req.pay_amount)?;
        if req.refund_amount > req.pay_amount {
            return Err(ConnectorError::BadRequest("refundAmount exceeds payAmount".into()));
        }
        check_serial("tractionNo", &req.traction_no)?;
        check_serial("payTractionNo", &req.pay_traction_no)
    };
    answer::<C, _, _, _>(&caller, body, check, |req| {
        let span = tracing::info_span!("connector refund", traction_no = %req.traction_no);
        tracing::Instrument::instrument(c.refund(req), span)
    })
    .await
}

async fn check_env<C: Connector>(
    caller: Caller,
    body: web::Json<CheckEnvRequest>,
    c: web::Data<C>,
) -> ApiResult<HttpResponse> {
    let check = |req: &CheckEnvRequest| check_serial("merchantUUID", &req.merchant_uuid);
    answer::<C, _, _, _>(&caller, body, check, |req| c.check_env(req)).await
}

async fn query<C: Connector>(
    caller: Caller,
    body: web::Json<QueryRequest>,
    c: web::Data<C>,
) -> ApiResult<HttpResponse> {
    let check = |req: &QueryRequest| check_serial("tractionNo", &req.traction_no);
    answer::<C, _, _, _>(&caller, body, check, |req| c.query(req)).await
}

impl From<ConnectorError> for actix_web::Error {
    fn from(e: ConnectorError) -> Self {
        payserver_shared::ApiError::from(e).into()
    }
}
