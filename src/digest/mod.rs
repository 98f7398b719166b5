//! Scheduled digests, the front end that posts on its own: per-channel subscriptions that post
//! what is new, on a schedule in the subscriber's time zone, exactly once per slot, across
//! restarts.
//!
//! - [`crate::schedule`]: "daily 08:00", "weekdays 17:30" or cron, in an IANA zone; the next
//!   slot, right across daylight-saving changes.
//! - [`crate::store`]: SQLite (WAL, migrations, one transaction per change): subscriptions and
//!   the delivery of each slot.
//! - [`crate::cmd::digest::content`]: the digest itself (an overview and a section per new
//!   article), shared with `/digest preview`.
//! - [`pages`]: a digest as Discord messages of embeds within the limits, and as console text.
//! - [`poster`]: the [`poster::Poster`] trait and its serenity implementation.
//! - [`scheduler`]: claims, posts, recovers and catches up; time comes from a clock trait.
//! - [`alerts`]: follow alerts, one per (follow, article), posted by the scheduler's loop.
//!
//! The `/digest` commands are in `crate::cmd::digest`; the console preview is
//! `briefing-bot digest --preview`. The settings are read in `crate::config::DigestConfig`.

pub mod alerts;
pub mod pages;
pub mod poster;
pub mod scheduler;

pub use crate::cmd::digest::content;
pub use crate::{schedule, store};

use chrono::{DateTime, NaiveDate, Utc};

use crate::corpus::Corpus;

/// The digest `briefing-bot digest --preview [--since DATE]` prints: everything in the corpus,
/// or what was published on or after `since`, as the messages the bot would post (command
/// names plain: the console knows no command ids).
pub fn preview_text(corpus: &Corpus, since: Option<NaiveDate>, now: DateTime<Utc>) -> String {
    let digest = preview_digest(corpus, since, now);
    pages::console_text(&pages::messages(
        &digest,
        &crate::discord::register::CommandIds::default(),
        None,
    ))
}

/// The digest of the console preview: every article, or those published on or after `since`
/// (see [`content::select`]).
pub fn preview_digest(
    corpus: &Corpus,
    since: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> content::Digest {
    let since = content::Since {
        date: since,
        seen: Default::default(),
    };
    let filters = content::Filters::default();
    let cover = content::select(corpus, &since, filters);
    content::build(
        corpus,
        &cover,
        filters,
        &content::heading(now, chrono_tz::Tz::UTC),
        since.date,
    )
}
