//! Thread-pool policy.
//!
//! Every run executes inside its own rayon pool sized by the configuration, the
//! `PADAN_NUM_THREADS` environment variable, or the number of cores, in that order. Results never
//! depend on the size: parallel stages either keep input order or sort their output.

use crate::error::{Error, Result};

/// Resolve the thread count: `configured` (when non-zero), else `PADAN_NUM_THREADS`, else all cores.
///
/// ```
/// assert_eq!(padan::parallel::thread_count(Some(3)), 3);
/// assert!(padan::parallel::thread_count(None) >= 1);
/// ```
pub fn thread_count(configured: Option<usize>) -> usize {
    configured
        .filter(|n| *n > 0)
        .or_else(|| std::env::var("PADAN_NUM_THREADS").ok().and_then(|v| v.parse().ok()).filter(|n| *n > 0))
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// A rayon pool of [`thread_count`] threads.
pub fn pool(configured: Option<usize>) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(thread_count(configured))
        .thread_name(|i| format!("padan-{i}"))
        .build()
        .map_err(|e| Error::Internal(format!("cannot start worker threads: {e}")))
}
