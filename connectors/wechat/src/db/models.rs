//! Rows of `wechat_merchants` and `wechat_trades`.

use diesel::prelude::*;

use super::schema::{wechat_merchants, wechat_trades};
use crate::domain::outcome::Asked;
use crate::domain::trade::{Kind, Status, Step};
use crate::wxpay::SubMerchant;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = wechat_merchants)]
pub struct MerchantRow {
    pub id: i64,
    pub merchant_uuid: String,
    pub sub_mch_id: String,
    pub sub_appid: Option<String>,
    pub created_at: i64,
    pub modified_at: i64,
}

/// Every column is loaded; some (`wx_state`, `next_at`, `lease_until`, `created_at`) are
/// only for the worker's queries and for operators reading the table.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = wechat_trades)]
#[allow(dead_code)]
pub struct TradeRow {
    pub id: i64,
    pub traction_no: String,
    pub kind: Kind,
    pub merchant_uuid: String,
    pub sub_mch_id: Option<String>,
    pub sub_appid: Option<String>,
    /// Fen: the pay's `total_fee`, or the refund's `refund_fee`.
    pub amount: i64,
    /// Fen: the paid order's `total_fee` (equal to `amount` for a pay).
    pub total_fee: i64,
    /// For a refund: the pay's tractionNo (`out_trade_no`).
    pub pay_traction_no: Option<String>,
    pub status: Status,
    pub step: Step,
    /// `transaction_id` of a pay, `refund_id` of a refund.
    pub third_no: Option<String>,
    pub reason: Option<String>,
    /// The last trade or refund state WeChat Pay reported.
    pub wx_state: Option<String>,
    pub attempts: i32,
    /// A pay's query budget ends here; then it is reversed.
    pub deadline_at: i64,
    pub next_at: i64,
    pub lease_until: i64,
    pub finished_at: Option<i64>,
    pub notify_url: Option<String>,
    pub created_at: i64,
    pub modified_at: i64,
}

impl TradeRow {
    /// What WeChat Pay's success answers about this trade must repeat.
    pub fn asked(&self) -> Asked<'_> {
        Asked {
            sub_mch_id: self.sub_mch_id.as_deref(),
            total_fee: self.total_fee,
            refund_fee: (self.kind == Kind::Refund).then_some(self.amount),
        }
    }

    pub fn sub_merchant(&self) -> Option<SubMerchant> {
        self.sub_mch_id.clone().map(|sub_mch_id| SubMerchant {
            sub_mch_id,
            sub_appid: self.sub_appid.clone(),
        })
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = wechat_trades)]
pub struct NewTrade {
    pub traction_no: String,
    pub kind: Kind,
    pub merchant_uuid: String,
    pub sub_mch_id: Option<String>,
    pub sub_appid: Option<String>,
    pub amount: i64,
    pub total_fee: i64,
    pub pay_traction_no: Option<String>,
    pub status: Status,
    pub step: Step,
    pub third_no: Option<String>,
    pub reason: Option<String>,
    pub wx_state: Option<String>,
    pub attempts: i32,
    pub deadline_at: i64,
    pub next_at: i64,
    pub lease_until: i64,
    pub finished_at: Option<i64>,
    pub notify_url: Option<String>,
    pub created_at: i64,
    pub modified_at: i64,
}

/// A change of a trade; `None` fields keep their value.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = wechat_trades)]
pub struct TradeChange {
    pub status: Option<Status>,
    pub step: Option<Step>,
    pub third_no: Option<String>,
    pub reason: Option<String>,
    pub wx_state: Option<String>,
    pub attempts: Option<i32>,
    pub deadline_at: Option<i64>,
    pub next_at: Option<i64>,
    pub lease_until: Option<i64>,
    pub finished_at: Option<i64>,
    pub modified_at: Option<i64>,
}

impl TradeChange {
    /// Finished for good.
    pub fn finished(status: Status, at: i64) -> Self {
        Self {
            status: Some(status),
            step: Some(Step::Done),
            lease_until: Some(0),
            finished_at: Some(at),
            ..Default::default()
        }
    }

    /// Still pending: `step` is due at `next_at`.
    pub fn later(step: Step, next_at: i64) -> Self {
        Self {
            step: Some(step),
            next_at: Some(next_at),
            lease_until: Some(0),
            ..Default::default()
        }
    }

    pub fn third_no(mut self, v: Option<String>) -> Self {
        self.third_no = v;
        self
    }

    pub fn reason(mut self, v: impl Into<String>) -> Self {
        self.reason = Some(v.into());
        self
    }

    pub fn wx_state(mut self, v: impl Into<String>) -> Self {
        self.wx_state = Some(v.into());
        self
    }

    pub fn attempts(mut self, v: i32) -> Self {
        self.attempts = Some(v);
        self
    }
}
