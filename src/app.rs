//! The running bot's state as the Discord front ends see it: the live corpus (swapped whole on
//! reload, see [`crate::live`]) and the settings answers depend on.
//!
//! Every invocation goes through [`App::answer_in`], which builds the request's
//! [`cmd::Context`] (snapshot, live directory, digest store, who asked where, now) and hands it
//! to the engine's one entry point [`cmd::answer`]: admin commands (`/status`, `/reload`,
//! `/digest`) are checked again there, since the permission Discord hides a command behind is a
//! hint to clients, not a guarantee.

use std::path::Path;
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

use crate::cmd::{self, Caller, Context, Place};
use crate::indexed::Indexed;
use crate::live::{Live, Snapshot};
use crate::reply::{Invocation, Reply};
use crate::store::Store;

/// The shared state of one bot process.
pub struct App {
    live: Arc<Live>,
    /// Whether answers are visible only to the asker when the `ephemeral` option is not given.
    pub ephemeral_default: bool,
    /// The digest subscriptions, when the bot keeps digests.
    digests: Option<Digests>,
}

/// What `/digest` needs: the store (one SQLite connection; the scheduler has its own) and the
/// scheduler's wake-up, rung after each change so a new schedule takes effect at once.
struct Digests {
    store: Mutex<Store>,
    wake: Arc<Notify>,
}

impl App {
    pub fn new(live: Arc<Live>) -> App {
        App {
            live,
            ephemeral_default: false,
            digests: None,
        }
    }

    /// Answers `/digest` from `store`; returns the notifier the scheduler should wait on.
    pub fn with_digests(mut self, store: Store) -> (App, Arc<Notify>) {
        let wake = Arc::new(Notify::new());
        self.digests = Some(Digests {
            store: Mutex::new(store),
            wake: Arc::clone(&wake),
        });
        (self, wake)
    }

    /// Serves an already built corpus (tests, generated data); `/reload` then reads the current
    /// directory.
    pub fn from_corpus(corpus: impl Into<Indexed>) -> App {
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
        self.answer_in(invocation, is_admin, None)
    }

    /// Answers one invocation asked in `guild_id` (digests belong to a server).
    pub fn answer_in(
        &self,
        invocation: &Invocation,
        is_admin: bool,
        guild_id: Option<u64>,
    ) -> Reply {
        let place = Place {
            guild_id,
            ..Place::default()
        };
        self.answer_at(invocation, is_admin, place)
    }

    /// Answers one invocation asked at `place`: the server, channel and member (`/follow`
    /// alerts the channel it was asked in).
    pub fn answer_at(&self, invocation: &Invocation, is_admin: bool, place: Place) -> Reply {
        let snapshot = self.live.snapshot();
        let ctx = Context {
            live: Some(&self.live),
            store: self.digests.as_ref().map(|digests| &digests.store),
            caller: Caller { is_admin },
            place,
            ..Context::new(&snapshot.corpus)
        };
        let reply = cmd::answer(&ctx, invocation);
        if reply.ok
            && cmd::digest::changes_state(&invocation.command)
            && let Some(digests) = &self.digests
        {
            digests.wake.notify_one();
        }
        reply
    }
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("version", &self.live.snapshot().version)
            .field("ephemeral_default", &self.ephemeral_default)
            .field("digests", &self.digests.is_some())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_commands_refuse_members_without_manage_server() {
        let app = App::from_corpus(crate::corpus::Corpus::build(Vec::new()));
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
        let app = App::from_corpus(crate::corpus::Corpus::build(Vec::new()));
        assert!(app.answer(&Invocation::new("help"), false).ok);
    }
}
