//! Follow alerts: one embed in the follow's channel when a newly loaded article mentions what it
//! follows, exactly once per (follow, article), across restarts.
//!
//! One pass ([`pass`]), run by the scheduler beside the digests, at most [`ALERT_POLL`] apart:
//!
//! 1. **Record what was loaded.** Every article id of the corpus in service is written to the
//!    store's `articles_loaded` with the pass's time, unless it is there already: the first load
//!    of an id is what "new" means for alerts (and digests), whatever its published date.
//! 2. **Finish unfinished claims.** An alert is claimed (with its message and a lease) before it
//!    is posted; a claim still there whose lease ran out was interrupted (a claim another live
//!    process holds is left to it). The channel's recent messages are searched for the
//!    alert's marker (in the embed footer); if absent, it is posted with the first try's nonce
//!    and `enforce_nonce`, so Discord drops a duplicate within its window.
//! 3. **Alert.** For each active follow, each article first loaded after the follow was made
//!    (by load order, not by clock: see `store::follows`), not yet alerted, that mentions it
//!    (`cmd::follow::mentions`, the engine's matching):
//!    claim, post, record the message id.
//!
//! A channel that is gone or forbids posting disables the follow with the reason, as for digests.
//!
//! The store is taken `&mut` although every call only reads it: a SQLite connection is `Send`
//! but not `Sync`, and a `&mut` keeps the pass's future `Send` across its awaits.

use std::collections::HashSet;
use std::time::Duration;

use super::pages::{Embed, EmbedField, Message};
use super::poster::{NONCE_LIMIT, PostError, Poster};
use super::scheduler::{Clock, RetryPolicy, retrying};
use crate::cmd::follow;
use crate::discord::render::limits;
use crate::discord::text::{cut, escape};
use crate::indexed::Indexed;
use crate::reply::Reply;
use crate::store::{Alert, Follow, Store, StoreError};

/// The longest a newly loaded article waits for its alerts: the scheduler looks at least this
/// often.
pub const ALERT_POLL: Duration = Duration::from_secs(30);

/// The colour bar of an alert.
const ALERT_COLOUR: u32 = 0xE6_7E_22;

/// What one alert pass did, for logs and tests.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AlertReport {
    /// Article ids loaded for the first time this pass.
    pub first_loaded: Vec<String>,
    /// (follow, article) posted this pass, recovered claims included.
    pub posted: Vec<(i64, String)>,
    /// (follow, article) found already posted after a crash, not posted again.
    pub recovered: Vec<(i64, String)>,
    /// (follow, reason) disabled this pass.
    pub disabled: Vec<(i64, String)>,
    /// (follow, article, error) failed this pass.
    pub failed: Vec<(i64, String, String)>,
    /// (follow, article) left claimed, to finish on a later pass.
    pub pending: Vec<(i64, String)>,
}

/// The marker an alert's footer carries, by which a crashed pass finds what it already posted.
pub fn marker(follow_id: i64, article_id: &str) -> String {
    format!("follow #{follow_id} \u{b7} {article_id}")
}

/// The nonce of one alert: the same on every retry, at most 25 characters.
pub fn nonce(follow_id: i64, article_id: &str) -> String {
    let text = format!("a{follow_id:x}.{article_id}");
    if text.len() <= NONCE_LIMIT && text.bytes().all(|b| b.is_ascii_graphic()) {
        return text;
    }
    // FNV-1a: stable across builds and platforms, unlike std's hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("ah{hash:016x}")
}

/// The alert as one message of one embed, within Discord's limits, every text escaped: the
/// title linked to the article, what it says about the follow, and the marker in the footer.
pub fn message(reply: &Reply, url: Option<&str>, follow_id: i64, article_id: &str) -> Message {
    let fields: Vec<EmbedField> = reply
        .fields
        .iter()
        .filter(|field| !field.lines.is_empty() && field.name != "Read it")
        .take(limits::FIELDS)
        .map(|field| {
            let lines: Vec<String> = field.lines.iter().map(|l| escape(l)).collect();
            EmbedField {
                name: cut(&escape(&field.name), limits::FIELD_NAME),
                value: cut(&lines.join("\n"), limits::FIELD_VALUE),
                inline: false,
            }
        })
        .collect();
    let footer = match &reply.footer {
        Some(from) => format!("{} \u{b7} {from}", marker(follow_id, article_id)),
        None => marker(follow_id, article_id),
    };
    let mut embed = Embed {
        title: cut(&escape(&reply.title), limits::TITLE),
        url: url.map(str::to_string),
        description: cut(&escape(&reply.body), limits::DESCRIPTION),
        fields,
        footer: cut(&footer, limits::FOOTER),
        colour: Some(ALERT_COLOUR),
    };
    // Shorten the longest parts until the whole fits the per-message total.
    while embed.chars() > limits::MESSAGE_TOTAL {
        if embed.fields.pop().is_none() {
            // Title and footer are far below the total: the description absorbs the rest.
            let over = embed.chars() - limits::MESSAGE_TOTAL;
            let keep = embed.description.chars().count().saturating_sub(over + 1);
            embed.description = cut(&embed.description, keep);
            break;
        }
    }
    Message {
        content: String::new(),
        embeds: vec![embed],
    }
}

/// One alert pass over every follow (the module docs). `now` comes from `clock`.
pub async fn pass<P: Poster, C: Clock>(
    store: &mut Store,
    poster: &P,
    clock: &C,
    retry: RetryPolicy,
    corpus: &Indexed,
) -> Result<AlertReport, StoreError> {
    // One read, and a write only for ids never seen (most passes write nothing).
    let mut loaded = store.load_order()?;
    let unseen: Vec<&str> = corpus
        .articles
        .iter()
        .map(|a| a.id.as_str())
        .filter(|id| !loaded.contains_key(*id))
        .collect();
    let mut report = AlertReport::default();
    if !unseen.is_empty() {
        report.first_loaded = store.record_loaded(unseen, clock.now())?;
        loaded = store.load_order()?;
    }
    let follows = store.follows()?;
    if follows.is_empty() {
        return Ok(report);
    }
    for follow in follows.iter().filter(|f| f.disabled.is_none()) {
        let alerts = store.alerts(follow.id)?;
        let mut live = true;
        for claim in alerts
            .iter()
            .filter(|a| a.status == crate::store::AlertStatus::Claimed)
        {
            if !finish(
                &mut *store,
                poster,
                clock,
                retry,
                follow,
                claim,
                &mut report,
            )
            .await?
            {
                live = false;
                break;
            }
        }
        if !live {
            continue;
        }
        let done: HashSet<&str> = alerts.iter().map(|a| a.article_id.as_str()).collect();
        // Oldest first, so a channel reads them in the order they arrived.
        for (index, article) in corpus.articles.iter().enumerate().rev() {
            if done.contains(article.id.as_str()) {
                continue;
            }
            let Some(&order) = loaded.get(&article.id) else {
                continue;
            };
            // Recorded after the follow was made (`/follow` records what is loaded then).
            if order <= follow.loaded_upto {
                continue;
            }
            let Some(reply) = follow::alert(corpus, follow, index) else {
                continue;
            };
            let message = message(&reply, article.url.as_deref(), follow.id, &article.id);
            if !store.claim_alert(follow.id, &article.id, &message.stored(), clock.now())? {
                // Another process claimed it: it posts, not us.
                continue;
            }
            if !post(
                &mut *store,
                poster,
                clock,
                retry,
                follow,
                &article.id,
                &message,
                &mut report,
            )
            .await?
            {
                break;
            }
        }
    }
    Ok(report)
}

/// Finishes an alert claim left unfinished. False when the follow got disabled or the claim must
/// wait for a later pass.
async fn finish<P: Poster, C: Clock>(
    store: &mut Store,
    poster: &P,
    clock: &C,
    retry: RetryPolicy,
    follow: &Follow,
    claim: &Alert,
    report: &mut AlertReport,
) -> Result<bool, StoreError> {
    // Only a claim whose holder is gone (its lease ran out) or this process's own is finished
    // here: another live process is posting it.
    if !store.take_over_alert(follow.id, &claim.article_id, clock.now())? {
        if claim.held_by_other(store.holder(), clock.now()) {
            report.pending.push((follow.id, claim.article_id.clone()));
        }
        return Ok(true);
    }
    let key = marker(follow.id, &claim.article_id);
    let what = format!(
        "follow {} alert for article {}",
        follow.id, claim.article_id
    );
    match retrying(poster, clock, retry, &what, |p: &P| {
        p.recent_messages(follow.channel_id)
    })
    .await
    {
        Ok(messages) => {
            if let Some(found) = messages.iter().find(|m| m.contains(&key)) {
                store.alert_delivered(follow.id, &claim.article_id, found.id, clock.now())?;
                tracing::info!(
                    "follow {}: the alert of article {} was already posted as message {}",
                    follow.id,
                    claim.article_id,
                    found.id
                );
                report.recovered.push((follow.id, claim.article_id.clone()));
                return Ok(true);
            }
        }
        Err(PostError::Disabling { reason, .. }) => {
            disable(store, clock, follow, &claim.article_id, &reason, report)?;
            return Ok(false);
        }
        Err(PostError::Retryable { message, .. }) => {
            // Posting blind could post twice once the nonce window has passed: wait.
            tracing::warn!(
                "follow {}: cannot read channel {} to finish an alert: {message}; trying again later",
                follow.id,
                follow.channel_id
            );
            report.pending.push((follow.id, claim.article_id.clone()));
            return Ok(false);
        }
        Err(PostError::Rejected { message }) => {
            tracing::warn!(
                "follow {}: cannot read channel {}: {message}; re-posting with the same nonce",
                follow.id,
                follow.channel_id
            );
        }
    }
    let message = Message::from_stored(&claim.message);
    post(
        store,
        poster,
        clock,
        retry,
        follow,
        &claim.article_id,
        &message,
        report,
    )
    .await
}

/// Posts one claimed alert and records it. False when it failed (the follow may be disabled).
#[allow(clippy::too_many_arguments)]
async fn post<P: Poster, C: Clock>(
    store: &mut Store,
    poster: &P,
    clock: &C,
    retry: RetryPolicy,
    follow: &Follow,
    article_id: &str,
    message: &Message,
    report: &mut AlertReport,
) -> Result<bool, StoreError> {
    // Still ours (the lease renewed) and not finished elsewhere meanwhile: else, not posted.
    if !store.renew_alert(follow.id, article_id, clock.now())? {
        tracing::warn!(
            "follow {}: the alert of article {article_id} is no longer this process's; not posting it",
            follow.id
        );
        report.pending.push((follow.id, article_id.to_string()));
        return Ok(false);
    }
    let nonce = nonce(follow.id, article_id);
    let what = format!("follow {} alert for article {article_id}", follow.id);
    match retrying(poster, clock, retry, &what, |p: &P| {
        p.post(follow.channel_id, message, &nonce)
    })
    .await
    {
        Ok(message_id) => {
            store.alert_delivered(follow.id, article_id, message_id, clock.now())?;
            tracing::info!(
                "follow {}: alerted channel {} about article {article_id}",
                follow.id,
                follow.channel_id
            );
            report.posted.push((follow.id, article_id.to_string()));
            Ok(true)
        }
        Err(PostError::Disabling { reason, .. }) => {
            disable(store, clock, follow, article_id, &reason, report)?;
            Ok(false)
        }
        Err(PostError::Retryable { message, .. }) => {
            // An outage outlasted the tries: the claim stays for a later pass (late, not lost).
            tracing::warn!(
                "follow {}: the alert of article {article_id} is not posted yet: {message}; trying again later",
                follow.id
            );
            report.pending.push((follow.id, article_id.to_string()));
            Ok(false)
        }
        Err(err) => {
            let error = err.to_string();
            store.alert_failed(follow.id, article_id, &error, None, clock.now())?;
            tracing::warn!(
                "follow {}: the alert of article {article_id} failed: {error}",
                follow.id
            );
            report
                .failed
                .push((follow.id, article_id.to_string(), error));
            Ok(false)
        }
    }
}

fn disable<C: Clock>(
    store: &Store,
    clock: &C,
    follow: &Follow,
    article_id: &str,
    reason: &str,
    report: &mut AlertReport,
) -> Result<(), StoreError> {
    store.alert_failed(follow.id, article_id, reason, Some(reason), clock.now())?;
    tracing::warn!(
        "follow {}: disabled for channel {}: {reason}",
        follow.id,
        follow.channel_id
    );
    report.disabled.push((follow.id, reason.to_string()));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_stable_short_and_distinct() {
        assert_eq!(nonce(3, "a-1"), nonce(3, "a-1"));
        assert_ne!(nonce(3, "a-1"), nonce(3, "a-2"));
        assert_ne!(nonce(3, "a-1"), nonce(4, "a-1"));
        let long = "2025-03-14-a-very-long-article-id-from-an-outlet";
        assert!(nonce(i64::MAX, long).len() <= NONCE_LIMIT);
        assert_ne!(nonce(1, long), nonce(2, long));
    }

    #[test]
    fn an_alert_fits_every_limit_and_is_escaped() {
        let mut reply = Reply {
            ok: true,
            title: format!("@everyone **{}**", "t".repeat(400)),
            body: "b ".repeat(3000),
            ..Reply::default()
        };
        for n in 0..40 {
            reply.field(
                format!("Field {n}"),
                vec!["x".repeat(1500), "<@123>".into()],
            );
        }
        reply.footer = Some("From \u{201c}x\u{201d}".into());
        let message = message(&reply, Some("https://example.org/a"), 7, "art-1");
        assert!(
            message.limit_problems().is_empty(),
            "{:?}",
            message.limit_problems()
        );
        let embed = &message.embeds[0];
        assert!(!embed.title.contains("**"), "{}", embed.title);
        assert!(
            embed.footer.contains(&marker(7, "art-1")),
            "{}",
            embed.footer
        );
        assert_eq!(embed.url.as_deref(), Some("https://example.org/a"));
    }
}
