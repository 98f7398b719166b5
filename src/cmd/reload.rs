//! `/reload` (Manage Server): reads the data directory again now, instead of waiting for the
//! watcher. A failed reload keeps the current corpus serving and says why.

use crate::live::{Live, ReloadOutcome};
use crate::reply::Reply;

use super::CommandSpec;
use crate::wording;

pub static SPEC: CommandSpec = CommandSpec {
    name: "reload",
    description: "Reload the article data now (Manage Server)",
    options: &[],
    admin: true,
    subcommands: &[],
};

pub fn apply(live: &Live) -> Reply {
    match live.reload() {
        ReloadOutcome::Loaded {
            version,
            counts,
            warnings,
        } => Reply {
            ok: true,
            title: format!("Reloaded: version {version}"),
            body: format!(
                "{}, {}, {}; {}.",
                wording::count(counts.articles, "article"),
                wording::count(counts.people, "person"),
                wording::count(counts.statements, "statement"),
                wording::count(warnings, "warning")
            ),
            ..Reply::default()
        },
        ReloadOutcome::Failed(failed) => {
            let mut reply = Reply::failure(
                "Reload refused",
                format!(
                    "The data has {}; version {} keeps serving.",
                    wording::count(failed.problems.len(), "problem"),
                    live.snapshot().version
                ),
            );
            reply.field("Problems", failed.problems.into_iter().take(15).collect());
            reply
        }
    }
}
