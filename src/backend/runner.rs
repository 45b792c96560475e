//! The runner: sends batches to a backend concurrently, within rate limits, with timeouts and
//! retries, and hands each result over the moment it arrives.
//!
//! - *concurrency*: a semaphore bounds the requests in flight;
//! - *rate*: requests are spaced at least `max(1/per_second, 60/per_minute)` apart (a start
//!   schedule shared by all tasks), so neither limit is ever exceeded, even in a burst;
//! - *timeout*: each attempt is abandoned after `timeout`;
//! - *retries*: a timeout, connection failure, 429 or 5xx is tried again up to `retries` times,
//!   after `backoff · 2^attempt` plus up to 50 % random jitter (capped at 60 s), or after the
//!   server's `Retry-After` when it sent one; any other error (401, 400, a malformed answer, a
//!   batch whose items do not match) is final for that batch at once.
//!
//! Results go out on a channel as they come, in completion order: the caller writes them to the
//! store right away, so an interruption loses only what was in flight.

use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Mutex, Semaphore, mpsc};
use tokio::time::Instant;

use super::{Backend, BackendError, Reply, Request};

/// The runner's limits.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// At most this many request starts per second.
    pub per_second: Option<f64>,
    /// At most this many request starts per minute.
    pub per_minute: Option<f64>,
    /// Per attempt.
    pub timeout: Duration,
    /// Retries after a retryable failure.
    pub retries: u32,
    /// The first backoff delay.
    pub backoff: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            concurrency: 4,
            per_second: None,
            per_minute: None,
            timeout: Duration::from_mins(1),
            retries: 4,
            backoff: Duration::from_millis(500),
        }
    }
}

impl Limits {
    /// The least time between two request starts.
    pub fn spacing(&self) -> Option<Duration> {
        let a = self.per_second.filter(|r| *r > 0.0).map(|r| 1.0 / r);
        let b = self.per_minute.filter(|r| *r > 0.0).map(|r| 60.0 / r);
        match (a, b) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
        .map(Duration::from_secs_f64)
    }
}

/// The result of one batch.
#[derive(Debug)]
pub struct Done {
    /// The batch's number, as given.
    pub batch: usize,
    /// The replies (one per request) or the final error.
    pub result: Result<Vec<Reply>, BackendError>,
    /// Attempts made.
    pub attempts: u32,
}

/// Runs every batch, starting them in order, and sends each [`Done`] on `tx` as it completes.
/// Returns when all are done or the receiver is gone.
pub async fn run(
    backend: Arc<dyn Backend>,
    batches: Vec<Vec<Request>>,
    limits: Limits,
    tx: mpsc::UnboundedSender<Done>,
) {
    let permits = Arc::new(Semaphore::new(limits.concurrency.max(1)));
    let schedule = Arc::new(Mutex::new(Instant::now()));
    let limits = Arc::new(limits);
    let mut tasks = tokio::task::JoinSet::new();
    for (number, batch) in batches.into_iter().enumerate() {
        let permits = Arc::clone(&permits);
        let schedule = Arc::clone(&schedule);
        let limits = Arc::clone(&limits);
        let backend = Arc::clone(&backend);
        let tx = tx.clone();
        // Taking the permit before spawning starts the batches in their order (the document's):
        // spawned tasks are polled in no particular order, so a permit taken inside the task
        // could let the last batch go first.
        let Ok(permit) = permits.acquire_owned().await else {
            break;
        };
        tasks.spawn(async move {
            let _permit = permit;
            let mut attempts = 0;
            let result = loop {
                attempts += 1;
                if let Some(spacing) = limits.spacing() {
                    let slot = {
                        let mut next = schedule.lock().await;
                        let slot = (*next).max(Instant::now());
                        *next = slot + spacing;
                        slot
                    };
                    tokio::time::sleep_until(slot).await;
                }
                let outcome =
                    match tokio::time::timeout(limits.timeout, backend.translate(&batch)).await {
                        Ok(r) => r,
                        Err(_) => Err(BackendError::Timeout {
                            backend: backend.name().to_string(),
                            after: limits.timeout,
                        }),
                    };
                match outcome {
                    Err(e) if e.is_retryable() && attempts <= limits.retries => {
                        let wait = e
                            .retry_after()
                            .unwrap_or_else(|| backoff(limits.backoff, attempts));
                        tokio::time::sleep(wait).await;
                    }
                    Ok(replies) if replies.len() != batch.len() => {
                        break Err(BackendError::Batch {
                            backend: backend.name().to_string(),
                            message: format!(
                                "{} replies for {} segments",
                                replies.len(),
                                batch.len()
                            ),
                        });
                    }
                    other => break other,
                }
            };
            let _ = tx.send(Done {
                batch: number,
                result,
                attempts,
            });
        });
    }
    drop(tx);
    while tasks.join_next().await.is_some() {}
}

/// `base · 2^(attempt−1)` plus up to 50 % jitter, at most 60 s.
pub fn backoff(base: Duration, attempt: u32) -> Duration {
    let exp = base.saturating_mul(1 << attempt.saturating_sub(1).min(16));
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(attempt);
    #[allow(clippy::cast_precision_loss)]
    let jitter = (h.finish() % 1000) as f64 / 2000.0;
    exp.mul_f64(1.0 + jitter).min(Duration::from_mins(1))
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;
    use crate::backend::BoxFuture;

    struct Flaky {
        calls: AtomicU32,
        fail_first: u32,
        status: u16,
    }

    impl Backend for Flaky {
        fn name(&self) -> &str {
            "flaky"
        }
        fn model(&self) -> &str {
            "m"
        }
        fn preview(&self, _: &[Request]) -> String {
            String::new()
        }
        fn translate<'a>(
            &'a self,
            batch: &'a [Request],
        ) -> BoxFuture<'a, Result<Vec<Reply>, BackendError>> {
            Box::pin(async move {
                let n = self.calls.fetch_add(1, Ordering::SeqCst);
                if n < self.fail_first {
                    return Err(BackendError::Status {
                        backend: "flaky".into(),
                        status: self.status,
                        message: None,
                        retry_after: None,
                    });
                }
                Ok(batch
                    .iter()
                    .map(|r| Reply::Text {
                        text: r.source.to_uppercase(),
                        score: None,
                    })
                    .collect())
            })
        }
    }

    fn request(s: &str) -> Request {
        Request {
            doc: "doc".into(),
            id: s.into(),
            r#ref: s.into(),
            source: s.into(),
            terms: Vec::new(),
            context: super::super::Context::default(),
            strict: false,
        }
    }

    async fn collect(backend: Flaky, limits: Limits) -> (Vec<Done>, u32) {
        let backend = Arc::new(backend);
        let (tx, mut rx) = mpsc::unbounded_channel();
        run(backend.clone(), vec![vec![request("a")]], limits, tx).await;
        let mut out = Vec::new();
        while let Some(d) = rx.recv().await {
            out.push(d);
        }
        (out, backend.calls.load(Ordering::SeqCst))
    }

    fn fast() -> Limits {
        Limits {
            backoff: Duration::from_millis(1),
            ..Limits::default()
        }
    }

    #[tokio::test]
    async fn server_errors_are_retried() {
        let (done, calls) = collect(
            Flaky {
                calls: AtomicU32::new(0),
                fail_first: 2,
                status: 503,
            },
            fast(),
        )
        .await;
        assert_eq!(calls, 3);
        assert!(done[0].result.is_ok());
        assert_eq!(done[0].attempts, 3);
    }

    #[tokio::test]
    async fn client_errors_are_not_retried() {
        let (done, calls) = collect(
            Flaky {
                calls: AtomicU32::new(0),
                fail_first: 5,
                status: 401,
            },
            fast(),
        )
        .await;
        assert_eq!(calls, 1);
        assert!(done[0].result.is_err());
    }

    #[tokio::test]
    async fn retries_are_bounded() {
        let (done, calls) = collect(
            Flaky {
                calls: AtomicU32::new(0),
                fail_first: 100,
                status: 500,
            },
            Limits {
                retries: 2,
                ..fast()
            },
        )
        .await;
        assert_eq!(calls, 3);
        assert!(done[0].result.is_err());
    }

    #[test]
    fn spacing_takes_the_stricter_limit() {
        let l = Limits {
            per_second: Some(10.0),
            per_minute: Some(60.0),
            ..Limits::default()
        };
        assert_eq!(l.spacing(), Some(Duration::from_secs(1)));
        assert!(backoff(Duration::from_millis(100), 3) >= Duration::from_millis(400));
        assert!(backoff(Duration::from_millis(100), 3) <= Duration::from_millis(600));
    }
}
