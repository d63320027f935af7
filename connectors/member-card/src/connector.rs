//! The member-card connector (API.md A.6): 会员储值 pays take `payAmount` from a member's
//! balance, 会员储次 pays take counts of the items in `merchandiseDetails`. Every pay and refund
//! is idempotent by its tractionNo; the rules are in `domain::trade`, the transactions in
//! `db::trade`.

use connector_contract::shared::db::Database;
use connector_contract::shared::time::{Clock, now_ms};
use connector_contract::{Connector, ConnectorError, PayRequest, QueryRequest, RefundRequest, TradeAnswer};

use crate::db::models::OperationRow;
use crate::db::trade::{self, PayInput, RefundInput};
use crate::domain::trade::{OpKey, OpKind, check_same, pay_target};

/// The connector, and the state of the management routes too: the database and the display
/// clock.
pub struct MemberCard {
    pub(crate) db: Database,
    pub(crate) clock: Clock,
}

impl MemberCard {
    pub fn new(db: Database, clock: Clock) -> Self {
        Self { db, clock }
    }

    /// The stored operation as the contract's answer, when it is the operation asked for.
    fn answer(&self, op: &OperationRow, incoming: &OpKey) -> Result<TradeAnswer, ConnectorError> {
        let recorded = OpKey {
            kind: op.kind.as_str(),
            merchant_uuid: &op.merchant_uuid,
            amount: op.amount,
            pay_traction_no: op.pay_traction_no.as_deref(),
        };
        check_same(&op.traction_no, &recorded, incoming)?;
        Ok(self.render(op))
    }

    fn render(&self, op: &OperationRow) -> TradeAnswer {
        if op.succeeded() {
            TradeAnswer::success(
                &op.traction_no,
                op.third_order_no.clone().unwrap_or_default(),
                self.clock.render(op.finished_at.unwrap_or(op.created_at)),
            )
        } else {
            TradeAnswer::failed(&op.traction_no, op.reason.clone().unwrap_or_else(|| "refused".into()))
        }
    }
}

impl Connector for MemberCard {
    const NAME: &'static str = "member_card";

    async fn pay(&self, req: PayRequest) -> Result<TradeAnswer, ConnectorError> {
        let input = PayInput {
            target: pay_target(&req.pay_params, req.pay_template_id.as_deref()),
            traction_no: req.traction_no.clone(),
            merchant_uuid: req.merchant_uuid.clone(),
            amount: req.pay_amount,
        };
        let now = now_ms();
        let op = self.db.run(move |conn| trade::pay(conn, &input, now)).await?;
        let incoming = OpKey::pay(&req.merchant_uuid, req.pay_amount);
        if !op.succeeded() {
            tracing::info!(reason = op.reason.as_deref().unwrap_or_default(), "member pay refused");
        }
        self.answer(&op, &incoming)
    }

    async fn refund(&self, req: RefundRequest) -> Result<TradeAnswer, ConnectorError> {
        let is_cancel = match req.is_cancel {
            0 => false,
            1 => true,
            _ => return Err(ConnectorError::BadRequest("isCancel must be 0 or 1".into())),
        };
        let input = RefundInput {
            traction_no: req.traction_no.clone(),
            pay_traction_no: req.pay_traction_no.clone(),
            merchant_uuid: req.merchant_uuid.clone(),
            pay_amount: req.pay_amount,
            refund_amount: req.refund_amount,
            is_cancel,
        };
        let now = now_ms();
        let op = self.db.run(move |conn| trade::refund(conn, &input, now)).await?;
        let incoming = OpKey::refund(&req.merchant_uuid, req.refund_amount, &req.pay_traction_no);
        self.answer(&op, &incoming)
    }

    async fn query(&self, req: QueryRequest) -> Result<TradeAnswer, ConnectorError> {
        let traction_no = req.traction_no.clone();
        let op = self
            .db
            .run(move |conn| trade::op_by_traction(conn, &traction_no))
            .await?;
        match op {
            Some(op) if op.kind == OpKind::from(req.kind) => Ok(self.render(&op)),
            _ => Err(ConnectorError::UnknownTraction(req.traction_no)),
        }
    }
}
