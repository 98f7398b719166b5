//! Watching the data directory: file events, debounced into one "reload now" call per burst.
//!
//! Editors write a file in several steps (temporary file, rename, chmod) and people save several
//! files at once; reloading on each event would validate half-written data. The watcher waits until
//! the directory has been quiet for the debounce interval, then calls back once. Events for editor
//! temporary and swap files are ignored.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

/// Keeps the watch running; dropping it stops the watcher and its thread.
pub struct WatchHandle {
    _watcher: notify::RecommendedWatcher,
}

/// Calls `on_change` after each burst of changes to article files under `data_dir`, once the
/// directory has been quiet for `debounce`. Runs on its own thread.
pub fn watch_dir(
    data_dir: &Path,
    debounce: Duration,
    mut on_change: impl FnMut() + Send + 'static,
) -> Result<WatchHandle, notify::Error> {
    let (events, received) = mpsc::channel::<PathBuf>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            for path in event.paths {
                let _ = events.send(path);
            }
        }
    })?;
    watcher.watch(data_dir, RecursiveMode::Recursive)?;
    thread::Builder::new()
        .name("data-watch".into())
        .spawn(move || {
            // Ends when the watcher (the only sender) is dropped.
            while let Ok(path) = received.recv() {
                let mut relevant = counts(&path);
                loop {
                    match received.recv_timeout(debounce) {
                        Ok(path) => relevant |= counts(&path),
                        Err(mpsc::RecvTimeoutError::Timeout) => break,
                        Err(mpsc::RecvTimeoutError::Disconnected) => return,
                    }
                }
                if relevant {
                    on_change();
                }
            }
        })
        .map_err(|err| notify::Error::generic(&format!("cannot start the watch thread: {err}")))?;
    Ok(WatchHandle { _watcher: watcher })
}

/// Whether a change to `path` can change the corpus: a `.json` file that is not an editor's
/// temporary or hidden file (deleted files count: they no longer exist to check).
fn counts(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|name| name.to_str()) else {
        return false;
    };
    name.ends_with(".json") && !name.starts_with('.') && !name.starts_with('#')
}
