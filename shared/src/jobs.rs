//! One leased job loop for background work that every replica runs at once (the payorder and
//! refund resolvers, the WeChat and Alipay workers): each pass reads the due rows, claims them
//! one by one with a lease computed at the claim (the lease is also the fencing token every
//! write of the work re-checks), and works the claimed ones, up to `concurrency` at a time.
//! A replica that dies holding a lease simply lets it lapse; another one claims the row again.
//!
//! The work decides what happens next to its row (settle, reschedule with [`backoff_ms`],
//! give up): those are writes of the job's own table, fenced by the lease.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, Semaphore, watch};
use tokio::task::JoinHandle;

use crate::config::ResolverSettings;
use crate::time::now_ms;

/// A table of leased work.
pub trait Jobs: Send + Sync + 'static {
    /// A due row, as read before its claim.
    type Row: Send + 'static;
    type Error: std::fmt::Display + Send;

    /// At most `limit` rows due at `now` (epoch ms).
    fn due(&self, now: i64, limit: i64) -> impl Future<Output = Result<Vec<Self::Row>, Self::Error>> + Send;

    /// Takes `row` until `lease` (epoch ms); `false` when another replica holds it.
    fn claim(&self, row: &Self::Row, now: i64, lease: i64) -> impl Future<Output = Result<bool, Self::Error>> + Send;

    /// How long a claim lasts: longer than the slowest work, so only a dead holder loses it.
    fn lease_ms(&self) -> i64;

    /// Works one claimed row. Failures are the work's to record (reschedule, give up).
    fn work(self: Arc<Self>, row: Self::Row, lease: i64) -> impl Future<Output = ()> + Send + 'static;

    /// Called before each pass (gauges of the backlog, for example).
    fn before_pass(&self) -> impl Future<Output = ()> + Send {
        async {}
    }
}

/// Rows one pass of a [`Runner::resolver`] takes at most.
pub const RESOLVER_BATCH: i64 = 20;

/// How a [`Jobs`] table is run.
#[derive(Debug, Clone)]
pub struct Runner {
    /// Names the loop in logs.
    pub name: &'static str,
    /// The pause between passes (a [`Runner::kick`] ends it early).
    pub interval: Duration,
    /// Rows read per pass.
    pub batch: i64,
    /// Rows worked at once; 1 works them one after the other, inside the pass.
    pub concurrency: usize,
    /// Wakes the loop before its interval ends (new work was just written).
    pub kick: Option<Arc<Notify>>,
}

impl Runner {
    pub fn new(name: &'static str, interval: Duration) -> Self {
        Self {
            name,
            interval: interval.max(Duration::from_millis(10)),
            batch: 20,
            concurrency: 1,
            kick: None,
        }
    }

    /// An order service's resolver (payorder, refund): a pass every `resolver_interval_ms`
    /// (50 ms at least), [`RESOLVER_BATCH`] rows a pass, worked one after the other.
    pub fn resolver(name: &'static str, settings: &ResolverSettings) -> Self {
        let interval = Duration::from_millis(settings.resolver_interval_ms.max(50));
        Self::new(name, interval).batch(RESOLVER_BATCH)
    }

    pub fn batch(mut self, batch: i64) -> Self {
        self.batch = batch.max(1);
        self
    }

    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    pub fn kick(mut self, kick: Arc<Notify>) -> Self {
        self.kick = Some(kick);
        self
    }

    /// Runs passes until `stop` turns true (or its sender is dropped); work in flight then
    /// finishes before the task ends.
    pub fn spawn<J: Jobs>(self, jobs: Arc<J>, mut stop: watch::Receiver<bool>) -> JoinHandle<()> {
        tokio::spawn(async move {
            let permits = Arc::new(Semaphore::new(self.concurrency));
            loop {
                if *stop.borrow() {
                    break;
                }
                if let Err(e) = self.pass(&jobs, &permits).await {
                    tracing::warn!(job = self.name, error = %e, "pass failed");
                }
                let kicked = async {
                    match &self.kick {
                        Some(k) => k.notified().await,
                        None => std::future::pending().await,
                    }
                };
                tokio::select! {
                    () = tokio::time::sleep(self.interval) => {}
                    () = kicked => {}
                    changed = stop.changed() => {
                        if changed.is_err() || *stop.borrow() {
                            break;
                        }
                    }
                }
            }
            // Every permit back: the work this loop started has ended.
            let all = u32::try_from(self.concurrency).unwrap_or(u32::MAX);
            let _ = permits.acquire_many(all).await;
        })
    }

    /// One pass; returns how many rows it claimed.
    pub async fn pass<J: Jobs>(&self, jobs: &Arc<J>, permits: &Arc<Semaphore>) -> Result<usize, J::Error> {
        jobs.before_pass().await;
        let due = jobs.due(now_ms(), self.batch).await?;
        let mut claimed = 0;
        for row in due {
            let permit = if self.concurrency == 1 {
                None
            } else {
                match permits.clone().try_acquire_owned() {
                    Ok(p) => Some(p),
                    // Every slot busy: the rest waits for the next pass.
                    Err(_) => break,
                }
            };
            // The lease starts at the claim, not when the batch was read: a row reached late in
            // a long pass is not claimed with a lease already in the past.
            let now = now_ms();
            let lease = now.saturating_add(jobs.lease_ms());
            if !jobs.claim(&row, now, lease).await? {
                continue;
            }
            claimed += 1;
            let work = jobs.clone().work(row, lease);
            match permit {
                None => work.await,
                Some(permit) => {
                    tokio::spawn(async move {
                        work.await;
                        drop(permit);
                    });
                }
            }
        }
        Ok(claimed)
    }
}

/// The wait before retry number `attempt` (0 = the first): `base_ms` doubled per attempt, at
/// most `max_ms`.
pub fn backoff_ms(attempt: i32, base_ms: u64, max_ms: u64) -> i64 {
    let factor = 1u64 << attempt.clamp(0, 20);
    i64::try_from(base_ms.max(1).saturating_mul(factor).min(max_ms.max(1))).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::Mutex;

    use super::*;

    /// Rows id → (due at, lease until), with the ids each worker worked.
    #[derive(Default)]
    struct Table {
        rows: Mutex<BTreeMap<i64, (i64, i64)>>,
        worked: Mutex<Vec<i64>>,
    }

    impl Jobs for Table {
        type Row = i64;
        type Error = String;

        async fn due(&self, now: i64, limit: i64) -> Result<Vec<i64>, String> {
            let rows = self.rows.lock().unwrap();
            Ok(rows
                .iter()
                .filter(|(_, (due, lease))| *due <= now && *lease <= now)
                .map(|(id, _)| *id)
                .take(limit as usize)
                .collect())
        }

        async fn claim(&self, id: &i64, now: i64, lease: i64) -> Result<bool, String> {
            let mut rows = self.rows.lock().unwrap();
            let row = rows.get_mut(id).ok_or("gone")?;
            if row.1 > now {
                return Ok(false);
            }
            row.1 = lease;
            Ok(true)
        }

        fn lease_ms(&self) -> i64 {
            60_000
        }

        async fn work(self: Arc<Self>, id: i64, _lease: i64) {
            tokio::time::sleep(Duration::from_millis(5)).await;
            self.worked.lock().unwrap().push(id);
            // Done: the row leaves the table.
            self.rows.lock().unwrap().remove(&id);
        }
    }

    #[tokio::test]
    async fn two_runners_on_one_table_work_every_row_exactly_once_and_stop_when_told() {
        let table = Arc::new(Table::default());
        table.rows.lock().unwrap().extend((0..40).map(|id| (id, (0, 0))));
        let (stop, stopped) = watch::channel(false);
        let loops: Vec<_> = [1, 4]
            .into_iter()
            .map(|n| {
                Runner::new("test", Duration::from_millis(10))
                    .batch(7)
                    .concurrency(n)
                    .spawn(table.clone(), stopped.clone())
            })
            .collect();
        for _ in 0..200 {
            if table.rows.lock().unwrap().is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        stop.send(true).unwrap();
        for l in loops {
            tokio::time::timeout(Duration::from_secs(5), l)
                .await
                .expect("the loop stops")
                .unwrap();
        }
        let mut worked = table.worked.lock().unwrap().clone();
        worked.sort();
        assert_eq!(worked, (0..40).collect::<Vec<_>>(), "each row once");
    }

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff_ms(0, 2000, 60_000), 2000);
        assert_eq!(backoff_ms(3, 2000, 60_000), 16_000);
        assert_eq!(backoff_ms(10, 2000, 60_000), 60_000);
        assert_eq!(backoff_ms(-1, 0, 0), 1);
    }
}
