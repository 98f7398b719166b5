//! Scheduled digests: per-channel subscriptions that post what is new, on a schedule in the
//! subscriber's time zone, exactly once per slot, across restarts.
//!
//! - [`schedule`]: "daily 08:00", "weekdays 17:30" or cron, in an IANA zone; the next slot,
//!   right across daylight-saving changes.
//! - [`store`]: SQLite (WAL, migrations, one transaction per change): subscriptions and the
//!   delivery of each slot.
//! - [`content`]: the digest itself, as a [`crate::reply::Reply`], from the corpus.
//! - [`pages`]: a digest as Discord messages within the limits.
//! - [`poster`]: the [`poster::Poster`] trait and its serenity implementation.
//! - [`scheduler`]: claims, posts, recovers and catches up; time comes from a clock trait.
//!
//! The `/digest` commands are in `crate::cmd::digest`; the console preview is
//! `briefing-bot digest --preview`.

pub mod content;
pub mod pages;
pub mod poster;
pub mod schedule;
pub mod scheduler;
pub mod store;

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};

use crate::corpus::Corpus;
use store::NewSubscription;

/// The database file when DATABASE_PATH is not set.
pub const DEFAULT_DATABASE_PATH: &str = "briefing.db";

/// The schedule of the `.env` default subscription when DIGEST_SCHEDULE is not set.
pub const DEFAULT_SCHEDULE: &str = "daily 08:00";

/// The digest's settings from the environment.
#[derive(Debug, Clone, PartialEq)]
pub struct DigestConfig {
    /// DATABASE_PATH, default `./briefing.db`.
    pub database_path: PathBuf,
    /// From DIGEST_CHANNEL_ID (+ DIGEST_SCHEDULE, DIGEST_TZ), when the channel is set.
    pub default_subscription: Option<NewSubscription>,
}

/// Reads DATABASE_PATH, DIGEST_CHANNEL_ID, DIGEST_SCHEDULE and DIGEST_TZ through `var` (e.g.
/// `|name| std::env::var(name).ok()`). A value that does not parse is an error naming the
/// variable.
pub fn config_from_env(var: impl Fn(&str) -> Option<String>) -> Result<DigestConfig, String> {
    let set = |name: &str| {
        var(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let database_path = set("DATABASE_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_DATABASE_PATH));
    let default_subscription = match set("DIGEST_CHANNEL_ID") {
        None => {
            for name in ["DIGEST_SCHEDULE", "DIGEST_TZ"] {
                if set(name).is_some() {
                    tracing::warn!("{name} is set but DIGEST_CHANNEL_ID is not: no default digest");
                }
            }
            None
        }
        Some(channel) => {
            let channel_id = crate::cmd::channel_id(&channel).ok_or_else(|| {
                format!("DIGEST_CHANNEL_ID=\"{channel}\" is not a channel id (a number such as 123456789012345678)")
            })?;
            let schedule_text =
                set("DIGEST_SCHEDULE").unwrap_or_else(|| DEFAULT_SCHEDULE.to_string());
            let schedule = schedule::Schedule::parse(&schedule_text)
                .map_err(|err| format!("DIGEST_SCHEDULE: {err}"))?;
            let zone = schedule::parse_zone(&set("DIGEST_TZ").unwrap_or_default())
                .map_err(|err| format!("DIGEST_TZ: {err}"))?;
            Some(NewSubscription {
                guild_id: None,
                channel_id,
                schedule: schedule.text().to_string(),
                timezone: zone.name().to_string(),
                tags: Vec::new(),
                people: Vec::new(),
                skip_empty: false,
            })
        }
    };
    Ok(DigestConfig {
        database_path,
        default_subscription,
    })
}

/// The digest `briefing-bot digest --preview [--since DATE]` prints: everything in the corpus,
/// or what was published on or after `since`.
pub fn preview_text(corpus: &Corpus, since: Option<NaiveDate>, now: DateTime<Utc>) -> String {
    let since = content::Since {
        date: since,
        seen: Default::default(),
    };
    let digest = content::build(
        corpus,
        &since,
        content::Filters::default(),
        &scheduler::heading(now, chrono_tz::Tz::UTC),
    );
    let pages = pages::pages(&digest.reply, None);
    let total = pages.len();
    let mut text = String::new();
    for (index, page) in pages.iter().enumerate() {
        if total > 1 {
            text.push_str(&format!("--- message {} of {total} ---\n", index + 1));
        }
        text.push_str(page);
        text.push('\n');
    }
    text
}
