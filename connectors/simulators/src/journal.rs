//! What a simulator was asked, shared with whoever holds a clone: tests read it to see which
//! calls the connector made, and how often.

use std::sync::{Arc, Mutex};

/// One recorded call: what was called, and which trade it was about.
pub trait Recorded: Clone {
    /// The endpoint (WeChat Pay) or method (Alipay) called.
    fn endpoint(&self) -> &str;
    /// Whether the call is about the trade (or refund) numbered `out_trade_no`.
    fn about(&self, out_trade_no: &str) -> bool;
}

/// The calls received, in order.
#[derive(Debug, Clone)]
pub struct Journal<C>(Arc<Mutex<Vec<C>>>);

// A derive would ask `C: Default`; an empty journal needs nothing of its calls.
impl<C> Default for Journal<C> {
    fn default() -> Self {
        Self(Arc::default())
    }
}

impl<C: Recorded> Journal<C> {
    pub fn calls(&self) -> Vec<C> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Calls of `endpoint` about `out_trade_no`.
    pub fn count(&self, endpoint: &str, out_trade_no: &str) -> usize {
        self.calls()
            .iter()
            .filter(|c| c.endpoint() == endpoint && c.about(out_trade_no))
            .count()
    }

    /// Every call about `out_trade_no`, in order.
    pub fn for_trade(&self, out_trade_no: &str) -> Vec<C> {
        self.calls().into_iter().filter(|c| c.about(out_trade_no)).collect()
    }

    pub(crate) fn push(&self, call: C) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).push(call);
    }
}
