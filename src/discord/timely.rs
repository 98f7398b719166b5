//! Answering inside Discord's 3-second window, whatever the engine does: the one race both front
//! ends (gateway and HTTP endpoint) run.
//!
//! The engine answers on a blocking thread. Autocomplete cannot be deferred, so a slow one gets
//! no choices at its deadline. A command or button not answered by `defer_after` gets a deferral
//! now and its answer later, as an edit. A handler that panics answers "Something went wrong"
//! and is logged. The front ends differ only in how the first response travels.

use std::sync::Arc;
use std::time::Duration;

use serenity::all::Interaction;
use serenity::builder::{CreateInteractionResponse, EditInteractionResponse};
use tokio::task::JoinHandle;

use super::interaction::{self, Answer};
use crate::app::App;

/// How long the bot waits on its own answers.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// Defer a command or button answer not ready by then (Discord allows 3 s in all); zero
    /// defers every answer.
    pub defer_after: Duration,
    /// Answer autocomplete with no choices when the engine is not done by then.
    pub autocomplete_deadline: Duration,
    /// How long shutdown waits for replies in flight.
    pub drain: Duration,
}

impl Default for Timing {
    fn default() -> Timing {
        Timing {
            defer_after: Duration::from_millis(1500),
            autocomplete_deadline: Duration::from_millis(2000),
            drain: Duration::from_secs(10),
        }
    }
}

/// The first response to send, and for a deferred one, the answer still coming.
pub enum Timely {
    Now(CreateInteractionResponse),
    Deferred {
        deferral: CreateInteractionResponse,
        answer: JoinHandle<Answer>,
    },
}

/// Waits for a deferred answer and turns it into the edit of the original response.
pub async fn edit(answer: JoinHandle<Answer>, kind: &str) -> Option<EditInteractionResponse> {
    match answer.await {
        Ok(answer) => answer.into_edit(),
        Err(err) => {
            tracing::error!(%err, kind, "handler failed");
            None
        }
    }
}

/// Runs the engine on `interaction` and decides what to send within the window.
pub async fn answer(app: &Arc<App>, interaction: &Interaction, timing: Timing) -> Timely {
    let kind = kind(interaction);
    let mut work = {
        let app = Arc::clone(app);
        let interaction = interaction.clone();
        tokio::task::spawn_blocking(move || interaction::answer(&app, &interaction))
    };
    if let Interaction::Autocomplete(_) = interaction {
        let answer = match tokio::time::timeout(timing.autocomplete_deadline, &mut work).await {
            Ok(Ok(answer)) => answer,
            Ok(Err(err)) => {
                tracing::error!(%err, "autocomplete handler failed");
                Answer::Choices(Vec::new())
            }
            Err(_) => {
                tracing::warn!("autocomplete too slow: answered with no choices");
                Answer::Choices(Vec::new())
            }
        };
        return Timely::Now(answer.into_response());
    }
    let ready = if timing.defer_after.is_zero() {
        None
    } else {
        tokio::time::timeout(timing.defer_after, &mut work)
            .await
            .ok()
    };
    if let Some(result) = ready {
        return Timely::Now(finished(result, kind).into_response());
    }
    match interaction::deferral(app, interaction) {
        Some(deferral) => {
            tracing::debug!(kind, "slow answer: deferred");
            Timely::Deferred {
                deferral,
                answer: tokio::spawn(async move { finished(work.await, kind) }),
            }
        }
        // Nothing to defer (a modal): answer late rather than not at all.
        None => Timely::Now(finished(work.await, kind).into_response()),
    }
}

fn finished(result: Result<Answer, tokio::task::JoinError>, kind: &str) -> Answer {
    result.unwrap_or_else(|err| {
        tracing::error!(%err, kind, "handler failed");
        interaction::notice(
            "Something went wrong",
            "This answer failed; it has been logged. Try again, or ask differently.",
        )
    })
}

/// The interaction's kind, for logs.
pub fn kind(interaction: &Interaction) -> &'static str {
    match interaction {
        Interaction::Ping(_) => "ping",
        Interaction::Command(_) => "command",
        Interaction::Autocomplete(_) => "autocomplete",
        Interaction::Component(_) => "button",
        Interaction::Modal(_) => "modal",
        _ => "other",
    }
}
