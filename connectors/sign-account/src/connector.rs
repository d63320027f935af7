//! The connector contract (API.md A.6) on top of the ledger: `POST /connector/pay`,
//! `/refund`, `/query` and `/checkEnv` (the default: every merchant may open sign account).

use connector_contract::shared::db::{Database, DbConnection};
use connector_contract::shared::time::{Clock, now_ms};
use connector_contract::{Connector, ConnectorError, PayRequest, QueryRequest, RefundRequest, Ret, TradeAnswer};

use crate::db::ledger::{self, PayCommand, RefundCommand};
use crate::db::models::OperationRow;
use crate::domain::trade::{OpKey, OpKind, OpRet, check_same};
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

    /// Runs the pay or refund transaction `op` for `cmd` on the database, in the caller's span
    /// (its logs name the tractionNo); the operation as recorded, which may be an earlier one.
    async fn record<C: Send + 'static>(
        &self,
        cmd: C,
        op: fn(&mut DbConnection, &C, i64) -> Result<OperationRow, Error>,
    ) -> Result<OperationRow, ConnectorError> {
        let span = tracing::Span::current();
        Ok(self
            .db
            .run(move |conn| span.in_scope(|| op(conn, &cmd, now_ms())))
            .await?)
    }

    /// The recorded answer, after checking that the request is the recorded operation.
    fn answer(&self, op: OperationRow, incoming: &OpKey) -> Result<TradeAnswer, ConnectorError> {
        check_same(&op.traction_no, &op.key(), incoming)?;
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
        let op = self.record(cmd.clone(), ledger::pay).await?;
        self.answer(op, &OpKey::pay(&cmd.merchant_uuid, cmd.amount))
    }

    async fn refund(&self, req: RefundRequest) -> Result<TradeAnswer, ConnectorError> {
        let cmd = RefundCommand {
            traction_no: req.traction_no,
            pay_traction_no: req.pay_traction_no,
            merchant_uuid: req.merchant_uuid,
            amount: req.refund_amount,
        };
        let op = self.record(cmd.clone(), ledger::refund).await?;
        self.answer(op, &OpKey::refund(&cmd.merchant_uuid, cmd.amount, &cmd.pay_traction_no))
    }

    async fn query(&self, req: QueryRequest) -> Result<TradeAnswer, ConnectorError> {
        let tn = req.traction_no.clone();
        let op = self.db.run(move |conn| ledger::operation(conn, &tn)).await?;
        match op {
            Some(op) if op.kind == OpKind::from(req.kind) => Ok(self.render(op)),
            _ => Err(ConnectorError::UnknownTraction(req.traction_no)),
        }
    }
}
