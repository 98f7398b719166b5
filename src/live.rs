//! The corpus in service, swapped whole on reload.
//!
//! Queries take an `Arc` of the current [`Snapshot`] and answer from it alone, so a reload in the
//! middle of a query never mixes versions. A reload that fails validation keeps the last good
//! snapshot serving and records the failure for `/status`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use arc_swap::ArcSwap;
use chrono::{DateTime, Utc};

use crate::corpus::Counts;
use crate::indexed::Indexed;
use crate::load::{LoadConfig, LoadFailure, load_dir};
use crate::problem::Problem;

/// One loaded version of the corpus.
#[derive(Debug)]
pub struct Snapshot {
    /// Shared with long-running readers such as the digest scheduler.
    pub corpus: Arc<Indexed>,
    /// 1 for the first load, then one more per successful reload.
    pub version: u64,
    pub loaded_at: DateTime<Utc>,
    pub files: usize,
    pub warnings: Vec<Problem>,
}

/// A reload that did not take: when, and every problem found.
#[derive(Debug, Clone)]
pub struct FailedReload {
    pub at: DateTime<Utc>,
    pub problems: Vec<String>,
}

/// What one reload did.
#[derive(Debug, Clone)]
pub enum ReloadOutcome {
    Loaded {
        version: u64,
        counts: Counts,
        warnings: usize,
    },
    /// The previous snapshot keeps serving.
    Failed(FailedReload),
}

/// The data directory and the snapshot serving from it.
pub struct Live {
    data_dir: PathBuf,
    config: LoadConfig,
    current: ArcSwap<Snapshot>,
    last_failure: Mutex<Option<FailedReload>>,
    /// Serializes reloads so versions increase in the order they were loaded.
    reloading: Mutex<()>,
}

impl Live {
    /// Loads the directory for the first time; fails with every problem when it is not valid.
    pub fn load(data_dir: &Path, config: LoadConfig) -> Result<Live, LoadFailure> {
        let loaded = load_dir(data_dir, &config)?;
        let snapshot = Snapshot {
            corpus: Arc::new(Indexed::new(loaded.corpus)),
            version: 1,
            loaded_at: Utc::now(),
            files: loaded.files.len(),
            warnings: loaded.warnings,
        };
        Ok(Live {
            data_dir: data_dir.to_path_buf(),
            config,
            current: ArcSwap::from_pointee(snapshot),
            last_failure: Mutex::new(None),
            reloading: Mutex::new(()),
        })
    }

    /// Serves an already built corpus (tests, benchmarks, generated data).
    pub fn from_corpus(corpus: impl Into<Indexed>, data_dir: &Path) -> Live {
        let snapshot = Snapshot {
            corpus: Arc::new(corpus.into()),
            version: 1,
            loaded_at: Utc::now(),
            files: 0,
            warnings: Vec::new(),
        };
        Live {
            data_dir: data_dir.to_path_buf(),
            config: LoadConfig::default(),
            current: ArcSwap::from_pointee(snapshot),
            last_failure: Mutex::new(None),
            reloading: Mutex::new(()),
        }
    }

    /// The snapshot serving now. Hold it for the whole of one answer.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.current.load_full()
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The last reload that failed, if the latest attempt failed since the last success.
    pub fn last_failure(&self) -> Option<FailedReload> {
        lock(&self.last_failure).clone()
    }

    /// Reads and validates the whole directory again; swaps the new corpus in only when valid.
    pub fn reload(&self) -> ReloadOutcome {
        let _one_at_a_time = lock(&self.reloading);
        match load_dir(&self.data_dir, &self.config) {
            Ok(loaded) => {
                let version = self.current.load().version + 1;
                let counts = loaded.corpus.counts();
                let warnings = loaded.warnings.len();
                for warning in &loaded.warnings {
                    tracing::warn!(%warning, "data warning");
                }
                self.current.store(Arc::new(Snapshot {
                    corpus: Arc::new(Indexed::new(loaded.corpus)),
                    version,
                    loaded_at: Utc::now(),
                    files: loaded.files.len(),
                    warnings: loaded.warnings,
                }));
                *lock(&self.last_failure) = None;
                tracing::info!(version, articles = counts.articles, "corpus reloaded");
                ReloadOutcome::Loaded {
                    version,
                    counts,
                    warnings,
                }
            }
            Err(failure) => {
                for problem in &failure.problems {
                    tracing::error!(%problem, "reload refused; the previous corpus keeps serving");
                }
                let failed = FailedReload {
                    at: Utc::now(),
                    problems: failure.problems.iter().map(|p| p.to_string()).collect(),
                };
                *lock(&self.last_failure) = Some(failed.clone());
                ReloadOutcome::Failed(failed)
            }
        }
    }
}

/// A poisoned lock only means another thread panicked while holding it; the data it guards (an
/// `Option` or `()`) is always whole, so carry on with it.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Reloads `live` after each burst of changes in its data directory, for as long as the handle
/// is kept.
pub fn watch(
    live: &Arc<Live>,
    debounce: std::time::Duration,
) -> Result<crate::watch::WatchHandle, notify::Error> {
    let target = Arc::clone(live);
    crate::watch::watch_dir(&live.data_dir, debounce, move || {
        target.reload();
    })
}
