//! `/digest subscribe|unsubscribe|pause|resume|list|preview`: scheduled digests in a channel.
//!
//! Unlike the other commands these change state, so they are answered with the digest store
//! ([`answer`]) rather than by `Command::apply`. They are for server managers: the spec is
//! `admin`, so Discord hides it from members without Manage Server, and the Discord front end
//! checks the permission again before calling [`answer`].

pub mod content;

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::corpus::Corpus;
use crate::indexed::Indexed;
use crate::reply::{Invocation, Reply};
use crate::schedule::{Schedule, parse_zone};
use crate::store::{NewSubscription, Status, Store, Subscription};
use crate::wording;
use content::{Filters, Since, heading};

use super::{CommandSpec, OptionKind, OptionSpec, check};

const fn option(name: &'static str, description: &'static str, kind: OptionKind) -> OptionSpec {
    OptionSpec {
        name,
        description,
        kind,
        required: false,
        autocomplete: None,
        max_length: 100,
    }
}

const SUBSCRIPTION: OptionSpec = option(
    "subscription",
    "The subscription's number, as /digest list shows it",
    OptionKind::Integer,
);
const CHANNEL: OptionSpec = option(
    "channel",
    "The channel the digest posts in",
    OptionKind::Channel,
);

pub static SPEC: CommandSpec = CommandSpec {
    name: "digest",
    description: "Scheduled digests of new developments, posted in a channel",
    options: &[],
    admin: true,
    subcommands: &[
        CommandSpec {
            name: "subscribe",
            description: "Post a digest in a channel on a schedule",
            options: &[
                option("channel", "The channel to post in", OptionKind::Channel).required(),
                option(
                    "schedule",
                    "\"daily 08:00\", \"weekdays 17:30\" or a cron expression",
                    OptionKind::Text,
                )
                .required(),
                option(
                    "timezone",
                    "IANA time zone, e.g. Europe/London (default UTC)",
                    OptionKind::Text,
                ),
                option(
                    "tags",
                    "Only articles with one of these tags, comma-separated",
                    OptionKind::Text,
                ),
                option(
                    "people",
                    "Only articles and statements of these people, comma-separated",
                    OptionKind::Text,
                ),
                option(
                    "skip_empty",
                    "Post nothing when nothing is new (default: a one-line note)",
                    OptionKind::Boolean,
                ),
            ],
            admin: true,
            subcommands: &[],
        },
        CommandSpec {
            name: "unsubscribe",
            description: "Stop a digest for good",
            options: &[SUBSCRIPTION, CHANNEL],
            admin: true,
            subcommands: &[],
        },
        CommandSpec {
            name: "pause",
            description: "Stop a digest until resumed",
            options: &[SUBSCRIPTION, CHANNEL],
            admin: true,
            subcommands: &[],
        },
        CommandSpec {
            name: "resume",
            description: "Start a paused or disabled digest again",
            options: &[SUBSCRIPTION, CHANNEL],
            admin: true,
            subcommands: &[],
        },
        CommandSpec {
            name: "list",
            description: "Each digest: schedule, next post, last delivery, why disabled",
            options: &[],
            admin: true,
            subcommands: &[],
        },
        CommandSpec {
            name: "preview",
            description: "The digest that would be posted now (only you see it)",
            options: &[SUBSCRIPTION],
            admin: true,
            subcommands: &[],
        },
    ],
};

/// Checks and answers one `/digest ...` invocation in the server `guild_id` (`None` in the
/// console) at `now`, straight from a store (tests, tools). Front ends go through
/// [`crate::cmd::answer`], which checks once and calls [`apply`].
pub fn answer(
    store: &Store,
    corpus: &Indexed,
    invocation: &Invocation,
    guild_id: Option<u64>,
    now: DateTime<Utc>,
) -> Reply {
    match check(invocation) {
        Ok(_) => apply(store, corpus, invocation, guild_id, now),
        Err(err) => err.into_reply(),
    }
}

/// Whether a `/digest` subcommand changes the store (so the scheduler should look again).
pub fn changes_state(path: &str) -> bool {
    matches!(
        path.trim_start_matches('/'),
        "digest subscribe" | "digest unsubscribe" | "digest pause" | "digest resume"
    )
}

/// Answers one checked `/digest ...` invocation. After a change, the caller should wake the
/// scheduler (see [`changes_state`]).
pub fn apply(
    store: &Store,
    corpus: &Indexed,
    invocation: &Invocation,
    guild_id: Option<u64>,
    now: DateTime<Utc>,
) -> Reply {
    let sub = invocation
        .command
        .split_whitespace()
        .nth(1)
        .unwrap_or_default();
    let result = match sub {
        "subscribe" => subscribe(store, invocation, guild_id, now),
        "unsubscribe" | "pause" | "resume" => change(store, sub, invocation, guild_id, now),
        "list" => list(store, guild_id, now),
        "preview" => preview(store, corpus, invocation, guild_id, now),
        other => Ok(Reply::failure(
            "Usage",
            format!("/digest has no subcommand \"{other}\""),
        )),
    };
    result.unwrap_or_else(|err| {
        tracing::error!("/digest: {err}");
        Reply::failure(
            "The digest database failed",
            format!("{err}. Nothing was changed; try again, and check the server's log."),
        )
    })
}

type Answer = Result<Reply, crate::store::StoreError>;

fn text(invocation: &Invocation, name: &str) -> Option<String> {
    invocation
        .get(name)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

fn list_of(invocation: &Invocation, name: &str) -> Vec<String> {
    text(invocation, name)
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn subscribe(
    store: &Store,
    invocation: &Invocation,
    guild_id: Option<u64>,
    now: DateTime<Utc>,
) -> Answer {
    let Some(channel_id) = text(invocation, "channel").and_then(|c| crate::parse::channel_id(&c))
    else {
        return Ok(Reply::failure(
            "Which channel?",
            "Give the channel to post in: /digest subscribe channel:#news schedule:\"daily 08:00\"",
        ));
    };
    let schedule_text = text(invocation, "schedule").unwrap_or_default();
    let schedule = match Schedule::parse(&schedule_text) {
        Ok(schedule) => schedule,
        Err(err) => {
            return Ok(Reply::failure(
                "That schedule does not parse",
                format!(
                    "{err}.\nExample: /digest subscribe channel:#news schedule:\"weekdays 17:30\" timezone:Europe/London"
                ),
            ));
        }
    };
    let zone = match parse_zone(&text(invocation, "timezone").unwrap_or_default()) {
        Ok(zone) => zone,
        Err(err) => {
            return Ok(Reply::failure(
                "That time zone does not parse",
                format!(
                    "{err}.\nExample: /digest subscribe channel:#news schedule:\"daily 08:00\" timezone:America/New_York"
                ),
            ));
        }
    };
    let skip_empty =
        text(invocation, "skip_empty").is_some_and(|v| crate::parse::boolean(&v) == Some(true));
    let new = NewSubscription {
        guild_id,
        channel_id,
        schedule: schedule.text().to_string(),
        timezone: zone.name().to_string(),
        tags: list_of(invocation, "tags"),
        people: list_of(invocation, "people"),
        skip_empty,
    };
    let id = store.subscribe(&new, now)?;
    let next = schedule
        .next_slot(zone, now)
        .map(|slot| local(slot, zone))
        .unwrap_or_else(|| "never: the schedule matches no future time".to_string());
    let mut reply = Reply {
        ok: true,
        title: format!("Digest {id} subscribed"),
        body: format!(
            "Channel {channel_id}, {} ({}). Next post: {next}.",
            schedule.text(),
            zone.name()
        ),
        ..Reply::default()
    };
    reply.field("Filters", filter_lines(&new.tags, &new.people, skip_empty));
    reply.footer = Some(format!(
        "/digest preview subscription:{id} shows what it would post now"
    ));
    Ok(reply)
}

/// unsubscribe, pause or resume.
fn change(
    store: &Store,
    what: &str,
    invocation: &Invocation,
    guild_id: Option<u64>,
    now: DateTime<Utc>,
) -> Answer {
    let sub = match target(store, what, invocation, guild_id)? {
        Ok(sub) => sub,
        Err(reply) => return Ok(reply),
    };
    let id = sub.id;
    let (done, title, body) = match what {
        "unsubscribe" if sub.from_env => {
            return Ok(Reply::failure(
                format!("Digest {id} is set in .env"),
                "It comes back at every start while DIGEST_CHANNEL_ID is set: remove that from the bot's .env, or /digest pause it.",
            ));
        }
        "unsubscribe" => (
            store.unsubscribe(id)?,
            format!("Digest {id} removed"),
            format!("Nothing more is posted in channel {}.", sub.channel_id),
        ),
        "pause" => (
            store.pause(id)?,
            format!("Digest {id} paused"),
            "Nothing is posted until /digest resume; slots meanwhile are not caught up."
                .to_string(),
        ),
        _ => {
            let done = store.resume(id, now)?;
            let next = next_post(&sub, now).unwrap_or_else(|| "never".to_string());
            let body = match &sub.disabled {
                Some(reason) => format!("It was disabled: {reason}. Next post: {next}."),
                None => format!("Next post: {next}."),
            };
            (done, format!("Digest {id} resumed"), body)
        }
    };
    Ok(if done {
        Reply {
            ok: true,
            title,
            body,
            ..Reply::default()
        }
    } else {
        Reply::failure(format!("No digest {id}"), "It was removed meanwhile.")
    })
}

/// The subscription an invocation names, or the reply asking which.
fn target(
    store: &Store,
    what: &str,
    invocation: &Invocation,
    guild_id: Option<u64>,
) -> Result<Result<Subscription, Reply>, crate::store::StoreError> {
    let subs = store.subscriptions_of(guild_id)?;
    let by_id = text(invocation, "subscription").and_then(|v| v.parse::<i64>().ok());
    let by_channel = text(invocation, "channel").and_then(|c| crate::parse::channel_id(&c));
    let matching: Vec<&Subscription> = subs
        .iter()
        .filter(|s| by_id.is_none_or(|id| s.id == id))
        .filter(|s| by_channel.is_none_or(|c| s.channel_id == c))
        .collect();
    match matching.as_slice() {
        [one] => Ok(Ok((*one).clone())),
        [] if subs.is_empty() => Ok(Err(Reply::failure(
            "No digests here",
            "Start one with /digest subscribe channel:#news schedule:\"daily 08:00\"",
        ))),
        [] => Ok(Err(Reply::failure(
            "No such digest",
            format!(
                "None of this server's digests matches; they are: {}. See /digest list.",
                ids(&subs)
            ),
        ))),
        many => {
            let mut reply = Reply::failure(
                "Which digest?",
                format!("Several digests match; name one: /digest {what} subscription:<number>"),
            );
            reply.suggestions = many
                .iter()
                .map(|s| crate::reply::Suggestion {
                    label: format!("Digest {} (channel {}, {})", s.id, s.channel_id, s.schedule),
                    invocation: Invocation::new(&format!("digest {what}"))
                        .arg("subscription", &s.id.to_string()),
                })
                .collect();
            Ok(Err(reply))
        }
    }
}

fn ids(subs: &[Subscription]) -> String {
    subs.iter()
        .map(|s| s.id.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn list(store: &Store, guild_id: Option<u64>, now: DateTime<Utc>) -> Answer {
    let subs = store.subscriptions_of(guild_id)?;
    if subs.is_empty() {
        return Ok(Reply {
            ok: true,
            title: "No digests".to_string(),
            body: "Start one with /digest subscribe channel:#news schedule:\"daily 08:00\" timezone:Europe/London".to_string(),
            ..Reply::default()
        });
    }
    let mut reply = Reply {
        ok: true,
        title: format!("{} here", wording::count(subs.len(), "digest")),
        ..Reply::default()
    };
    for sub in &subs {
        let zone = parse_zone(&sub.timezone).unwrap_or(Tz::UTC);
        let mut lines = vec![format!(
            "Channel {} \u{b7} {} \u{b7} {}{}",
            sub.channel_id,
            sub.schedule,
            sub.timezone,
            if sub.from_env {
                " \u{b7} set in .env"
            } else {
                ""
            }
        )];
        lines.push(match (&sub.disabled, sub.paused) {
            (Some(reason), _) => format!(
                "Disabled: {reason}. /digest resume subscription:{} after fixing it.",
                sub.id
            ),
            (None, true) => "Paused: /digest resume to start again".to_string(),
            (None, false) => format!(
                "Next post: {}",
                next_post(sub, now).unwrap_or_else(|| "never".to_string())
            ),
        });
        lines.push(match store.last_delivered(sub.id)? {
            Some(last) => format!(
                "Last delivery: {}{}",
                local(last.slot, zone),
                last.message_id
                    .map(|id| format!(" (message {id})"))
                    .unwrap_or_default()
            ),
            None => "Last delivery: none yet".to_string(),
        });
        if let Some(last) = store.last_delivery(sub.id)? {
            let when = local(last.slot, zone);
            match last.status {
                Status::Failed => lines.push(format!(
                    "Last slot {when} failed: {}",
                    last.error.unwrap_or_default()
                )),
                Status::Claimed => lines.push(format!("Slot {when} is being posted")),
                Status::Empty => lines.push(format!("Slot {when}: nothing new, nothing posted")),
                Status::Skipped | Status::Delivered => {}
            }
        }
        lines.extend(filter_lines(&sub.tags, &sub.people, sub.skip_empty));
        reply.field(format!("Digest {}", sub.id), lines);
    }
    Ok(reply)
}

/// What is new to one subscription, and since when (its last digest's local date).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewTo {
    pub articles: HashSet<String>,
    pub since: Option<NaiveDate>,
}

/// The articles new to `sub` at `now` (README "Scheduled digests"): before its first digest,
/// every article; after it, the articles the bot first loaded at or after its last delivered
/// digest was claimed and that no digest of it covered, whatever their published date, so a
/// back-dated article appears once, in the next digest. Records the first load of any article
/// of `corpus` not seen before (at `now`), so the rule never misses one. The scheduler and
/// `/digest preview` both ask this.
pub fn new_to(
    store: &Store,
    corpus: &Corpus,
    sub: &Subscription,
    zone: Tz,
    now: DateTime<Utc>,
) -> Result<NewTo, crate::store::StoreError> {
    let mut loaded = store.first_loaded()?;
    let unseen: Vec<&str> = corpus
        .articles
        .iter()
        .map(|a| a.id.as_str())
        .filter(|id| !loaded.contains_key(*id))
        .collect();
    if !unseen.is_empty() {
        store.record_loaded(unseen, now)?;
        loaded = store.first_loaded()?;
    }
    let Some(last) = store.last_delivered(sub.id)? else {
        return Ok(NewTo {
            articles: corpus.articles.iter().map(|a| a.id.clone()).collect(),
            since: None,
        });
    };
    let after = last.claimed_at.unwrap_or(last.slot);
    let covered = store.delivered_articles(sub.id)?;
    let articles = corpus
        .articles
        .iter()
        .filter(|a| !covered.contains(&a.id))
        .filter(|a| loaded.get(&a.id).is_some_and(|&first| first >= after))
        .map(|a| a.id.clone())
        .collect();
    Ok(NewTo {
        articles,
        since: Some(last.slot.with_timezone(&zone).date_naive()),
    })
}

fn preview(
    store: &Store,
    corpus: &Indexed,
    invocation: &Invocation,
    guild_id: Option<u64>,
    now: DateTime<Utc>,
) -> Answer {
    let Some(id) = text(invocation, "subscription").and_then(|v| v.parse::<i64>().ok()) else {
        let cover = content::select(corpus, &Since::default(), Filters::default());
        let digest = content::build(
            corpus,
            &cover,
            Filters::default(),
            &heading(now, Tz::UTC),
            None,
        );
        let mut reply = digest.to_reply();
        reply.body = format!(
            "{}\n(Everything in the briefing; preview one digest with subscription:<number>.)",
            reply.body
        );
        return Ok(reply);
    };
    let subs = store.subscriptions_of(guild_id)?;
    let Some(sub) = subs.iter().find(|s| s.id == id) else {
        return Ok(Reply::failure(
            format!("No digest {id} here"),
            "See /digest list for this server's digests.",
        ));
    };
    let zone = parse_zone(&sub.timezone).unwrap_or(Tz::UTC);
    let new = new_to(store, corpus, sub, zone, now)?;
    let filters = Filters {
        tags: &sub.tags,
        people: &sub.people,
    };
    let digest = content::build(
        corpus,
        &new.articles,
        filters,
        &heading(now, zone),
        new.since,
    );
    let mut reply = digest.to_reply();
    if digest.articles.is_empty() && sub.skip_empty {
        reply
            .body
            .push_str("\n(This digest posts nothing when nothing is new.)");
    }
    Ok(reply)
}

fn next_post(sub: &Subscription, now: DateTime<Utc>) -> Option<String> {
    let schedule = Schedule::parse(&sub.schedule).ok()?;
    let zone = parse_zone(&sub.timezone).ok()?;
    schedule
        .next_slot(zone, now.max(sub.not_before))
        .map(|slot| local(slot, zone))
}

/// "Mon 30 Mar 2026, 08:00 BST".
fn local(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone)
        .format("%a %-d %b %Y, %H:%M %Z")
        .to_string()
}

fn filter_lines(tags: &[String], people: &[String], skip_empty: bool) -> Vec<String> {
    let mut lines = Vec::new();
    if !tags.is_empty() {
        lines.push(format!("Tags: {}", tags.join(", ")));
    }
    if !people.is_empty() {
        lines.push(format!("People: {}", people.join(", ")));
    }
    if skip_empty {
        lines.push("Quiet days: nothing posted".to_string());
    }
    lines
}
