//! The connector contract over the Alipay open API.
//!
//! - `pay`: `alipay.trade.pay` with `scene=bar_code`. `10000` (or `40004
//!   ACQ.TRADE_HAS_SUCCESS`) answers `success`; a definite refusal answers `failed` with
//!   Alipay's reason; `10003`, `20000`, `ACQ.SYSTEM_ERROR`, no answer or an answer whose
//!   signature does not verify leave the trade pending and answer `running` at once — the
//!   contract call is never held for the 25 s a customer may take. The [`crate::worker`]
//!   finishes it: `alipay.trade.query` every `query_interval_ms` for `query_budget_ms`, then
//!   `alipay.trade.cancel` (retried while Alipay says so); a cancelled trade ends `failed`.
//! - `refund`: `alipay.trade.refund` with `out_request_no` = the refund tractionNo, confirmed by
//!   `alipay.trade.fastpay.refund.query` when the answer is not conclusive.
//! - `query`: the recorded state. `checkEnv`: true only with keys and the merchant's
//!   `app_auth_token`.
//!
//! Every operation is idempotent by tractionNo: the first request inserts the trade (UNIQUE
//! tractionNo), a repeated one answers what is recorded and calls nobody.

use std::sync::Arc;

use connector_contract::shared::db::Database;
use connector_contract::shared::ids::new_uuid;
use connector_contract::shared::time::{Clock, now_ms};
use connector_contract::{
    CheckEnvAnswer, CheckEnvRequest, Connector, ConnectorError, PayRequest, QueryRequest, RefundRequest, Ret,
    TradeAnswer,
};
use serde_json::{Value, json};

use crate::config::AlipaySettings;
use crate::db::repo::{self, Step};
use crate::db::schema::{NewTrade, TradeRow};
use crate::domain::answer::{Paid, PayDecision, RefundDecision, Refunded, after_pay, after_refund, after_refund_query};
use crate::domain::{Kind, Phase, Status, code, yuan};
use crate::error::Error;
use crate::gateway::{Gateway, Reply, beijing};

pub struct Inner {
    pub db: Database,
    pub gateway: Gateway,
    pub settings: AlipaySettings,
    /// Renders times for the contract (the display offset).
    pub clock: Clock,
    /// The runtime that built the application: background work and detached calls run there,
    /// not on an HTTP worker's runtime, which ends with the worker.
    pub runtime: tokio::runtime::Handle,
}

/// The connector; cheap to clone (the background worker holds clones).
#[derive(Clone)]
pub struct AlipayConnector(pub(crate) Arc<Inner>);

/// An outcome to record.
pub(crate) enum Final {
    Success {
        trade_no: Option<String>,
        at: Option<String>,
    },
    Failed(String),
}

/// Alipay says the pay went through.
impl From<Paid> for Final {
    fn from(p: Paid) -> Self {
        Final::Success {
            trade_no: p.trade_no,
            at: p.paid_at,
        }
    }
}

/// Alipay says the refund was made.
impl From<Refunded> for Final {
    fn from(r: Refunded) -> Self {
        Final::Success {
            trade_no: r.trade_no,
            at: r.refunded_at,
        }
    }
}

/// What a pay or refund asks for, before anything is recorded of it.
struct Asked<'a> {
    kind: Kind,
    traction_no: &'a str,
    merchant: &'a str,
    /// The pay's `out_trade_no` at Alipay (for a refund: the pay's tractionNo).
    out_trade_no: &'a str,
    amount: i64,
}

impl Asked<'_> {
    /// The trade created at `now` and already decided: failed, nothing left to do, leased to
    /// nobody. A pending trade is one with a schedule and a lease instead.
    fn decided(&self, now: i64) -> NewTrade {
        NewTrade {
            traction_no: self.traction_no.to_string(),
            kind: self.kind,
            merchant_uuid: self.merchant.to_string(),
            out_trade_no: self.out_trade_no.to_string(),
            trade_no: None,
            amount: self.amount,
            auth_code_masked: None,
            status: Status::Failed,
            phase: Phase::Done,
            reason: None,
            finished_at: None,
            attempts: 0,
            query_until: now,
            next_at: now,
            lease_owner: None,
            lease_until: 0,
            created_at: now,
            modified_at: now,
        }
    }
}

impl AlipayConnector {
    /// Must be called inside the Tokio runtime that should run the background work.
    pub fn new(db: Database, gateway: Gateway, settings: AlipaySettings, clock: Clock) -> Self {
        Self(Arc::new(Inner {
            db,
            gateway,
            settings,
            clock,
            runtime: tokio::runtime::Handle::current(),
        }))
    }

    pub(crate) fn inner(&self) -> &Inner {
        &self.0
    }

    /// How long the pay handler or the worker holds a trade for one step: the step's calls and some slack.
    pub(crate) fn lease_ms(&self) -> i64 {
        (self.0.settings.request_timeout_ms as i64) * 3 + 5_000
    }

    pub(crate) fn interval_ms(&self) -> i64 {
        self.0.settings.query_interval_ms.max(1) as i64
    }

    pub(crate) async fn load(&self, traction_no: &str) -> Result<Option<TradeRow>, Error> {
        let t = traction_no.to_string();
        self.0.db.run(move |conn| repo::trade(conn, &t)).await
    }

    /// The merchant's app_auth_token, if any.
    pub(crate) async fn token(&self, merchant_uuid: &str) -> Result<Option<String>, Error> {
        let m = merchant_uuid.to_string();
        Ok(self
            .0
            .db
            .run(move |conn| repo::merchant(conn, &m))
            .await?
            .map(|r| r.app_auth_token))
    }

    /// The contract answer for a recorded trade.
    pub(crate) fn answer(&self, row: &TradeRow) -> TradeAnswer {
        let (ret, reason, finished) = match row.status {
            Status::Success => (Ret::Success, None, self.0.clock.render_opt(row.finished_at)),
            Status::Failed => (Ret::Failed, row.reason.clone(), None),
            Status::Pending => (Ret::Running, None, None),
        };
        TradeAnswer {
            traction_no: row.traction_no.clone(),
            ret,
            third_order_no: row.trade_no.clone(),
            third_error_reason: reason,
            trade_finished_at: finished,
        }
    }

    /// Records the outcome of a pending trade and answers with what is recorded (another
    /// process may have finished it first).
    pub(crate) async fn finish(&self, row: &TradeRow, outcome: Final) -> Result<TradeAnswer, Error> {
        let now = now_ms();
        let traction = row.traction_no.clone();
        let (status, trade_no, reason, at) = match outcome {
            Final::Success { trade_no, at } => {
                let at = at.and_then(|s| beijing().parse_filter(&s)).unwrap_or(now);
                (
                    Status::Success,
                    trade_no.or_else(|| row.trade_no.clone()),
                    None,
                    Some(at),
                )
            }
            Final::Failed(why) => (Status::Failed, row.trade_no.clone(), Some(why), None),
        };
        tracing::info!(traction_no = %traction, %status, reason = ?reason, "alipay trade finished");
        let stored = self
            .0
            .db
            .run(move |conn| {
                repo::finish(conn, &traction, status, trade_no.as_deref(), reason.as_deref(), at, now)?;
                repo::trade(conn, &traction)?.ok_or(Error::NotFound)
            })
            .await?;
        Ok(self.answer(&stored))
    }

    /// Inserts a trade that is already decided (refused before calling anyone).
    async fn record_failed(&self, asked: &Asked<'_>, why: String) -> Result<TradeAnswer, Error> {
        let (kind, traction_no) = (asked.kind, asked.traction_no);
        tracing::info!(traction_no, reason = %why, "alipay {kind} refused before calling Alipay");
        let new = NewTrade {
            reason: Some(why),
            ..asked.decided(now_ms())
        };
        let (row, _) = self.0.db.run(move |conn| repo::insert_trade(conn, &new)).await?;
        Ok(self.answer(&row))
    }

    /// Leaves a trade pending for the worker (its lease given back) and answers `running`.
    async fn leave_pending(
        &self,
        row: &TradeRow,
        owner: &str,
        phase: Phase,
        trade_no: Option<String>,
        note: Option<String>,
    ) -> Result<TradeAnswer, Error> {
        let now = now_ms();
        let next_at = match phase {
            Phase::Querying => (now + self.interval_ms()).min(row.query_until),
            _ => now + self.interval_ms(),
        };
        let (traction, owner_s) = (row.traction_no.clone(), owner.to_string());
        let trade_no = trade_no.or_else(|| row.trade_no.clone());
        tracing::info!(traction_no = %traction, note = ?note, "alipay trade pending; resolving in the background");
        let stored = self
            .0
            .db
            .run(move |conn| {
                let step = Step {
                    phase,
                    attempts: 0,
                    next_at,
                    trade_no: trade_no.as_deref(),
                    note: note.as_deref(),
                };
                repo::reschedule(conn, &traction, &owner_s, &step, now)?;
                repo::trade(conn, &traction)?.ok_or(Error::NotFound)
            })
            .await?;
        Ok(self.answer(&stored))
    }

    /// A pending trade to insert, leased to `owner` (the caller works on it at once).
    fn new_pending(&self, asked: &Asked<'_>, owner: &str) -> NewTrade {
        let now = now_ms();
        let s = &self.0.settings;
        NewTrade {
            status: Status::Pending,
            phase: match asked.kind {
                Kind::Pay => Phase::Querying,
                Kind::Refund => Phase::Refunding,
            },
            query_until: now + s.query_budget_ms as i64,
            next_at: now + self.interval_ms(),
            lease_owner: Some(owner.to_string()),
            lease_until: now + self.lease_ms(),
            ..asked.decided(now)
        }
    }

    /// The merchant's `app_auth_token` when Alipay can be called for it; else the refusal,
    /// recorded: the application is not configured, or the merchant never authorized it.
    async fn callable(&self, asked: &Asked<'_>) -> Result<Result<String, TradeAnswer>, Error> {
        if let Err(why) = self.0.gateway.ready() {
            return Ok(Err(self.record_failed(asked, why).await?));
        }
        match self.token(asked.merchant).await? {
            Some(token) => Ok(Ok(token)),
            None => Ok(Err(self.record_failed(asked, Self::no_token(asked.merchant)).await?)),
        }
    }

    fn no_token(merchant: &str) -> String {
        format!(
            "merchant {merchant} has not authorized this Alipay application: no app_auth_token (PUT /alipayMerchants/{merchant})"
        )
    }

    async fn do_pay(&self, req: PayRequest) -> Result<TradeAnswer, Error> {
        let traction = req.traction_no.as_str();
        if let Some(row) = self.load(traction).await? {
            return Ok(self.answer(&row));
        }
        let merchant = req.merchant_uuid.as_str();
        let asked = Asked {
            kind: Kind::Pay,
            traction_no: traction,
            merchant,
            out_trade_no: traction,
            amount: req.pay_amount,
        };
        let auth_code = match code::alipay_code(&req.pay_params) {
            Ok(c) => c,
            Err(why) => return self.record_failed(&asked, why).await,
        };
        let token = match self.callable(&asked).await? {
            Ok(token) => token,
            Err(refused) => return Ok(refused),
        };
        let owner = new_uuid();
        let mut new = self.new_pending(&asked, &owner);
        new.auth_code_masked = Some(code::mask(&auth_code));
        let (row, inserted) = self.0.db.run(move |conn| repo::insert_trade(conn, &new)).await?;
        if !inserted {
            return Ok(self.answer(&row));
        }

        let subject = req
            .client_extra_params
            .get("subject")
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .unwrap_or(&self.0.settings.subject)
            .chars()
            .take(256)
            .collect::<String>();
        let mut biz = json!({
            "out_trade_no": traction,
            "scene": "bar_code",
            "auth_code": auth_code,
            "product_code": "FACE_TO_FACE_PAYMENT",
            "subject": subject,
            "total_amount": yuan(req.pay_amount),
        });
        if let Some(pid) = self
            .0
            .settings
            .sys_service_provider_id
            .as_deref()
            .filter(|p| !p.is_empty())
        {
            biz["extend_params"] = json!({ "sys_service_provider_id": pid });
        }
        let (decision, note) = match self.0.gateway.call("alipay.trade.pay", Some(&token), &biz).await {
            Reply::Answer(node) => (after_pay(&node), Some(node.reason())),
            Reply::Unknown(why) => (PayDecision::Unknown { trade_no: None }, Some(why)),
        };
        match decision {
            PayDecision::Paid(p) => self.finish(&row, p.into()).await,
            PayDecision::Failed(why) => self.finish(&row, Final::Failed(why)).await,
            PayDecision::Unknown { trade_no } => {
                self.leave_pending(&row, &owner, Phase::Querying, trade_no, note).await
            }
        }
    }

    pub(crate) fn refund_biz(row: &TradeRow) -> Value {
        json!({
            "out_trade_no": row.out_trade_no,
            "refund_amount": yuan(row.amount),
            "out_request_no": row.traction_no,
        })
    }

    pub(crate) fn refund_query_biz(row: &TradeRow) -> Value {
        json!({
            "out_trade_no": row.out_trade_no,
            "out_request_no": row.traction_no,
            "query_options": ["gmt_refund_pay"],
        })
    }

    async fn do_refund(&self, req: RefundRequest) -> Result<TradeAnswer, Error> {
        let traction = req.traction_no.as_str();
        if let Some(row) = self.load(traction).await? {
            if row.kind != Kind::Refund {
                return Err(Error::Invalid(format!("tractionNo {traction} is a pay, not a refund")));
            }
            return Ok(self.answer(&row));
        }
        let merchant = req.merchant_uuid.as_str();
        let asked = Asked {
            kind: Kind::Refund,
            traction_no: traction,
            merchant,
            out_trade_no: &req.pay_traction_no,
            amount: req.refund_amount,
        };
        let token = match self.callable(&asked).await? {
            Ok(token) => token,
            Err(refused) => return Ok(refused),
        };
        let owner = new_uuid();
        let mut new = self.new_pending(&asked, &owner);
        new.trade_no = req.third_pay_no.clone().filter(|t| !t.is_empty());
        let (row, inserted) = self.0.db.run(move |conn| repo::insert_trade(conn, &new)).await?;
        if !inserted {
            return Ok(self.answer(&row));
        }
        let gw = &self.0.gateway;
        let (decision, note) = match gw
            .call("alipay.trade.refund", Some(&token), &Self::refund_biz(&row))
            .await
        {
            Reply::Answer(node) => (after_refund(&node), Some(node.reason())),
            Reply::Unknown(why) => (RefundDecision::Unknown, Some(why)),
        };
        match decision {
            RefundDecision::Refunded(r) => self.finish(&row, r.into()).await,
            RefundDecision::Failed(why) => self.finish(&row, Final::Failed(why)).await,
            RefundDecision::AskRefundQuery => {
                let q = gw
                    .call(
                        "alipay.trade.fastpay.refund.query",
                        Some(&token),
                        &Self::refund_query_biz(&row),
                    )
                    .await;
                if let Reply::Answer(node) = &q
                    && let Some(r) = after_refund_query(node, traction)
                {
                    return self.finish(&row, r.into()).await;
                }
                self.leave_pending(&row, &owner, Phase::Refunding, None, note).await
            }
            RefundDecision::Unknown => self.leave_pending(&row, &owner, Phase::Refunding, None, note).await,
        }
    }
}

/// Runs the operation in its own task: if the caller gives up (payorder's timeout), the call
/// to Alipay still completes and its outcome is recorded.
async fn detached<F>(runtime: &tokio::runtime::Handle, f: F) -> Result<TradeAnswer, ConnectorError>
where
    F: std::future::Future<Output = Result<TradeAnswer, Error>> + Send + 'static,
{
    runtime
        .spawn(f)
        .await
        .map_err(|e| ConnectorError::Unexpected(anyhow::anyhow!("alipay task failed: {e}")))?
        .map_err(ConnectorError::from)
}

impl Connector for AlipayConnector {
    const NAME: &'static str = "alipay";

    async fn pay(&self, req: PayRequest) -> Result<TradeAnswer, ConnectorError> {
        let me = self.clone();
        detached(&self.0.runtime, async move { me.do_pay(req).await }).await
    }

    async fn refund(&self, req: RefundRequest) -> Result<TradeAnswer, ConnectorError> {
        let me = self.clone();
        detached(&self.0.runtime, async move { me.do_refund(req).await }).await
    }

    async fn check_env(&self, req: CheckEnvRequest) -> Result<CheckEnvAnswer, ConnectorError> {
        let reason = match self.0.gateway.ready() {
            Err(why) => Some(why),
            Ok(()) => match self.token(&req.merchant_uuid).await? {
                Some(_) => None,
                None => Some(Self::no_token(&req.merchant_uuid)),
            },
        };
        Ok(CheckEnvAnswer {
            ret: reason.is_none(),
            merchant_uuid: req.merchant_uuid,
            reason,
        })
    }

    async fn query(&self, req: QueryRequest) -> Result<TradeAnswer, ConnectorError> {
        let kind = Kind::from(req.kind);
        match self.load(&req.traction_no).await? {
            Some(row) if row.kind == kind => Ok(self.answer(&row)),
            _ => Err(ConnectorError::UnknownTraction(req.traction_no)),
        }
    }
}
