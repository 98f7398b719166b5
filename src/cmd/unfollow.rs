//! `/unfollow about:<what> [channel]` or `/unfollow follow:<number>`: stop a follow's alerts.
//!
//! A follow is picked by its number (as `/follows` shows it), or by what it is about: the id,
//! name or words it follows, in this server (and in `channel`, when given). Several matches are
//! a "did you mean" between them; none is said so, with the server's follows listed.

use crate::indexed::Indexed;
use crate::normalize::fold;
use crate::reply::{Invocation, Reply, Suggestion};
use crate::store::{Follow, Store, StoreError};

use super::{CommandSpec, Completes, OptionKind, OptionSpec, Place};

pub static SPEC: CommandSpec = CommandSpec {
    name: "unfollow",
    description: "Stop alerts about a person, topic or words (Manage Server)",
    options: &[
        OptionSpec {
            name: "about",
            description: "What the follow is about, as /follows shows it",
            kind: OptionKind::Text,
            required: false,
            autocomplete: Some(Completes::Followable),
            max_length: 100,
        },
        OptionSpec {
            name: "follow",
            description: "The follow's number, as /follows shows it",
            kind: OptionKind::Integer,
            required: false,
            autocomplete: None,
            max_length: 20,
        },
        OptionSpec {
            name: "channel",
            description: "Only the follow that alerts this channel",
            kind: OptionKind::Channel,
            required: false,
            autocomplete: None,
            max_length: 100,
        },
    ],
    admin: true,
    subcommands: &[],
};

/// Answers `/unfollow` from the store, among the follows of the server of `place`.
pub fn apply(
    store: &Store,
    corpus: &Indexed,
    invocation: &Invocation,
    place: Place,
) -> Result<Reply, StoreError> {
    let follows = store.follows_of(place.guild_id)?;
    let channel = invocation.get("channel").and_then(crate::parse::channel_id);
    let number = invocation
        .get("follow")
        .and_then(|n| n.trim().parse::<i64>().ok());
    let about = invocation
        .get("about")
        .map(|a| a.trim().trim_matches('"').trim().to_string())
        .filter(|a| !a.is_empty());
    if number.is_none() && about.is_none() {
        return Ok(Reply::failure(
            "Unfollow what?",
            "Give what the follow is about (/unfollow about:Ryabkov) or its number (/unfollow follow:3); /follows lists them.",
        ));
    }
    let picked: Vec<&Follow> = follows
        .iter()
        .filter(|f| number.is_none_or(|n| f.id == n))
        .filter(|f| channel.is_none_or(|c| f.channel_id == c))
        .filter(|f| about.as_deref().is_none_or(|a| is_about(corpus, f, a)))
        .collect();
    match picked.as_slice() {
        [] => {
            let mut reply = Reply::failure(
                "No such follow",
                if follows.is_empty() {
                    "This server follows nothing yet; /follow starts one.".to_string()
                } else {
                    "No follow of this server matches that. /follows lists them.".to_string()
                },
            );
            reply.suggestions.push(Suggestion {
                label: "Every follow".to_string(),
                invocation: Invocation::new("follows"),
            });
            Ok(reply)
        }
        [one] => {
            store.unfollow(one.id)?;
            Ok(Reply {
                ok: true,
                title: format!("Unfollowed {}", one.label),
                body: format!(
                    "Follow #{} is gone: no more alerts about \u{201c}{}\u{201d} in channel {}.",
                    one.id, one.label, one.channel_id
                ),
                ..Reply::default()
            })
        }
        several => {
            let mut reply = Reply::failure(
                "Which follow?",
                "More than one follow matches that. Pick one below.",
            );
            reply.suggestions = several
                .iter()
                .take(5)
                .map(|f| Suggestion {
                    label: format!("#{} {} in channel {}", f.id, f.label, f.channel_id),
                    invocation: Invocation::new("unfollow").arg("follow", &f.id.to_string()),
                })
                .collect();
            Ok(reply)
        }
    }
}

/// Whether `about` names what `follow` follows: its id, its label, or (for a person or topic) what
/// `/follow` would resolve the text to.
fn is_about(corpus: &Indexed, follow: &Follow, about: &str) -> bool {
    if follow.target == about
        || fold(&follow.label) == fold(about)
        || fold(&follow.target) == fold(about)
    {
        return true;
    }
    match super::follow::resolve(corpus, about, |id| {
        Invocation::new("unfollow").arg("about", id)
    }) {
        Ok((kind, target, _)) => kind == follow.kind && target == follow.target,
        Err(_) => false,
    }
}
