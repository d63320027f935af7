//! Pending trades live in the database: a restarted connector finishes them.

use connector_contract::Ret;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_restarted_connector_finishes_what_the_previous_run_left_pending() {
    let mut app = spawn_with(|s| s["query_budget_ms"] = json!(1_500)).await;
    let m = app.merchant().await;
    let (t, a) = app.pay(&m, USERPAYING_FOREVER, 500).await;
    assert_eq!(a.ret, Ret::Running);
    // The first run stops (and its worker with it) before the budget ends.
    app.stop().await;
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let reverses_before = app.count("/secapi/pay/reverse", &t);
    assert_eq!(reverses_before, 0);

    app.restart().await;
    let done = app.settled(&t, "pay").await;
    assert_eq!(done.ret, Ret::Failed, "{done:?}");
    assert_eq!(app.count("/secapi/pay/reverse", &t), 1);
    assert_eq!(app.simulator_trade_state(&t).await, "REVOKED");
}
