//! `/follow about:<person, topic or words> [channel]`: alert a channel when a new article mentions
//! a person or topic. Also the rule that decides what an article says about a follow
//! ([`mentions`]) and the alert itself ([`alert`]), which the scheduler posts.
//!
//! What a follow is about is decided the way the lookups decide (`lookup`): an exact id (what
//! autocomplete sends) wins; a name that clearly names one person follows that person; a topic
//! whose words are all typed follows that topic; an unsure name or topic is a "did you mean"
//! whose suggestions follow the one picked; anything else follows the words themselves.
//!
//! An article mentions a follow by the engine's matching, never by substring:
//! - a **person** when they take part in it (a participant, so also a speaker), or when one of
//!   its statements or its summary holds every word of one of their names ([`holds_every_word`]:
//!   whole words, prefixes, English endings; "Ryabkov" never matches "Ryabkova's");
//! - a **topic** when the article gives its background, or a statement or event of it cites the
//!   topic's id;
//! - **words** when every content word is among the article's own texts.
//!
//! Alerts go only for articles the bot first loaded after the follow was made: following someone
//! never floods the channel with the articles already there.

use chrono::{DateTime, Utc};

use crate::corpus::StatementRef;
use crate::indexed::Indexed;
use crate::reply::{Invocation, Reply, Suggestion};
use crate::search::{Kind, Resolution};
use crate::store::{Follow, FollowAdded, FollowKind, NewFollow, Store, StoreError};
use crate::wording;

use super::lookup::{self, holds_every_word};
use super::{CommandSpec, Completes, OptionKind, OptionSpec, Place};

/// The most statements an alert quotes.
pub const ALERT_STATEMENTS: usize = 3;

pub static SPEC: CommandSpec = CommandSpec {
    name: "follow",
    description: "Alert a channel when a new article mentions a person or topic (Manage Server)",
    options: &[
        OptionSpec {
            name: "about",
            description: "A person, a topic, or words, e.g. Ryabkov, JCPOA, snapback",
            kind: OptionKind::Text,
            required: true,
            autocomplete: Some(Completes::Followable),
            max_length: 100,
        },
        OptionSpec {
            name: "channel",
            description: "The channel alerts go to (default: this one)",
            kind: OptionKind::Channel,
            required: false,
            autocomplete: None,
            max_length: 100,
        },
    ],
    admin: true,
    subcommands: &[],
};

/// What `about` follows (kind, target, label), or the reply to send instead ("did you mean", an
/// empty text).
pub fn resolve(
    corpus: &Indexed,
    about: &str,
    rerun: impl Fn(&str) -> Invocation,
) -> Result<(FollowKind, String, String), Reply> {
    let about = about.trim();
    if about.is_empty() {
        return Err(Reply::failure(
            "Follow what?",
            "Give a person, a topic or words to follow, e.g. /follow about:Ryabkov",
        ));
    }
    if let Some(i) = corpus.person_index(about) {
        let person = &corpus.people[i];
        return Ok((FollowKind::Person, person.id.clone(), person.name.clone()));
    }
    if let Some(i) = corpus.topic_index(about) {
        let topic = &corpus.topics[i];
        return Ok((FollowKind::Topic, topic.id.clone(), topic.title.clone()));
    }
    if let Some(i) = lookup::named(corpus, about) {
        let person = &corpus.people[i];
        return Ok((FollowKind::Person, person.id.clone(), person.name.clone()));
    }
    let topic = lookup::resolution(corpus, Kind::Topic, about);
    if let Resolution::Found(target) = topic {
        let topic = &corpus.topics[target.index as usize];
        // Followed as a topic only when the words name it: a word of its background alone
        // ("centrifuge") is words to follow, not the topic that explains it.
        let names: Vec<&str> = std::iter::once(topic.title.as_str())
            .chain(topic.aliases.iter().map(String::as_str))
            .collect();
        if holds_every_word(&names, about) {
            return Ok((FollowKind::Topic, topic.id.clone(), topic.title.clone()));
        }
        return Ok((FollowKind::Words, about.to_string(), about.to_string()));
    }
    // Unsure: a person or topic the words may mean is asked about, with the words themselves
    // as the last choice.
    let mut asked: Vec<crate::search::Target> = Vec::new();
    if let Resolution::Ambiguous(targets) = lookup::resolution(corpus, Kind::Person, about) {
        asked.extend(targets);
    }
    if let Resolution::Ambiguous(targets) = topic {
        asked.extend(targets);
    }
    if asked.is_empty() {
        return Ok((FollowKind::Words, about.to_string(), about.to_string()));
    }
    asked.truncate(4);
    let names: Vec<String> = asked
        .iter()
        .map(|&t| wording::target_name(corpus, t))
        .collect();
    let mut reply = Reply::failure(
        format!("Did you mean {}?", wording::or_list(&names)),
        format!(
            "\u{201c}{about}\u{201d} may mean more than one thing. Pick one below, or follow the words themselves."
        ),
    );
    reply.suggestions = asked
        .iter()
        .map(|&target| Suggestion {
            label: wording::target_label(corpus, target),
            invocation: rerun(&wording::target_id(corpus, target)),
        })
        .collect();
    reply.suggestions.push(Suggestion {
        label: format!("the words \u{201c}{about}\u{201d}"),
        invocation: rerun(&format!("\"{about}\"")),
    });
    Err(reply)
}

/// Answers `/follow` from the store, for the server and channel of `place`.
pub fn apply(
    store: &Store,
    corpus: &Indexed,
    invocation: &Invocation,
    place: Place,
    now: DateTime<Utc>,
) -> Result<Reply, StoreError> {
    let channel = invocation
        .get("channel")
        .and_then(crate::parse::channel_id)
        .or(place.channel_id);
    let Some(channel_id) = channel else {
        return Ok(Reply::failure(
            "Which channel?",
            "Give the channel alerts go to: /follow about:<who or what> channel:<#channel>",
        ));
    };
    let about = invocation.get("about").unwrap_or_default();
    // Quotes ask for the words as typed: `about:"Wang"` follows the word, not a person.
    let quoted = about
        .trim()
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .map(str::trim)
        .filter(|words| !words.is_empty());
    let rerun = |id: &str| {
        Invocation::new("follow")
            .arg("about", id)
            .arg("channel", &channel_id.to_string())
    };
    let (kind, target, label) = match quoted {
        Some(words) => (FollowKind::Words, words.to_string(), words.to_string()),
        None => match resolve(corpus, about, rerun) {
            Ok(found) => found,
            Err(reply) => return Ok(reply),
        },
    };
    let new = NewFollow {
        guild_id: place.guild_id,
        channel_id,
        kind,
        target: target.clone(),
        label: label.clone(),
        created_by: place.user_id,
    };
    // Everything loaded now was there before the follow: recorded now (if the scheduler has
    // not yet), so none of it alerts.
    store.record_loaded(corpus.articles.iter().map(|a| a.id.as_str()), now)?;
    let what = match kind {
        FollowKind::Person => "the person",
        FollowKind::Topic => "the topic",
        FollowKind::Words => "the words",
    };
    let now_mentioning = articles_mentioning(corpus, kind, &target).len();
    let mut reply = match store.follow(&new, now)? {
        FollowAdded::New(id) => Reply {
            ok: true,
            title: format!("Following {label}"),
            body: format!(
                "Follow #{id}: when a new article mentions {what} \u{201c}{label}\u{201d}, an alert goes to channel {channel_id}. {}",
                match now_mentioning {
                    0 => "No loaded article mentions it yet.".to_string(),
                    1 => "1 article already loaded mentions it; only articles added from now on alert.".to_string(),
                    n => format!(
                        "{n} articles already loaded mention it; only articles added from now on alert."
                    ),
                }
            ),
            ..Reply::default()
        },
        FollowAdded::Exists(id) => Reply {
            ok: true,
            title: format!("Already following {label}"),
            body: format!(
                "Follow #{id} already alerts channel {channel_id} about {what} \u{201c}{label}\u{201d}. /unfollow stops it."
            ),
            ..Reply::default()
        },
    };
    reply.suggestions.push(Suggestion {
        label: "Every follow".to_string(),
        invocation: Invocation::new("follows"),
    });
    Ok(reply)
}

/// The articles (corpus indexes, newest first) that mention a follow's target.
pub fn articles_mentioning(corpus: &Indexed, kind: FollowKind, target: &str) -> Vec<usize> {
    (0..corpus.articles.len())
        .filter(|&a| mentions(corpus, kind, target, a).is_some())
        .collect()
}

/// What article `article` says about a follow's target, or `None` when it does not mention it
/// (the rule in the module docs).
pub fn mentions(
    corpus: &Indexed,
    kind: FollowKind,
    target: &str,
    article: usize,
) -> Option<Mention> {
    let a = corpus.articles.get(article)?;
    let refs = |keep: &dyn Fn(&crate::article::Statement) -> bool| -> Vec<StatementRef> {
        a.statements
            .iter()
            .enumerate()
            .filter(|(_, s)| keep(s))
            .map(|(index, _)| StatementRef { article, index })
            .collect()
    };
    match kind {
        FollowKind::Person => {
            let person = corpus.person(target)?;
            let names: Vec<&str> = std::iter::once(person.name.as_str())
                .chain(person.aliases.iter().map(String::as_str))
                .collect();
            let named_in = |text: &str| names.iter().any(|name| holds_every_word(&[text], name));
            let participant = a.participants.iter().find(|p| p.id == person.id);
            let spoke = refs(&|s| s.speaker.as_deref() == Some(person.id.as_str()));
            let about =
                refs(&|s| s.speaker.as_deref() != Some(person.id.as_str()) && named_in(&s.text));
            if participant.is_none() && about.is_empty() && !named_in(&a.summary) {
                return None;
            }
            let role = participant
                .map(|p| {
                    [p.role.as_str(), p.organization.as_str()]
                        .into_iter()
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .filter(|r| !r.is_empty());
            Some(Mention {
                lead: match (participant, role) {
                    (Some(_), Some(role)) => format!("{} takes part, as {role}.", person.name),
                    (Some(_), None) => format!("{} takes part.", person.name),
                    (None, _) => format!("{} is mentioned.", person.name),
                },
                statements: spoke.into_iter().chain(about).collect(),
            })
        }
        FollowKind::Topic => {
            let topic = corpus.topic(target)?;
            let background = a.context.iter().find(|c| c.id == topic.id);
            let cited = refs(&|s| s.topics.iter().any(|t| t == &topic.id));
            let in_events = a
                .events
                .iter()
                .any(|e| e.participants.iter().any(|p| p == &topic.id));
            if background.is_none() && cited.is_empty() && !in_events {
                return None;
            }
            Some(Mention {
                lead: match background {
                    Some(item) => item.text.clone(),
                    None => format!("The article cites {}.", topic.title),
                },
                statements: cited,
            })
        }
        FollowKind::Words => {
            let mut texts: Vec<&str> = vec![&a.title, &a.summary];
            texts.extend(a.statements.iter().map(|s| s.text.as_str()));
            texts.extend(a.context.iter().map(|c| c.text.as_str()));
            texts.extend(a.events.iter().map(|e| e.what.as_str()));
            if !holds_every_word(&texts, target) {
                return None;
            }
            let holding = refs(&|s| holds_every_word(&[&s.text], target));
            let lead = if holds_every_word(&[&a.summary], target) || holding.is_empty() {
                a.summary.clone()
            } else {
                String::new()
            };
            Some(Mention {
                lead,
                statements: holding,
            })
        }
    }
}

/// What an article says about a follow.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// One line: how they take part, the topic's background, or the summary.
    pub lead: String,
    /// The statements that are theirs or about it, in the article's order.
    pub statements: Vec<StatementRef>,
}

/// The alert for `follow` on `article`, or `None` when the article does not mention it.
pub fn alert(corpus: &Indexed, follow: &Follow, article: usize) -> Option<Reply> {
    let mention = mentions(corpus, follow.kind, &follow.target, article)?;
    let a = &corpus.articles[article];
    let mut reply = Reply {
        ok: true,
        title: format!("{} in \u{201c}{}\u{201d}", follow.label, a.title),
        body: mention.lead,
        ..Reply::default()
    };
    let shown: Vec<String> = mention
        .statements
        .iter()
        .take(ALERT_STATEMENTS)
        .map(|&at| wording::statement_line(corpus, at, true))
        .collect();
    let more = mention.statements.len().saturating_sub(ALERT_STATEMENTS);
    let mut lines = shown;
    if more > 0 {
        lines.push(format!("and {} more", wording::count(more, "statement")));
    }
    reply.field("What it says", lines);
    // The title already names the article: the footer adds its date and outlet.
    let detail: Vec<&str> = [a.published.as_deref(), a.source.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    reply.footer = (!detail.is_empty()).then(|| detail.join(", "));
    if let Some(url) = &a.url {
        reply.field("Read it", vec![url.clone()]);
    }
    reply.results.push(wording::article_result(corpus, article));
    reply.suggestions.push(Suggestion {
        label: "Brief".to_string(),
        invocation: Invocation::new("brief").arg("article", &a.id),
    });
    Some(reply)
}
