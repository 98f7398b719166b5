//! The running bot's state as the Discord front ends see it: the live corpus (swapped whole on
//! reload, see [`crate::live`]) and the settings answers depend on.
//!
//! Every invocation goes through [`App::answer`], which hands it to the engine's one entry point
//! [`cmd::answer_live`] with whether the user holds Manage Server where they asked: admin
//! commands (`/status`, `/reload`, later `/digest`) are checked again there, since the permission
//! Discord hides a command behind is a hint to clients, not a guarantee.

use std::path::Path;
use std::sync::Arc;

use crate::cmd::{self, Caller};
use crate::corpus::Corpus;
use crate::live::{Live, Snapshot};
use crate::reply::{Invocation, Reply};

/// The shared state of one bot process.
pub struct App {
    live: Arc<Live>,
    /// Whether answers are visible only to the asker when the `ephemeral` option is not given.
    pub ephemeral_default: bool,
}

impl App {
    pub fn new(live: Arc<Live>) -> App {
        App {
            live,
            ephemeral_default: false,
        }
    }

    /// Serves an already built corpus (tests, generated data); `/reload` then reads the current
    /// directory.
    pub fn from_corpus(corpus: Corpus) -> App {
        App::new(Arc::new(Live::from_corpus(corpus, Path::new("."))))
    }

    pub fn live(&self) -> &Arc<Live> {
        &self.live
    }

    /// The snapshot serving now; hold it for the whole of one answer.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.live.snapshot()
    }

    /// Answers one invocation. `is_admin` is whether the user holds Manage Server where they
    /// asked; admin commands refuse everyone else.
    pub fn answer(&self, invocation: &Invocation, is_admin: bool) -> Reply {
        cmd::answer_live(&self.live, invocation, Caller { is_admin })
    }
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("version", &self.live.snapshot().version)
            .field("ephemeral_default", &self.ephemeral_default)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_commands_refuse_members_without_manage_server() {
        let app = App::from_corpus(Corpus::build(Vec::new()));
        let admin: Vec<&str> = cmd::COMMANDS
            .iter()
            .filter(|spec| spec.admin)
            .map(|spec| spec.name)
            .collect();
        assert!(admin.contains(&"status"), "{admin:?}");
        for path in ["status", "reload", "digest list"] {
            let refusal = app.answer(&Invocation::new(path), false);
            assert!(!refusal.ok, "{path}");
            assert!(
                refusal.body.contains("Manage Server"),
                "{path}: {refusal:?}"
            );
        }
        assert!(app.answer(&Invocation::new("status"), true).ok);
    }

    #[test]
    fn ordinary_commands_are_for_everyone() {
        let app = App::from_corpus(Corpus::build(Vec::new()));
        assert!(app.answer(&Invocation::new("help"), false).ok);
    }
}
