//! `/status` (Manage Server): the corpus in service, when it was loaded, whether the data
//! directory is being watched, the entries it skipped, and the last failed reload with its errors.

use crate::live::Live;
use crate::reply::Reply;

use super::CommandSpec;
use crate::wording;

pub static SPEC: CommandSpec = CommandSpec {
    name: "status",
    description: "The corpus in use and the last failed reload (Manage Server)",
    options: &[],
    admin: true,
    subcommands: &[],
};

/// At most this many problems of a failed reload are listed; the log has them all.
const MAX_PROBLEMS: usize = 15;

pub fn apply(live: &Live) -> Reply {
    let snapshot = live.snapshot();
    let c = snapshot.corpus.counts();
    let mut reply = Reply {
        ok: true,
        title: "Status".to_string(),
        body: format!(
            "Serving version {} of {}, loaded {} from {}.",
            snapshot.version,
            live.data_dir().display(),
            snapshot.loaded_at.format("%Y-%m-%d %H:%M:%S UTC"),
            wording::count(snapshot.files, "file")
        ),
        ..Reply::default()
    };
    reply.field(
        "Corpus",
        vec![format!(
            "{}, {}, {}, {} context items, {}",
            wording::count(c.articles, "article"),
            wording::count(c.people, "person"),
            wording::count(c.statements, "statement"),
            c.context,
            wording::count(c.events, "event")
        )],
    );
    reply.field(
        format!("Warnings ({})", snapshot.warnings.len()),
        snapshot
            .warnings
            .iter()
            .take(MAX_PROBLEMS)
            .map(|w| w.to_string())
            .collect(),
    );
    reply.field("Watching", vec![live.watching().to_string()]);
    if !snapshot.skipped.is_empty() {
        reply.field(
            format!("Skipped ({})", snapshot.skipped.len()),
            snapshot
                .skipped
                .iter()
                .take(MAX_PROBLEMS)
                .map(|s| s.to_string())
                .collect(),
        );
    }
    match live.last_failure() {
        None => reply.field(
            "Last reload",
            vec!["No failed reload since this version loaded.".to_string()],
        ),
        Some(failed) => {
            let mut lines = vec![format!(
                "Failed at {}; version {} kept serving. {}:",
                failed.at.format("%Y-%m-%d %H:%M:%S UTC"),
                snapshot.version,
                wording::count(failed.problems.len(), "problem")
            )];
            lines.extend(failed.problems.iter().take(MAX_PROBLEMS).cloned());
            if failed.problems.len() > MAX_PROBLEMS {
                lines.push(format!(
                    "… and {} more (see the log)",
                    failed.problems.len() - MAX_PROBLEMS
                ));
            }
            reply.field("Last reload failed", lines);
        }
    }
    reply
}
