//! `briefing-bot check`: validates a data directory for the people who write it.

use std::path::Path;
use std::process::ExitCode;

use crate::load::{LoadConfig, load_dir};

/// Prints a summary and the warnings of a valid directory (exit 0), or every problem (exit 1).
pub fn run(data_dir: &Path) -> ExitCode {
    match load_dir(data_dir, &LoadConfig::default()) {
        Ok(loaded) => {
            let c = loaded.corpus.counts();
            println!(
                "{}: {} articles, {} people, {} statements, {} context items, {} events",
                data_dir.display(),
                c.articles,
                c.people,
                c.statements,
                c.context,
                c.events
            );
            for warning in &loaded.warnings {
                println!("warning: {warning}");
            }
            println!("ok: {} files valid", loaded.files.len());
            ExitCode::SUCCESS
        }
        Err(failure) => {
            for problem in &failure.problems {
                println!("error: {problem}");
            }
            for warning in &failure.warnings {
                println!("warning: {warning}");
            }
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
