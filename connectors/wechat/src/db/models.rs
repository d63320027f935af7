//! What wechat writes to `wechat_merchants` and `wechat_trades`, and what it reads from the
//! rows (declared with their tables in `schema`).

use diesel::prelude::*;

use super::schema::wechat_trades;
pub use super::schema::{MerchantRow, NewTrade, TradeRow};
use crate::domain::outcome::Asked;
use crate::domain::trade::{Kind, Status, Step};
use crate::wxpay::SubMerchant;

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
