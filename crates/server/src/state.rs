//! The shared state of the handlers and the server's configured limits.

use crate::auth::ApiKeys;
use crate::engine::EngineCell;
use crate::metrics::Metrics;
use dualtrace_goods::Classifier;
use dualtrace_lists::store::Store;
use std::sync::Arc;
use std::time::Duration;

/// Request limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest request body, in bytes (default 1 MiB).
    pub body_bytes: usize,
    /// Most queries in one `/match` or `/reconcile` batch (default 100, as yente).
    pub batch: usize,
    /// Most results per query (default 500, as yente's `MAX_MATCHES`).
    pub results: usize,
    /// Longest time a request may take before it is answered with `timeout` (default 30 s).
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body_bytes: 1024 * 1024,
            batch: 100,
            results: 500,
            timeout: Duration::from_secs(30),
        }
    }
}

/// Everything a handler may need; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The current engine.
    pub engine: Arc<EngineCell>,
    /// The list store (for versions, diffs and entity history).
    pub store: Store,
    /// The API keys, when required.
    pub keys: Option<Arc<ApiKeys>>,
    /// Request metrics.
    pub metrics: Arc<Metrics>,
    /// The goods classifier.
    pub goods: Arc<Classifier>,
    /// Request limits.
    pub limits: Limits,
    /// One permit per core for CPU-bound request work (screening, store reads): requests
    /// beyond that wait in the async queue instead of oversubscribing the cores, so a reload
    /// building the next engine still gets its share of the CPU under load.
    pub workers: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    /// State over a store, with an engine cell that is not loaded yet.
    pub fn new(store: Store, keys: Option<ApiKeys>, limits: Limits) -> AppState {
        AppState {
            engine: Arc::new(EngineCell::default()),
            store,
            keys: keys.filter(|k| !k.is_empty()).map(Arc::new),
            metrics: Arc::new(Metrics::default()),
            goods: Arc::new(Classifier::new()),
            limits,
            workers: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            )),
        }
    }

    /// Runs blocking work (store reads, screening) on the blocking pool, at most one task
    /// per core at a time (see [`AppState::workers`]).
    pub async fn blocking<T, F>(&self, work: F) -> Result<T, crate::error::ApiError>
    where
        T: Send + 'static,
        F: FnOnce(AppState) -> Result<T, crate::error::ApiError> + Send + 'static,
    {
        let permit = Arc::clone(&self.workers)
            .acquire_owned()
            .await
            .map_err(|e| crate::error::ApiError::internal(&e))?;
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            let result = work(state);
            drop(permit);
            result
        })
        .await
        .map_err(|e| crate::error::ApiError::internal(&e))?
    }
}
