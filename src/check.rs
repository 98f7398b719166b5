//! `briefing-bot check`: validates a data directory for the people who write it.

use std::path::Path;
use std::process::ExitCode;

use crate::load::{LoadConfig, Loaded, Skipped, fingerprint, load_dir};
use crate::watch::{DEBOUNCE, Watching, watch_dir};
use crate::wording::count;

/// Checks once, then again after each burst of changes to article files, until interrupted. For
/// people writing the data: save a file and see at once whether it is valid. A burst that changed
/// no byte (a `touch`, a `cat`) prints nothing; a data directory deleted, re-created or swapped
/// is followed and said so.
pub fn watch(data_dir: &Path, limits: &LoadConfig) -> ExitCode {
    let mut last = fingerprint(data_dir, limits);
    run(data_dir, limits);
    let dir = data_dir.to_path_buf();
    let limits = limits.clone();
    let mut watching = data_dir.is_dir();
    let handle = watch_dir(data_dir, DEBOUNCE, move |state| {
        let now = chrono::Local::now().format("%H:%M:%S");
        match state {
            Watching::No(reason) if watching => println!("\n--- not watching at {now}: {reason}"),
            Watching::Yes if !watching => {
                println!("\n--- watching {} again at {now}", dir.display())
            }
            _ => {}
        }
        watching = *state == Watching::Yes;
        let read = fingerprint(&dir, &limits);
        if read == last {
            return;
        }
        last = read;
        println!("\n--- {} changed at {now}", dir.display());
        run(&dir, &limits);
    });
    match handle {
        Ok(handle) => {
            match handle.status().get() {
                Watching::Yes => {
                    println!("watching {} for changes (Ctrl-C stops)", data_dir.display())
                }
                Watching::No(reason) => println!("not watching yet: {reason} (Ctrl-C stops)"),
            }
            loop {
                std::thread::park();
            }
        }
        Err(err) => {
            eprintln!("briefing-bot: cannot watch {}: {err}", data_dir.display());
            ExitCode::from(1)
        }
    }
}

/// Prints a summary and the warnings of a valid directory (exit 0), or every problem (exit 1).
pub fn run(data_dir: &Path, limits: &LoadConfig) -> ExitCode {
    checked(data_dir, limits).0
}

/// [`run`] for a process that ends with it (`briefing-bot check`): the corpus is left to the
/// operating system rather than freed string by string (a tenth of the check's time at 10k
/// articles).
pub fn once(data_dir: &Path, limits: &LoadConfig) -> ExitCode {
    let (code, loaded) = checked(data_dir, limits);
    std::mem::forget(loaded);
    code
}

/// [`run`], with the corpus it loaded.
fn checked(data_dir: &Path, limits: &LoadConfig) -> (ExitCode, Option<Loaded>) {
    match load_dir(data_dir, limits) {
        Ok(loaded) => {
            let c = loaded.corpus.counts();
            println!(
                "{}: {}, {}, {}, {}, {}",
                data_dir.display(),
                count(c.articles, "article"),
                count(c.people, "person"),
                count(c.statements, "statement"),
                count(c.context, "context item"),
                count(c.events, "event")
            );
            for warning in &loaded.warnings {
                println!("warning: {warning}");
            }
            print_skipped(&loaded.skipped);
            println!("ok: {} valid", count(loaded.files.len(), "file"));
            (ExitCode::SUCCESS, Some(loaded))
        }
        Err(failure) => {
            for problem in &failure.problems {
                println!("error: {problem}");
            }
            for warning in &failure.warnings {
                println!("warning: {warning}");
            }
            print_skipped(&failure.skipped);
            println!(
                "{} problem{} in {}; nothing loaded",
                failure.problems.len(),
                if failure.problems.len() == 1 { "" } else { "s" },
                data_dir.display()
            );
            (ExitCode::from(1), None)
        }
    }
}

/// One line per entry of `articles/` that was not read, so nothing is left out without a word.
fn print_skipped(skipped: &[Skipped]) {
    for entry in skipped {
        println!("skipped: {entry}");
    }
}
