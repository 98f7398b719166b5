//! `/follows`: what this server follows, where each alert goes, and how each is doing.

use crate::reply::{Invocation, Reply, Suggestion};
use crate::store::{AlertStatus, FollowKind, Store, StoreError};
use crate::wording;

use super::{CommandSpec, Place};

pub static SPEC: CommandSpec = CommandSpec {
    name: "follows",
    description: "What this server follows, and where the alerts go",
    options: &[],
    admin: false,
    subcommands: &[],
};

/// Answers `/follows` from the store, for the server of `place`.
pub fn apply(store: &Store, place: Place) -> Result<Reply, StoreError> {
    let follows = store.follows_of(place.guild_id)?;
    if follows.is_empty() {
        let mut reply = Reply::failure(
            "No follows",
            "This server follows nothing yet. /follow about:<person, topic or words> alerts a channel when a new article mentions it.",
        );
        reply.suggestions.push(Suggestion {
            label: "How to follow".to_string(),
            invocation: Invocation::new("help").arg("command", "follow"),
        });
        return Ok(reply);
    }
    let mut lines = Vec::new();
    for follow in &follows {
        let alerts = store.alerts(follow.id)?;
        let sent = alerts
            .iter()
            .filter(|a| a.status == AlertStatus::Delivered)
            .count();
        let kind = match follow.kind {
            FollowKind::Person => "person",
            FollowKind::Topic => "topic",
            FollowKind::Words => "words",
        };
        let mut line = format!(
            "#{} {} ({kind}) \u{2192} channel {} \u{b7} {}",
            follow.id,
            follow.label,
            follow.channel_id,
            wording::count(sent, "alert")
        );
        if let Some(last) = alerts
            .iter()
            .filter(|a| a.status == AlertStatus::Delivered)
            .map(|a| a.claimed_at)
            .max()
        {
            line.push_str(&format!(", last {}", last.format("%Y-%m-%d %H:%M UTC")));
        }
        if let Some(reason) = &follow.disabled {
            line.push_str(&format!(" \u{b7} stopped: {reason}"));
        }
        lines.push(line);
    }
    let mut reply = Reply {
        ok: true,
        title: format!("Follows ({})", follows.len()),
        body: "An alert goes to the channel when a newly added article mentions what is followed."
            .to_string(),
        ..Reply::default()
    };
    reply.field("Following", lines);
    Ok(reply)
}
