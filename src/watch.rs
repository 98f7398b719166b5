//! Watching the data directory: content changes of article files, debounced into one "reload
//! now" call per burst, and a watch that outlives the directory it watches.
//!
//! **Which events count.** A reload reads every article file, and reading a file is itself a file
//! event (inotify's open / close-nowrite): a watcher that reacted to every event would reload
//! because it reloaded, forever, and instances sharing a directory would set each other off. So
//! only content changes count: a file created, written, renamed or removed. Access events
//! (open, read, close) and metadata-only changes (`touch`, `chmod`) never do. Of those, only
//! article files (see [`crate::load::is_article_name`]) and the data directory itself and its
//! `articles/` count; editors' swap and temporary files do not.
//!
//! **Debounce.** Editors write a file in several steps (temporary file, rename, chmod) and people
//! save several files at once; reloading on each event would validate half-written data. The
//! watcher calls back once the counted events have stopped for the debounce interval (or, under
//! a change that never stops, at the latest [`MAX_DELAY_FACTOR`] intervals after the first).
//! Events that do not count do not extend the wait. Whether the bytes really changed is the
//! caller's question: [`crate::load::fingerprint`] answers it.
//!
//! **Surviving the directory.** inotify watches an inode, not a name: after
//! `rm -rf data && cp -r backup data`, or a deploy tool's rename swap (`mv data.new data`), a
//! watch on the old directory sees nothing of the new one. So the data directory's *parent* is
//! watched too (not recursively): when the entry for the data directory is created, removed or
//! renamed, or the watched directory itself is deleted or moved, the watcher moves its recursive
//! watch to whatever directory is at the path now and calls back so it is read. While the directory is gone, [`Watching::No`] says so; `/status` shows it.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use notify::event::{EventKind, ModifyKind};
use notify::{RecursiveMode, Watcher};

/// How long the data directory must be quiet before a reload (or a `check --watch` run). One
/// value for the bot and for `check --watch`; the README quotes it.
pub const DEBOUNCE: Duration = Duration::from_millis(500);

/// A burst of changes that never goes quiet still reloads after this many debounce intervals.
pub const MAX_DELAY_FACTOR: u32 = 10;

/// Whether changes to the data directory are being seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Watching {
    Yes,
    /// Not watching, and why (the directory is gone, the watch failed, no watcher runs).
    No(String),
}

impl std::fmt::Display for Watching {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Watching::Yes => write!(f, "yes"),
            Watching::No(reason) => write!(f, "no ({reason})"),
        }
    }
}

/// The watcher's current [`Watching`] state, shared with whoever reports it.
#[derive(Debug, Clone)]
pub struct WatchStatus(Arc<Mutex<Watching>>);

impl WatchStatus {
    fn new(state: Watching) -> WatchStatus {
        WatchStatus(Arc::new(Mutex::new(state)))
    }

    /// A status that says no, for a watch that could not start.
    pub fn stopped(reason: String) -> WatchStatus {
        WatchStatus::new(Watching::No(reason))
    }

    pub fn get(&self) -> Watching {
        lock(&self.0).clone()
    }

    fn set(&self, state: Watching) {
        let mut current = lock(&self.0);
        if *current != state {
            match &state {
                Watching::Yes => tracing::info!("watching the data directory"),
                Watching::No(reason) => tracing::warn!(%reason, "not watching the data directory"),
            }
            *current = state;
        }
    }
}

/// A poisoned lock only means a thread panicked while holding it; a `Watching` is always whole.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Keeps the watch running; dropping it stops the watcher and waits for its thread.
pub struct WatchHandle {
    stop: mpsc::Sender<Signal>,
    thread: Option<thread::JoinHandle<()>>,
    status: WatchStatus,
}

impl WatchHandle {
    /// Whether changes are being seen now.
    pub fn status(&self) -> WatchStatus {
        self.status.clone()
    }
}

impl Drop for WatchHandle {
    fn drop(&mut self) {
        let _ = self.stop.send(Signal::Stop);
        if let Some(thread) = self.thread.take() {
            // A panic in the callback has already been reported by the panic hook.
            let _ = thread.join();
        }
        // Stopped on purpose (shutdown): said without a warning, which is for losing the watch.
        let mut current = lock(&self.status.0);
        if *current == Watching::Yes {
            tracing::info!("stopped watching the data directory");
        }
        *current = Watching::No("the watcher was stopped".to_string());
    }
}

enum Signal {
    Event(notify::Event),
    Error(notify::Error),
    Stop,
}

/// Calls `on_change` after each burst of content changes to article files under `data_dir`,
/// once they have been quiet for `debounce`, and after the directory is replaced or comes back.
/// The callback gets the watch state at that moment. Runs on its own thread.
///
/// Fails when neither the data directory nor its parent can be watched. A data directory that
/// does not exist yet is waited for ([`Watching::No`] until it appears).
pub fn watch_dir(
    data_dir: &Path,
    debounce: Duration,
    on_change: impl FnMut(&Watching) + Send + 'static,
) -> Result<WatchHandle, notify::Error> {
    // Absolute, so that the paths of events from both watches compare; not canonical, so that a
    // data directory that is a symbolic link (a deploy tool's `current`) is followed when swapped.
    let dir = std::path::absolute(data_dir).map_err(notify::Error::io)?;
    let (signals, received) = mpsc::channel::<Signal>();
    let to_thread = signals.clone();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let _ = to_thread.send(match event {
            Ok(event) => Signal::Event(event),
            Err(err) => Signal::Error(err),
        });
    })?;
    let parent = dir.parent().map(Path::to_path_buf);
    if let Some(parent) = &parent {
        watcher.watch(parent, RecursiveMode::NonRecursive)?;
    }
    let status = WatchStatus::new(Watching::No("starting".to_string()));
    let mut watch = DirWatch {
        watcher,
        dir,
        armed: false,
        status: status.clone(),
    };
    watch.arm();
    // Without a parent to wait in, a directory that cannot be watched now never will be.
    if parent.is_none()
        && !watch.armed
        && let Watching::No(reason) = status.get()
    {
        return Err(notify::Error::generic(&reason));
    }
    let thread = thread::Builder::new()
        .name("data-watch".into())
        .spawn(move || watch.run(received, debounce, on_change))
        .map_err(|err| notify::Error::generic(&format!("cannot start the watch thread: {err}")))?;
    Ok(WatchHandle {
        stop: signals,
        thread: Some(thread),
        status,
    })
}

/// The watcher and what it watches; lives on the watch thread.
struct DirWatch {
    watcher: notify::RecommendedWatcher,
    /// The data directory, absolute.
    dir: PathBuf,
    /// Whether the recursive watch is on the data directory.
    armed: bool,
    status: WatchStatus,
}

impl DirWatch {
    fn run(
        mut self,
        received: mpsc::Receiver<Signal>,
        debounce: Duration,
        mut on_change: impl FnMut(&Watching),
    ) {
        // When the current burst started and when it goes quiet; `None` between bursts.
        let mut burst: Option<(Instant, Instant)> = None;
        loop {
            let signal = match burst {
                None => received
                    .recv()
                    .map_err(|_| mpsc::RecvTimeoutError::Disconnected),
                Some((first, quiet_at)) => {
                    let due = quiet_at.min(first + debounce * MAX_DELAY_FACTOR);
                    received.recv_timeout(due.saturating_duration_since(Instant::now()))
                }
            };
            let counts = match signal {
                Ok(Signal::Stop) | Err(mpsc::RecvTimeoutError::Disconnected) => return,
                Ok(Signal::Event(event)) => self.counts(&event),
                Ok(Signal::Error(err)) => {
                    // Events may have been lost, or the watch may be gone: watch afresh (the
                    // status says so if that fails too) and read the directory again.
                    tracing::warn!(%err, "data directory watch error; watching it afresh");
                    self.rearm();
                    true
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    burst = None;
                    on_change(&self.status.get());
                    continue;
                }
            };
            if counts {
                let now = Instant::now();
                let first = burst.map_or(now, |(first, _)| first);
                burst = Some((first, now + debounce));
            }
        }
    }

    /// Whether `event` can change what a load reads; re-arms first when it says the directory
    /// itself was replaced.
    fn counts(&mut self, event: &notify::Event) -> bool {
        if event.need_rescan() {
            return true; // events were lost: anything may have changed
        }
        let content = match event.kind {
            EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_)) => false,
            EventKind::Other => false,
            EventKind::Any | EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) => {
                true
            }
        };
        if !content {
            return false;
        }
        let articles = self.dir.join("articles");
        let mut counts = false;
        for path in &event.paths {
            if *path == self.dir {
                // The directory's own entry was created, removed or renamed (or the directory
                // itself was deleted or moved away): whatever is there now is what to watch.
                self.rearm();
                counts = true;
            } else if *path == articles {
                counts = true;
            } else if path.starts_with(&self.dir) {
                counts |= path
                    .file_name()
                    .and_then(|name| name.to_str())
                    .is_some_and(crate::load::is_article_name);
            }
        }
        counts
    }

    /// Moves the recursive watch to the directory now at the data directory's path. The watch
    /// follows an inode, not a name, so after a delete and re-create or a rename swap the old
    /// watch sees nothing of the new directory (and inode numbers can be reused, so comparing
    /// them would not tell a re-created directory apart).
    fn rearm(&mut self) {
        if std::mem::take(&mut self.armed) {
            // Often already gone with its directory; either way it watches nothing useful now.
            let _ = self.watcher.unwatch(&self.dir);
        }
        self.arm();
    }

    /// Puts the recursive watch on the data directory as it is now, and says so in the status.
    fn arm(&mut self) {
        if !self.dir.is_dir() {
            self.status.set(Watching::No(format!(
                "{} does not exist; waiting for it to be created",
                self.dir.display()
            )));
            return;
        }
        match self.watcher.watch(&self.dir, RecursiveMode::Recursive) {
            Ok(()) => {
                self.armed = true;
                self.status.set(Watching::Yes);
            }
            Err(err) => self.status.set(Watching::No(format!(
                "cannot watch {}: {err}; use /reload after changes",
                self.dir.display()
            ))),
        }
    }
}
