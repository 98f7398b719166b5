//! `briefing-bot run`: the serenity gateway client.
//!
//! It connects with no privileged intent (slash commands arrive regardless), registers the
//! command table on ready by bulk overwrite (on `DISCORD_GUILD_ID` when set, which is instant;
//! else globally), and answers each interaction through [`super::interaction`]. The engine runs
//! on a blocking thread: an answer not ready after `defer_after` is deferred and then edited
//! in, and autocomplete (which cannot be deferred) falls back to no choices at its deadline, so
//! Discord's 3-second window always holds. A failing or panicking handler answers the user
//! briefly and logs the cause; the shard keeps running. Shutdown closes the shards, then waits
//! for replies in flight.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serenity::all::{ClientBuilder, Context, EventHandler, GatewayIntents, Interaction, Ready};
use serenity::builder::{CreateInteractionResponse, EditInteractionResponse};
use serenity::http::Http;
use tokio::sync::Notify;

use super::register::{CommandIds, SharedCommandIds};
use super::rest::{self, Registered, describe, status};
pub use super::timely::Timing;
use super::timely::{self, Timely, kind};
use crate::app::App;
use crate::config::Config;

/// Work that runs beside the gateway on the bot's REST client (the digest scheduler, which main
/// wires in: this front end knows nothing of digests), with the command ids registration
/// fills in on ready (for command mentions). Started once the client exists, aborted at
/// shutdown.
pub type Background = Box<
    dyn FnOnce(Arc<serenity::http::Http>, SharedCommandIds) -> tokio::task::JoinHandle<()> + Send,
>;

/// Why the bot stopped other than by a shutdown signal.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// Discord refused the token (HTTP 401 or gateway close 4004): exit status 2.
    #[error(
        "DISCORD_TOKEN was rejected by Discord ({0}); copy the token again from the Bot page of the developer portal"
    )]
    TokenRejected(String),
    #[error("{0}")]
    Failed(String),
}

/// Connects and answers until `shutdown` completes, then closes the shards and waits for replies
/// in flight.
pub async fn run(
    app: Arc<App>,
    config: &Config,
    timing: Timing,
    background: Option<Background>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), RunError> {
    let http = rest::client(config);
    // One cheap request first, so a rejected token is reported as such before the gateway.
    match http.get_current_user().await {
        Ok(user) => tracing::info!(bot = %user.name, id = %user.id, "token accepted"),
        Err(err) if status(&err) == Some(401) => {
            return Err(RunError::TokenRejected("HTTP 401 Unauthorized".to_string()));
        }
        Err(err) => {
            return Err(RunError::Failed(format!(
                "could not reach Discord: {}",
                describe(&err)
            )));
        }
    }
    let in_flight = Arc::new(InFlight::default());
    let commands = SharedCommandIds::default();
    let handler = Handler {
        app,
        guild_id: config.guild_id,
        timing,
        in_flight: Arc::clone(&in_flight),
        commands: Arc::clone(&commands),
    };
    // No intents: interactions arrive regardless, and none is privileged.
    let mut client = ClientBuilder::new_with_http(http, GatewayIntents::empty())
        .event_handler(handler)
        .await
        .map_err(|err| RunError::Failed(format!("could not build the client: {err}")))?;
    // Background work posts through the same REST client (proxy and default mentions included).
    let scheduler = background.map(|start| start(Arc::clone(&client.http), commands));
    let shards = Arc::clone(&client.shard_manager);
    tokio::spawn(async move {
        shutdown.await;
        tracing::info!("shutting down: closing shards");
        shards.shutdown_all().await;
    });
    // Scheduling does not depend on the shards: every process runs the scheduler (leases make
    // that safe), whichever shards it connects.
    let result = match config.shards {
        None => client.start().await,
        Some(shards) => {
            tracing::info!(
                "connecting shards {}-{} of {}",
                shards.first,
                shards.last,
                shards.total
            );
            // serenity's range end is the last shard, included.
            client
                .start_shard_range(shards.first..shards.last, shards.total)
                .await
        }
    };
    // An interrupted post is finished, not repeated, at the next start (see digest::scheduler).
    if let Some(task) = scheduler {
        task.abort();
    }
    if !in_flight.wait_idle(timing.drain).await {
        tracing::warn!("stopped with replies still in flight");
    }
    match result {
        Ok(()) => Ok(()),
        Err(serenity::Error::Gateway(serenity::gateway::GatewayError::InvalidAuthentication)) => {
            Err(RunError::TokenRejected("gateway close 4004".to_string()))
        }
        Err(err) => Err(RunError::Failed(format!("gateway: {}", describe(&err)))),
    }
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(%err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(%err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => tracing::info!("SIGINT received"),
        () = terminate => tracing::info!("SIGTERM received"),
    }
}

struct Handler {
    app: Arc<App>,
    guild_id: Option<u64>,
    timing: Timing,
    in_flight: Arc<InFlight>,
    /// Discord's ids of the registered commands, for the digests' command mentions.
    commands: SharedCommandIds,
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        tracing::info!(user = %ready.user.name, guilds = ready.guilds.len(), "connected");
        match rest::register(&ctx.http, self.guild_id).await {
            Ok(Registered { count, guild, ids }) => {
                CommandIds::store(&self.commands, ids);
                match guild {
                    Some(guild) => {
                        tracing::info!(count, guild, "commands registered on the server")
                    }
                    None => tracing::info!(
                        count,
                        "commands registered globally (may take a while to show)"
                    ),
                }
            }
            Err(err) => tracing::error!(error = %err, "command registration failed"),
        }
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let _guard = self.in_flight.enter();
        handle(&self.app, &ctx.http, interaction, self.timing).await;
    }
}

/// Answers one interaction within Discord's window, whatever happens to the engine.
async fn handle(app: &Arc<App>, http: &Http, interaction: Interaction, timing: Timing) {
    let kind = kind(&interaction);
    tracing::debug!(kind, id = %interaction.id(), "interaction received");
    match timely::answer(app, &interaction, timing).await {
        Timely::Now(response) => {
            send(http, &interaction, response, kind).await;
        }
        Timely::Deferred { deferral, answer } => {
            if !send(http, &interaction, deferral, kind).await {
                return;
            }
            if let Some(edit) = timely::edit(answer, kind).await {
                edit_response(http, &interaction, edit, kind).await;
            }
        }
    }
}

/// Sends the first response; logs a failure. Returns whether it was sent.
async fn send(
    http: &Http,
    interaction: &Interaction,
    response: CreateInteractionResponse,
    kind: &str,
) -> bool {
    let result = match interaction {
        Interaction::Command(i) | Interaction::Autocomplete(i) => {
            i.create_response(http, response).await
        }
        Interaction::Component(i) => i.create_response(http, response).await,
        Interaction::Modal(i) => i.create_response(http, response).await,
        _ => return false,
    };
    match result {
        Ok(()) => true,
        Err(err) => {
            tracing::warn!(error = %describe(&err), kind, "could not answer an interaction");
            false
        }
    }
}

async fn edit_response(
    http: &Http,
    interaction: &Interaction,
    edit: EditInteractionResponse,
    kind: &str,
) {
    let result = match interaction {
        Interaction::Command(i) => i.edit_response(http, edit).await.map(|_| ()),
        Interaction::Component(i) => i.edit_response(http, edit).await.map(|_| ()),
        _ => return,
    };
    if let Err(err) = result {
        tracing::warn!(error = %describe(&err), kind, "could not edit a deferred answer");
    }
}

/// Counts handlers running, so shutdown can wait for them.
#[derive(Debug, Default)]
struct InFlight {
    count: AtomicUsize,
    idle: Notify,
}

struct InFlightGuard<'a>(&'a InFlight);

impl InFlight {
    fn enter(&self) -> InFlightGuard<'_> {
        self.count.fetch_add(1, Ordering::SeqCst);
        InFlightGuard(self)
    }

    /// Waits until no handler runs, at most `limit`. Returns whether that happened.
    async fn wait_idle(&self, limit: Duration) -> bool {
        let idle = async {
            loop {
                let notified = self.idle.notified();
                if self.count.load(Ordering::SeqCst) == 0 {
                    return;
                }
                notified.await;
            }
        };
        tokio::time::timeout(limit, idle).await.is_ok()
    }
}

impl Drop for InFlightGuard<'_> {
    fn drop(&mut self) {
        if self.0.count.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.idle.notify_waiters();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn shutdown_waits_for_handlers_in_flight() {
        let in_flight = Arc::new(InFlight::default());
        assert!(in_flight.wait_idle(Duration::from_millis(10)).await);
        let guard_owner = Arc::clone(&in_flight);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _guard = guard_owner.enter();
            let _ = rx.await;
        });
        tokio::task::yield_now().await;
        while in_flight.count.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        assert!(!in_flight.wait_idle(Duration::from_millis(20)).await);
        let _ = tx.send(());
        assert!(in_flight.wait_idle(Duration::from_secs(5)).await);
        task.await.unwrap();
    }
}
