//! The corpus in service, swapped whole on reload.
//!
//! Queries take an `Arc` of the current [`Snapshot`] and answer from it alone, so a reload in the
//! middle of a query never mixes versions. A reload that fails validation keeps the last good
//! snapshot serving and records the failure for `/status`.
//!
//! The watcher reloads through [`Live::reload_if_changed`]: it first takes the directory's
//! [`Fingerprint`] (every article file's bytes) and does nothing when it equals the last one
//! read, so an event that changed no byte (a `touch`, another instance's reads, an editor saving
//! the same text) makes no new version and no log line. `/reload` ([`Live::reload`]) always
//! reads.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use arc_swap::ArcSwap;
use chrono::{DateTime, Utc};

use crate::corpus::Counts;
use crate::indexed::Indexed;
use crate::load::{Fingerprint, LoadConfig, LoadFailure, Skipped, fingerprint, load_dir};
use crate::problem::Problem;
use crate::watch::{WatchStatus, Watching};

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
    /// The entries of `articles/` that were not read, each with why.
    pub skipped: Vec<Skipped>,
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
    /// Serializes reloads so versions increase in the order they were loaded. Holds the
    /// fingerprint of the data last read (loaded or refused), taken before reading it.
    reloading: Mutex<Option<Fingerprint>>,
    /// The watcher's state, once [`watch`] has started one.
    watching: Mutex<Option<WatchStatus>>,
}

impl Live {
    /// Loads the directory for the first time; fails with every problem when it is not valid.
    pub fn load(data_dir: &Path, config: LoadConfig) -> Result<Live, LoadFailure> {
        // The fingerprint of the very bytes loaded: no second read of the directory.
        let loaded = load_dir(data_dir, &config)?;
        let read = loaded.fingerprint;
        let snapshot = Snapshot {
            corpus: Arc::new(Indexed::new(loaded.corpus)),
            version: 1,
            loaded_at: Utc::now(),
            files: loaded.files.len(),
            warnings: loaded.warnings,
            skipped: loaded.skipped,
        };
        Ok(Live {
            data_dir: data_dir.to_path_buf(),
            config,
            current: ArcSwap::from_pointee(snapshot),
            last_failure: Mutex::new(None),
            reloading: Mutex::new(Some(read)),
            watching: Mutex::new(None),
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
            skipped: Vec::new(),
        };
        Live {
            data_dir: data_dir.to_path_buf(),
            config: LoadConfig::default(),
            current: ArcSwap::from_pointee(snapshot),
            last_failure: Mutex::new(None),
            reloading: Mutex::new(None),
            watching: Mutex::new(None),
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

    /// Whether changes to the data directory are being picked up: `No` with the reason when
    /// the directory is gone, the watch failed, or nothing watches (`ask`, the console).
    pub fn watching(&self) -> Watching {
        match &*lock(&self.watching) {
            Some(status) => status.get(),
            None => Watching::No("no watcher runs in this mode; use /reload after changes".into()),
        }
    }

    /// Reads and validates the whole directory again, whatever changed; swaps the new corpus in
    /// only when valid.
    pub fn reload(&self) -> ReloadOutcome {
        let mut last_read = lock(&self.reloading);
        *last_read = Some(fingerprint(&self.data_dir, &self.config));
        self.reload_now()
    }

    /// Reloads only when the data's bytes differ from the last read; `None` when they do not
    /// (nothing is logged, the version stays). What the watcher calls.
    pub fn reload_if_changed(&self) -> Option<ReloadOutcome> {
        let mut last_read = lock(&self.reloading);
        let now = fingerprint(&self.data_dir, &self.config);
        if *last_read == Some(now) {
            tracing::debug!("data directory event, but no article file changed");
            return None;
        }
        *last_read = Some(now);
        Some(self.reload_now())
    }

    /// The reload itself; the caller holds `reloading`.
    fn reload_now(&self) -> ReloadOutcome {
        match load_dir(&self.data_dir, &self.config) {
            Ok(loaded) => {
                let version = self.current.load().version + 1;
                let counts = loaded.corpus.counts();
                let warnings = loaded.warnings.len();
                // Each warning is logged when it first appears, not again at every reload: the
                // log would otherwise repeat the same lines for as long as the data stands.
                let before: Vec<String> = self
                    .current
                    .load()
                    .warnings
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                let mut repeated = 0;
                for warning in &loaded.warnings {
                    if before.contains(&warning.to_string()) {
                        repeated += 1;
                    } else {
                        tracing::warn!(%warning, "data warning");
                    }
                }
                if repeated > 0 {
                    tracing::info!(
                        repeated,
                        "data warnings unchanged (briefing-bot check lists them)"
                    );
                }
                self.current.store(Arc::new(Snapshot {
                    corpus: Arc::new(Indexed::new(loaded.corpus)),
                    version,
                    loaded_at: Utc::now(),
                    files: loaded.files.len(),
                    warnings: loaded.warnings,
                    skipped: loaded.skipped,
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
                let problems: Vec<String> =
                    failure.problems.iter().map(|p| p.to_string()).collect();
                // The same problems as the last refused reload are not logged again.
                let same = lock(&self.last_failure)
                    .as_ref()
                    .is_some_and(|last| last.problems == problems);
                if same {
                    tracing::info!(
                        problems = problems.len(),
                        "reload still refused for the same problems; the previous corpus keeps serving"
                    );
                } else {
                    for problem in &failure.problems {
                        tracing::error!(%problem, "reload refused; the previous corpus keeps serving");
                    }
                }
                let failed = FailedReload {
                    at: Utc::now(),
                    problems,
                };
                *lock(&self.last_failure) = Some(failed.clone());
                ReloadOutcome::Failed(failed)
            }
        }
    }
}

/// A poisoned lock only means another thread panicked while holding it; the data it guards (an
/// `Option`) is always whole, so carry on with it.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Reloads `live` after each burst of changes in its data directory that changed an article
/// file's bytes, for as long as the handle is kept. `live.watching()` follows the watch.
pub fn watch(
    live: &Arc<Live>,
    debounce: std::time::Duration,
) -> Result<crate::watch::WatchHandle, notify::Error> {
    let target = Arc::clone(live);
    match crate::watch::watch_dir(&live.data_dir, debounce, move |_| {
        target.reload_if_changed();
    }) {
        Ok(handle) => {
            *lock(&live.watching) = Some(handle.status());
            Ok(handle)
        }
        Err(err) => {
            let reason = format!("cannot watch {}: {err}", live.data_dir.display());
            *lock(&live.watching) = Some(WatchStatus::stopped(reason));
            Err(err)
        }
    }
}
