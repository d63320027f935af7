//! Batches (`/batchPay`, `/batchRefund`): every item processed as its own request, at most
//! `concurrency` at a time, results in request order.

use std::future::Future;
use std::sync::Arc;

use tokio::sync::Semaphore;

use crate::error::ApiError;

/// Runs `work(index, item)` for every item with bounded concurrency; a task that dies is an
/// opaque 5000 in its place.
pub async fn run<I, T, F, Fut>(items: Vec<I>, concurrency: usize, work: F) -> Vec<Result<T, ApiError>>
where
    I: Send + 'static,
    T: Send + 'static,
    F: Fn(usize, I) -> Fut,
    Fut: Future<Output = Result<T, ApiError>> + Send + 'static,
{
    let permits = Arc::new(Semaphore::new(concurrency.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    let count = items.len();
    for (i, item) in items.into_iter().enumerate() {
        let permits = permits.clone();
        let job = work(i, item);
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await.expect("the semaphore is never closed");
            (i, job.await)
        });
    }
    let mut results: Vec<Option<Result<T, ApiError>>> = (0..count).map(|_| None).collect();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((i, r)) => results[i] = Some(r),
            Err(e) => tracing::error!(error = %e, "a batch item task failed"),
        }
    }
    results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(ApiError::internal("batch item did not finish"))))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn results_keep_request_order_and_concurrency_stays_bounded() {
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let out = run((0..20u64).collect(), 3, |_, n| {
            let (running, peak) = (running.clone(), peak.clone());
            async move {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(20 - n)).await;
                running.fetch_sub(1, Ordering::SeqCst);
                if n == 7 {
                    Err(ApiError::bad_request("seven"))
                } else {
                    Ok(n * 10)
                }
            }
        })
        .await;
        assert_eq!(out[0].as_ref().unwrap(), &0);
        assert_eq!(out[19].as_ref().unwrap(), &190);
        assert_eq!(out[7].as_ref().unwrap_err().code, 4000);
        assert!(peak.load(Ordering::SeqCst) <= 3);
    }
}
