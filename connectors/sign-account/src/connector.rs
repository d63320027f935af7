//! The connector contract (API.md A.6) on top of the ledger: `POST /connector/pay`,
//! `/refund`, `/query` and `/checkEnv` (the default: every merchant may open sign account).

use connector_contract::shared::db::Database;
use connector_contract::shared::time::{Clock, now_ms};
use connector_contract::{
    Connector, ConnectorError, PayRequest, QueryKind, QueryRequest, RefundRequest, Ret, TradeAnswer,
};

use crate::db::ledger::{self, PayCommand, RefundCommand};
use crate::db::models::OperationRow;
use crate::domain::trade::{self, OpKey, OpKind, OpRet};
use crate::error::Error;

/// The sign-account connector and the state the management API shares with it.
pub struct SignAccount {
    pub db: Database,
    pub clock: Clock,
}

impl SignAccount {
    pub fn new(db: Database, clock: Clock) -> Self {
        Self { db, clock }
    }

    /// The recorded answer, after checking that the request is the recorded operation.
    fn answer(&self, op: OperationRow, incoming: &OpKey) -> Result<TradeAnswer, ConnectorError> {
        if let Some(why) = trade::mismatch(&op.traction_no, &op.key(), incoming) {
            return Err(ConnectorError::BadRequest(why));
        }
        Ok(self.render(op))
    }

    fn render(&self, op: OperationRow) -> TradeAnswer {
        TradeAnswer {
            ret: if op.ret == OpRet::Success {
                Ret::Success
            } else {
                Ret::Failed
            },
            third_order_no: op.third_order_no,
            third_error_reason: op.reason,
            trade_finished_at: self.clock.render_opt(op.finished_at),
            traction_no: op.traction_no,
        }
    }
}

impl Connector for SignAccount {
    const NAME: &'static str = "sign_account";

    async fn pay(&self, req: PayRequest) -> Result<TradeAnswer, ConnectorError> {
        let cmd = PayCommand {
            traction_no: req.traction_no,
            merchant_uuid: req.merchant_uuid,
            amount: req.pay_amount,
            pay_params: req.pay_params,
        };
        let (c, span) = (cmd.clone(), tracing::Span::current());
        let op = self
            .db
            .run(move |conn| span.in_scope(|| ledger::pay(conn, &c, now_ms())))
            .await
            .map_err(ConnectorError::from)?;
        self.answer(
            op,
            &OpKey {
                kind: OpKind::Pay.as_str(),
                merchant_uuid: &cmd.merchant_uuid,
                amount: cmd.amount,
                pay_traction_no: None,
            },
        )
    }

    async fn refund(&self, req: RefundRequest) -> Result<TradeAnswer, ConnectorError> {
        let cmd = RefundCommand {
            traction_no: req.traction_no,
            pay_traction_no: req.pay_traction_no,
            merchant_uuid: req.merchant_uuid,
            amount: req.refund_amount,
        };
        let (c, span) = (cmd.clone(), tracing::Span::current());
        let op = self
            .db
            .run(move |conn| span.in_scope(|| ledger::refund(conn, &c, now_ms())))
            .await
            .map_err(ConnectorError::from)?;
        self.answer(
            op,
            &OpKey {
                kind: OpKind::Refund.as_str(),
                merchant_uuid: &cmd.merchant_uuid,
                amount: cmd.amount,
                pay_traction_no: Some(&cmd.pay_traction_no),
            },
        )
    }

    async fn query(&self, req: QueryRequest) -> Result<TradeAnswer, ConnectorError> {
        let kind = match req.kind {
            QueryKind::Pay => OpKind::Pay,
            QueryKind::Refund => OpKind::Refund,
        };
        let tn = req.traction_no.clone();
        let op = self
            .db
            .run(move |conn| ledger::operation(conn, &tn))
            .await
            .map_err(|e: Error| ConnectorError::from(e))?;
        match op {
            Some(op) if op.kind == kind => Ok(self.render(op)),
            _ => Err(ConnectorError::UnknownTraction(req.traction_no)),
        }
    }
}
