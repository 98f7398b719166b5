//! The `draft` subcommand: reads files, drafts each, prints the JSON (or writes it with
//! `--write`) and the review lines on stderr.
//!
//! Exit status as elsewhere on the command line: 0 when every file gave a draft, 1 when a file
//! could not be read or held no article (or the data does not load), 2 for a usage error.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{DraftConfig, draft, link};
use crate::load::{LoadConfig, load_dir};

/// What the command line asked for.
#[derive(Debug, Clone, Default)]
pub struct DraftArgs {
    pub files: Vec<PathBuf>,
    pub published: Option<chrono::NaiveDate>,
    pub id: Option<String>,
    pub url: Option<String>,
    /// Write DIR/articles/<id>.json instead of printing.
    pub write: bool,
}

/// Runs `briefing-bot draft` on the process' stdout and stderr.
pub fn run(data_dir: &Path, limits: &LoadConfig, args: &DraftArgs) -> ExitCode {
    let status = run_to(
        data_dir,
        limits,
        args,
        &mut std::io::stdout(),
        &mut std::io::stderr(),
    );
    ExitCode::from(status)
}

/// Runs `briefing-bot draft` writing drafts to `out` and messages to `err`; returns the exit
/// status. Writes to a closed pipe (`| head`) are not worth a panic, so their errors are dropped.
pub fn run_to(
    data_dir: &Path,
    limits: &LoadConfig,
    args: &DraftArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    if args.files.is_empty() {
        let _ = writeln!(
            err,
            "briefing-bot draft: no file given; usage: briefing-bot draft [--published DATE] [--id ID] [--url URL] [--write] FILE..."
        );
        return 2;
    }
    if args.files.len() > 1 && (args.id.is_some() || args.url.is_some()) {
        let _ = writeln!(
            err,
            "briefing-bot draft: --id and --url name one article; give one FILE with them"
        );
        return 2;
    }
    if let Some(id) = &args.id
        && super::slug(id, usize::MAX) != *id
    {
        let _ = writeln!(
            err,
            "briefing-bot draft: --id \"{id}\" is not a slug (lowercase letters, digits and '-', e.g. 2025-03-14-beijing-meeting)"
        );
        return 2;
    }
    let loaded = match load_dir(data_dir, limits) {
        Ok(loaded) => loaded,
        Err(failure) => {
            let _ = writeln!(
                err,
                "briefing-bot draft: the data in {} does not load ({} problem(s); run `briefing-bot check`); drafting links people against it",
                data_dir.display(),
                failure.problems.len()
            );
            return 1;
        }
    };
    let corpus = &crate::indexed::Indexed::new(loaded.corpus);
    let mut status = 0;
    let mut written_ids: Vec<String> = Vec::new();
    for file in &args.files {
        let shown = file.display();
        let bytes = match std::fs::read(file) {
            Ok(bytes) => bytes,
            Err(error) => {
                let _ = writeln!(err, "briefing-bot draft: {shown}: cannot read: {error}");
                status = 1;
                continue;
            }
        };
        let config = DraftConfig {
            published: args.published,
            id: args.id.clone(),
            url: args.url.clone(),
            html: file
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm")),
        };
        let drafted = match draft(&bytes, corpus, &config) {
            Ok(drafted) => drafted,
            Err(error) => {
                let _ = writeln!(err, "briefing-bot draft: {shown}: {error}");
                status = 1;
                continue;
            }
        };
        for line in &drafted.review {
            let _ = writeln!(err, "{shown}: {line}");
        }
        // Serializing an `Article` cannot fail: strings, lists and options only.
        let json =
            serde_json::to_string_pretty(&drafted.article).expect("article serializes") + "\n";
        if !args.write {
            let _ = out.write_all(json.as_bytes());
            continue;
        }
        let id = &drafted.article.id;
        if link::article_id_taken(corpus, id) || written_ids.contains(id) {
            let _ = writeln!(
                err,
                "briefing-bot draft: {shown}: the article id {id} is already in {}; give another with --id",
                data_dir.display()
            );
            status = 1;
            continue;
        }
        let target = data_dir.join("articles").join(format!("{id}.json"));
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
            .and_then(|mut f| f.write_all(json.as_bytes()));
        match written {
            Ok(()) => {
                let _ = writeln!(err, "{shown}: wrote {}", target.display());
                written_ids.push(id.clone());
            }
            Err(error) => {
                let _ = writeln!(
                    err,
                    "briefing-bot draft: {shown}: cannot write {}: {error} (an existing file is never replaced)",
                    target.display()
                );
                status = 1;
            }
        }
    }
    status
}
