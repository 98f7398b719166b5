//! `briefing-bot check`: validates a data directory for the people who write it.

use std::path::Path;
use std::process::ExitCode;

use crate::cmd::render::count;
use crate::load::{LoadConfig, Skipped, load_dir};
use crate::watch::watch_dir;

/// How long the directory must be quiet before a check runs again.
pub const DEBOUNCE: std::time::Duration = std::time::Duration::from_millis(200);

/// Checks once, then again after each burst of changes, until interrupted. For people writing
/// the data: save a file and see at once whether it is valid.
pub fn watch(data_dir: &Path, limits: &LoadConfig) -> ExitCode {
    run(data_dir, limits);
    let dir = data_dir.to_path_buf();
    let limits = limits.clone();
    let handle = watch_dir(data_dir, DEBOUNCE, move || {
        println!(
            "\n--- {} changed at {}",
            dir.display(),
            chrono::Local::now().format("%H:%M:%S")
        );
        run(&dir, &limits);
    });
    match handle {
        Ok(_handle) => {
            println!("watching {} for changes (Ctrl-C stops)", data_dir.display());
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
            ExitCode::SUCCESS
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
            ExitCode::from(1)
        }
    }
}

/// One line per entry of `articles/` that was not read, so nothing is left out without a word.
fn print_skipped(skipped: &[Skipped]) {
    for entry in skipped {
        println!("skipped: {entry}");
    }
}
