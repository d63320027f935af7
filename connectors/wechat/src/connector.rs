//! The connector contract (API.md A.6) on WeChat Pay barcode pay.
//!
//! `pay` never blocks for the customer's password: a micropay that ends clearly answers
//! `success` or `failed`; anything unclear (`USERPAYING`, `SYSTEMERROR`, `BANKERROR`, no or
//! an unauthenticated answer) is recorded as pending and answered `running`, and the
//! background worker ([`crate::worker`]) finishes it: it queries, and reverses a trade still
//! unpaid when the budget ends, so the money is never left hanging. Every operation is
//! recorded under its tractionNo before WeChat Pay is called: a repeated tractionNo gets the
//! recorded answer and is never charged twice.

use std::sync::Arc;

use connector_contract::shared::db::Database;
use connector_contract::shared::time::{Clock, now_ms};
use connector_contract::{
    CheckEnvAnswer, CheckEnvRequest, Connector, ConnectorError, PayRequest, QueryRequest, RefundRequest, Ret,
    TradeAnswer,
};
use tokio::sync::Notify;

use crate::db::models::{MerchantRow, NewTrade, TradeChange, TradeRow};
use crate::db::repo;
use crate::domain::auth_code;
use crate::domain::outcome::{self, PayDecision, RefundDecision, RefundState, Wait};
use crate::domain::trade::{Kind, Status, Step};
use crate::error::Error;
use crate::notify::Notifier;
use crate::wxpay::{SubMerchant, WxClient};

/// Longest `body` micropay accepts, in bytes.
const BODY_MAX: usize = 128;

pub struct WechatConnector {
    pub(crate) db: Database,
    pub(crate) wx: WxClient,
    pub(crate) clock: Clock,
    /// Wakes the worker when a trade becomes pending.
    pub(crate) kick: Arc<Notify>,
    pub(crate) notifier: Notifier,
}

impl WechatConnector {
    pub fn new(db: Database, wx: WxClient, clock: Clock, notifier: Notifier) -> Self {
        Self {
            db,
            wx,
            clock,
            kick: Arc::new(Notify::new()),
            notifier,
        }
    }

    pub(crate) fn db(&self) -> &Database {
        &self.db
    }

    /// How long a worker (or the pay handler) owns a trade while it calls WeChat Pay: long
    /// enough for a call to time out; a crashed process's lease lapses after it.
    pub(crate) fn lease_ms(&self) -> i64 {
        3 * self.wx.settings().request_timeout_ms as i64 + 5_000
    }

    pub(crate) async fn find(&self, traction_no: &str) -> Result<Option<TradeRow>, ConnectorError> {
        let tn = traction_no.to_string();
        Ok(self.db.run(move |c| repo::trade(c, &tn)).await?)
    }

    async fn merchant(&self, merchant_uuid: &str) -> Result<Option<MerchantRow>, ConnectorError> {
        let m = merchant_uuid.to_string();
        Ok(self.db.run(move |c| repo::merchant(c, &m)).await?)
    }

    async fn record(&self, new: NewTrade) -> Result<(TradeRow, bool), ConnectorError> {
        Ok(self.db.run(move |c| repo::record(c, &new)).await?)
    }

    /// Applies the outcome of a call made under `lease`. A failure to write is logged, not
    /// returned: the answer WeChat Pay gave stands, and the worker re-derives the state from
    /// WeChat Pay once the lease lapses.
    async fn settle(&self, row: &TradeRow, lease: i64, change: TradeChange) {
        let id = row.id;
        let result = self
            .db
            .run(move |c| repo::advance(c, id, lease, &change, now_ms()))
            .await;
        match result {
            Ok(true) => {}
            Ok(false) => tracing::error!(traction_no = %row.traction_no, "the trade changed under its lease"),
            Err(e) => {
                let e: Error = e;
                tracing::error!(traction_no = %row.traction_no, error = %e, "recording the WeChat Pay outcome failed; the worker will re-check it")
            }
        }
    }

    /// The contract answer for a recorded trade.
    pub(crate) fn answer_of(&self, row: &TradeRow) -> TradeAnswer {
        match row.status {
            Status::Success => TradeAnswer {
                traction_no: row.traction_no.clone(),
                ret: Ret::Success,
                third_order_no: row.third_no.clone(),
                third_error_reason: None,
                trade_finished_at: Some(self.clock.render(row.finished_at.unwrap_or(row.modified_at))),
            },
            Status::Failed => TradeAnswer {
                traction_no: row.traction_no.clone(),
                ret: Ret::Failed,
                third_order_no: row.third_no.clone(),
                third_error_reason: Some(row.reason.clone().unwrap_or_else(|| "failed".into())),
                trade_finished_at: None,
            },
            Status::Pending => TradeAnswer::running(&row.traction_no),
        }
    }

    /// A repeat of a request whose first call to WeChat Pay is still in flight waits for it
    /// (at most one call's timeout), so that it gets the same outcome rather than `running`.
    async fn after_in_flight(&self, mut row: TradeRow) -> Result<TradeRow, ConnectorError> {
        let in_flight = |r: &TradeRow| {
            r.status == Status::Pending
                && matches!(r.step, Step::Micropay | Step::Refund)
                && r.attempts == 0
                && r.lease_until > now_ms()
        };
        let until = now_ms() + self.wx.settings().request_timeout_ms as i64 + 500;
        while in_flight(&row) && now_ms() < until {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            match self.find(&row.traction_no).await? {
                Some(r) => row = r,
                None => break,
            }
        }
        Ok(row)
    }

    fn recorded(&self, row: &TradeRow, kind: Kind) -> Result<TradeAnswer, ConnectorError> {
        if row.kind != kind {
            return Err(ConnectorError::BadRequest(format!(
                "tractionNo {} is already used by a {}",
                row.traction_no, row.kind
            )));
        }
        Ok(self.answer_of(row))
    }

    fn new_trade(&self, traction_no: &str, kind: Kind, merchant_uuid: &str, now: i64) -> NewTrade {
        let s = self.wx.settings();
        let lease = now + self.lease_ms();
        NewTrade {
            traction_no: traction_no.to_string(),
            kind,
            merchant_uuid: merchant_uuid.to_string(),
            sub_mch_id: None,
            sub_appid: None,
            amount: 0,
            total_fee: 0,
            pay_traction_no: None,
            status: Status::Pending,
            step: if kind == Kind::Pay {
                Step::Micropay
            } else {
                Step::Refund
            },
            third_no: None,
            reason: None,
            wx_state: None,
            attempts: 0,
            deadline_at: now + s.query_budget_ms as i64,
            next_at: lease,
            lease_until: lease,
            finished_at: None,
            notify_url: None,
            created_at: now,
            modified_at: now,
        }
    }

    /// Records a refusal made before anyone was called.
    async fn refuse(&self, mut new: NewTrade, why: String, kind: Kind) -> Result<TradeAnswer, ConnectorError> {
        tracing::info!(traction_no = %new.traction_no, why, "refused before calling WeChat Pay");
        new.status = Status::Failed;
        new.step = Step::Done;
        new.reason = Some(why);
        new.lease_until = 0;
        new.finished_at = Some(new.created_at);
        let (row, _) = self.record(new).await?;
        self.recorded(&row, kind)
    }

    fn body_of(&self, req: &PayRequest) -> String {
        let given = req
            .pay_params
            .get("body")
            .and_then(|v| v.as_str())
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let mut body = given.unwrap_or(&self.wx.settings().body).to_string();
        while body.len() > BODY_MAX {
            body.pop();
        }
        body
    }

    fn finished_at(&self, ms: Option<i64>) -> String {
        self.clock.render(ms.unwrap_or_else(now_ms))
    }
}

impl Connector for WechatConnector {
    const NAME: &'static str = "wechat";

    async fn pay(&self, req: PayRequest) -> Result<TradeAnswer, ConnectorError> {
        let tn = req.traction_no.clone();
        if let Some(row) = self.find(&tn).await? {
            return self.recorded(&self.after_in_flight(row).await?, Kind::Pay);
        }
        let now = now_ms();
        let mut new = self.new_trade(&tn, Kind::Pay, &req.merchant_uuid, now);
        new.amount = req.pay_amount;
        new.total_fee = req.pay_amount;
        new.notify_url = req.notify_url.clone().filter(|u| !u.is_empty());

        // Refusals before anyone is called: the code's channel, the configuration, the merchant.
        let code = match auth_code::wechat_code(&req.pay_params) {
            Ok(code) => code,
            Err(why) => return self.refuse(new, why, Kind::Pay).await,
        };
        if let Some(why) = self.wx.settings().incomplete() {
            return self.refuse(new, why, Kind::Pay).await;
        }
        let Some(merchant) = self.merchant(&req.merchant_uuid).await? else {
            let why = format!(
                "merchant {} has no WeChat Pay sub-merchant configured (PUT /wechatMerchants/{})",
                req.merchant_uuid, req.merchant_uuid
            );
            return self.refuse(new, why, Kind::Pay).await;
        };
        new.sub_mch_id = Some(merchant.sub_mch_id.clone());
        new.sub_appid = merchant.sub_appid.clone();
        let lease = new.lease_until;

        let (row, inserted) = self.record(new).await?;
        if !inserted {
            return self.recorded(&self.after_in_flight(row).await?, Kind::Pay);
        }
        let m = SubMerchant {
            sub_mch_id: merchant.sub_mch_id,
            sub_appid: merchant.sub_appid,
        };
        tracing::info!(traction_no = %tn, code = %auth_code::mask(&code), amount = req.pay_amount, "micropay");
        let answer = self
            .wx
            .micropay(&m, &tn, req.pay_amount, &code, &self.body_of(&req))
            .await;
        let decision = outcome::micropay(&answer, &tn, row.asked());
        tracing::info!(traction_no = %tn, ?decision, "micropay decided");
        let s = self.wx.settings();
        match decision {
            PayDecision::Paid {
                transaction_id,
                time_end,
            } => {
                let at = time_end.unwrap_or_else(now_ms);
                let change = TradeChange::finished(Status::Success, at)
                    .third_no(Some(transaction_id.clone()))
                    .wx_state("SUCCESS");
                self.settle(&row, lease, change).await;
                Ok(TradeAnswer::success(&tn, transaction_id, self.finished_at(Some(at))))
            }
            PayDecision::Failed(why) => {
                let change = TradeChange::finished(Status::Failed, now_ms()).reason(why.clone());
                self.settle(&row, lease, change).await;
                Ok(TradeAnswer::failed(&tn, why))
            }
            PayDecision::Unclear { wait, why } => {
                let wait_ms = match wait {
                    Wait::UserPaying => s.query_interval_ms,
                    Wait::SystemError => s.system_error_wait_ms,
                } as i64;
                let next = (now_ms() + wait_ms).min(row.deadline_at);
                let change = TradeChange::later(Step::Query, next).reason(why);
                self.settle(&row, lease, change).await;
                self.kick.notify_one();
                Ok(TradeAnswer::running(&tn))
            }
        }
    }

    async fn refund(&self, req: RefundRequest) -> Result<TradeAnswer, ConnectorError> {
        let tn = req.traction_no.clone();
        if let Some(row) = self.find(&tn).await? {
            return self.recorded(&self.after_in_flight(row).await?, Kind::Refund);
        }
        let now = now_ms();
        let mut new = self.new_trade(&tn, Kind::Refund, &req.merchant_uuid, now);
        new.amount = req.refund_amount;
        new.total_fee = req.pay_amount;
        new.pay_traction_no = Some(req.pay_traction_no.clone());
        new.notify_url = req.notify_url.clone().filter(|u| !u.is_empty());
        let cancel = req.is_cancel == 1;

        let pay = match self.find(&req.pay_traction_no).await? {
            Some(pay) if pay.kind == Kind::Pay && pay.merchant_uuid == req.merchant_uuid => pay,
            _ => {
                let why = format!(
                    "no WeChat Pay payment with tractionNo {} was made through this connector for this merchant",
                    req.pay_traction_no
                );
                return self.refuse(new, why, Kind::Refund).await;
            }
        };
        match pay.status {
            Status::Pending if cancel => {
                // Cancelling a pay still in progress: reverse it now rather than at the end
                // of its budget. The cancel itself is not recorded: asked again once the pay
                // is settled, it is answered from the pay's outcome.
                let pay_tn = pay.traction_no.clone();
                self.db.run(move |c| repo::expedite(c, &pay_tn, now_ms())).await?;
                self.kick.notify_one();
                return Ok(TradeAnswer::running(&tn));
            }
            Status::Pending => {
                let why = "the payment is still in progress; it cannot be refunded yet".to_string();
                return Ok(TradeAnswer::failed(&tn, why));
            }
            Status::Failed if cancel => {
                new.status = Status::Success;
                new.step = Step::Done;
                new.reason = Some(format!(
                    "nothing to cancel: the payment did not succeed ({})",
                    pay.reason.clone().unwrap_or_default()
                ));
                new.lease_until = 0;
                new.finished_at = Some(now);
                let (row, _) = self.record(new).await?;
                return self.recorded(&row, Kind::Refund);
            }
            Status::Failed => {
                let why = "the payment did not succeed; there is nothing to refund".to_string();
                return self.refuse(new, why, Kind::Refund).await;
            }
            Status::Success => {}
        }
        new.total_fee = pay.amount;
        new.sub_mch_id = pay.sub_mch_id.clone();
        new.sub_appid = pay.sub_appid.clone();
        if req.refund_amount > pay.amount {
            let why = format!(
                "refundAmount {} exceeds the paid amount {}",
                req.refund_amount, pay.amount
            );
            return self.refuse(new, why, Kind::Refund).await;
        }
        if let Some(why) = self.wx.settings().incomplete() {
            return self.refuse(new, why, Kind::Refund).await;
        }
        let Some(m) = pay.sub_merchant() else {
            return self
                .refuse(new, "the payment has no sub-merchant recorded".into(), Kind::Refund)
                .await;
        };
        let lease = new.lease_until;
        let (row, inserted) = self.record(new).await?;
        if !inserted {
            return self.recorded(&self.after_in_flight(row).await?, Kind::Refund);
        }

        tracing::info!(traction_no = %tn, pay_traction_no = %pay.traction_no, amount = req.refund_amount, "refund");
        let answer = self
            .wx
            .refund(&m, &pay.traction_no, &tn, pay.amount, req.refund_amount)
            .await;
        let s = self.wx.settings();
        match outcome::refund(&answer, &tn, row.asked()) {
            RefundDecision::Failed(why) => {
                self.settle(
                    &row,
                    lease,
                    TradeChange::finished(Status::Failed, now_ms()).reason(why.clone()),
                )
                .await;
                Ok(TradeAnswer::failed(&tn, why))
            }
            RefundDecision::Unclear(why) => {
                let next = now_ms() + s.system_error_wait_ms as i64;
                self.settle(&row, lease, TradeChange::later(Step::RefundQuery, next).reason(why))
                    .await;
                self.kick.notify_one();
                Ok(TradeAnswer::running(&tn))
            }
            RefundDecision::Accepted { refund_id } => {
                // Accepted; balance refunds are usually done at once, so look right away.
                let state = outcome::refundquery(&self.wx.refundquery(&m, &tn).await, &tn, row.asked());
                match state {
                    RefundState::Success {
                        refund_id: id,
                        at,
                        note,
                    } => {
                        let third = id.or(refund_id);
                        let at = at.unwrap_or_else(now_ms);
                        let mut change = TradeChange::finished(Status::Success, at)
                            .third_no(third.clone())
                            .wx_state(if note.is_some() { "CHANGE" } else { "SUCCESS" });
                        change.reason = note;
                        self.settle(&row, lease, change).await;
                        Ok(TradeAnswer::success(
                            &tn,
                            third.unwrap_or_default(),
                            self.finished_at(Some(at)),
                        ))
                    }
                    RefundState::Closed(why) => {
                        let change = TradeChange::finished(Status::Failed, now_ms())
                            .third_no(refund_id)
                            .reason(why.clone())
                            .wx_state("REFUNDCLOSE");
                        self.settle(&row, lease, change).await;
                        Ok(TradeAnswer::failed(&tn, why))
                    }
                    other => {
                        tracing::info!(traction_no = %tn, state = ?other, "refund accepted, not finished yet");
                        let next = now_ms() + s.query_interval_ms as i64;
                        self.settle(
                            &row,
                            lease,
                            TradeChange::later(Step::RefundQuery, next).third_no(refund_id),
                        )
                        .await;
                        self.kick.notify_one();
                        Ok(TradeAnswer::running(&tn))
                    }
                }
            }
        }
    }

    async fn check_env(&self, req: CheckEnvRequest) -> Result<CheckEnvAnswer, ConnectorError> {
        let answer = |ret: bool, reason: Option<String>| CheckEnvAnswer {
            ret,
            merchant_uuid: req.merchant_uuid.clone(),
            reason,
        };
        if let Some(why) = self.wx.settings().incomplete() {
            return Ok(answer(false, Some(why)));
        }
        Ok(match self.merchant(&req.merchant_uuid).await? {
            Some(m) if !m.sub_mch_id.is_empty() => answer(true, None),
            _ => answer(
                false,
                Some(format!(
                    "merchant {} has no WeChat Pay sub-merchant configured (PUT /wechatMerchants/{} {{\"subMchId\": ...}})",
                    req.merchant_uuid, req.merchant_uuid
                )),
            ),
        })
    }

    async fn query(&self, req: QueryRequest) -> Result<TradeAnswer, ConnectorError> {
        let kind = Kind::from(req.kind);
        match self.find(&req.traction_no).await? {
            Some(row) if row.kind == kind => Ok(self.answer_of(&row)),
            _ => Err(ConnectorError::UnknownTraction(req.traction_no)),
        }
    }
}
