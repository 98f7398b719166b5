//! The scheduler: posts each subscription's slots, exactly once each, across restarts.
//!
//! One pass ([`Scheduler::tick`]) does, for each active subscription:
//!
//! 1. **Finish unfinished claims.** A claim is written before posting, leased to this process
//!    (see [`crate::store`]); a claim still there is a post in flight or one that was
//!    interrupted (a crash, a kill). A claim whose holder's lease still runs is left to it (and
//!    the subscription waits for it); one whose lease ran out is taken over. Pages recorded as
//!    posted are skipped; for the rest the channel's recent messages are searched for the
//!    page's marker (see [`super::pages`]); the pages still missing are posted with the
//!    same nonce as the first try, and `enforce_nonce`, so Discord de-duplicates within its
//!    window too.
//! 2. **Post the latest due slot.** The slots between the subscription's cursor (its last slot
//!    with a row, or when it was created or resumed) and now are computed; the latest is posted
//!    and the older ones are marked skipped, in the transaction that claims the latest. After
//!    downtime that is one post, not a burst.
//!
//! Posting retries 429, 5xx and network failures with exponential backoff, and a post that still
//! fails stays claimed for a later pass (late, never lost); a channel that is gone or forbids
//! posting disables only its subscription, with the reason; any other refusal fails the slot. Time comes from a
//! [`Clock`], so tests step through days and daylight-saving changes without sleeping.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use tokio::sync::Notify;

use super::alerts::{ALERT_POLL, AlertReport};
use super::pages::{Message, marker_key, messages};
use super::poster::{PostError, Poster, nonce};
use crate::cmd::digest::content::{self, Filters, heading};
use crate::discord::register::{CommandIds, SharedCommandIds};
use crate::indexed::Indexed;
use crate::schedule::{Schedule, parse_zone};
use crate::store::{Delivery, Store, StoreError, Subscription};

/// Missed slots older than this are neither posted nor recorded as skipped.
pub const CATCH_UP_WINDOW: TimeDelta = TimeDelta::days(35);

/// At most this many skipped slots are recorded per catch-up (an every-minute schedule after a
/// month offline would otherwise write tens of thousands of rows).
pub const MAX_SKIPPED_RECORDED: usize = 500;

/// The longest the scheduler sleeps without looking again (a changed corpus, a clock jump).
pub const MAX_SLEEP: Duration = Duration::from_secs(15 * 60);

/// How soon to look again at a claim that could not be finished (the channel could not be read),
/// or after a database error.
pub const RETRY_PENDING: Duration = Duration::from_secs(60);

/// Where the scheduler gets the time, and how it waits.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send;
}

/// The real clock: the system time and tokio's timer.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send {
        tokio::time::sleep(duration)
    }
}

/// How hard to retry a post that failed for a passing reason.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Tries in all, the first included.
    pub attempts: u32,
    pub first_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 5,
            first_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(60),
        }
    }
}

/// What one pass did, for logs and tests.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TickReport {
    /// (subscription, slot) posted in full this pass, recovered claims included.
    pub delivered: Vec<(i64, DateTime<Utc>)>,
    /// (subscription, slot) with nothing new, not posted.
    pub empty: Vec<(i64, DateTime<Utc>)>,
    /// (subscription, slot) marked skipped.
    pub skipped: Vec<(i64, DateTime<Utc>)>,
    /// (subscription, reason) disabled this pass.
    pub disabled: Vec<(i64, String)>,
    /// (subscription, slot, error) failed this pass.
    pub failed: Vec<(i64, DateTime<Utc>, String)>,
    /// (subscription, slot) left claimed, to finish on a later pass.
    pub pending: Vec<(i64, DateTime<Utc>)>,
}

/// The digest scheduler: one store connection, one poster, one clock.
pub struct Scheduler<P, C> {
    store: Store,
    poster: P,
    clock: C,
    retry: RetryPolicy,
    /// Discord's command ids, for command mentions in digests (empty: plain `/brief`).
    commands: SharedCommandIds,
}

impl<P: Poster, C: Clock> Scheduler<P, C> {
    pub fn new(store: Store, poster: P, clock: C) -> Self {
        Scheduler {
            store,
            poster,
            clock,
            retry: RetryPolicy::default(),
            commands: SharedCommandIds::default(),
        }
    }

    /// Where to read Discord's command ids (filled in when the commands are registered).
    pub fn with_commands(mut self, commands: SharedCommandIds) -> Self {
        self.commands = commands;
        self
    }

    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn poster(&self) -> &P {
        &self.poster
    }

    /// Runs forever: a pass (alerts, then digests), then sleep until the next slot, at most
    /// [`ALERT_POLL`], or until `wake` (which the command handler notifies after a change) or a
    /// reload of the corpus. Stop it by aborting its task: an interrupted post is
    /// finished by the next start.
    pub async fn run(mut self, corpus: impl Fn() -> Arc<Indexed> + Send, wake: Arc<Notify>) {
        let corpus_now = corpus;
        loop {
            let corpus = corpus_now();
            // Alerts first: the articles' first loads are recorded before a digest asks what is
            // new.
            let alerts_pending = match self.alerts(&corpus).await {
                Ok(report) => !report.pending.is_empty(),
                Err(err) => {
                    tracing::error!("follow alerts: {err}");
                    true
                }
            };
            let retry_soon = match self.tick(&corpus).await {
                Ok(report) => {
                    log(&report);
                    !report.pending.is_empty() || alerts_pending
                }
                Err(err) => {
                    tracing::error!("digest scheduler: {err}");
                    true
                }
            };
            let now = self.clock.now();
            let wait = match self.next_slot(now) {
                Ok(Some(next)) => (next - now).to_std().unwrap_or(Duration::ZERO),
                Ok(None) => MAX_SLEEP,
                Err(err) => {
                    tracing::error!("digest scheduler: {err}");
                    MAX_SLEEP
                }
            };
            // Newly loaded articles are looked at for follows at least every ALERT_POLL.
            let cap = if retry_soon { RETRY_PENDING } else { MAX_SLEEP }.min(ALERT_POLL);
            tokio::select! {
                () = self.clock.sleep(wait.min(cap)) => {}
                () = wake.notified() => {}
                () = reloaded(&corpus_now, &corpus) => {}
            }
        }
    }

    /// One follow-alert pass (see [`super::alerts`]): records the corpus's first loads, then
    /// alerts each follow about the new articles that mention it.
    pub async fn alerts(&mut self, corpus: &Indexed) -> Result<AlertReport, StoreError> {
        super::alerts::pass(
            &mut self.store,
            &self.poster,
            &self.clock,
            self.retry,
            corpus,
        )
        .await
    }

    /// The earliest next slot of any active subscription.
    pub fn next_slot(&self, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, StoreError> {
        let mut earliest: Option<DateTime<Utc>> = None;
        for sub in self.store.subscriptions()? {
            if !sub.active() {
                continue;
            }
            let (Ok(schedule), Ok(zone)) =
                (Schedule::parse(&sub.schedule), parse_zone(&sub.timezone))
            else {
                continue;
            };
            if let Some(next) = schedule.next_slot(zone, now.max(sub.not_before)) {
                earliest = Some(earliest.map_or(next, |e| e.min(next)));
            }
        }
        Ok(earliest)
    }

    /// One pass over every subscription, at the clock's current time.
    pub async fn tick(&mut self, corpus: &crate::corpus::Corpus) -> Result<TickReport, StoreError> {
        let mut report = TickReport::default();
        for sub in self.store.subscriptions()? {
            if sub.active() {
                self.serve(&sub, corpus, &mut report).await?;
            }
        }
        Ok(report)
    }

    async fn serve(
        &mut self,
        sub: &Subscription,
        corpus: &crate::corpus::Corpus,
        report: &mut TickReport,
    ) -> Result<(), StoreError> {
        let (schedule, zone) = match (Schedule::parse(&sub.schedule), parse_zone(&sub.timezone)) {
            (Ok(schedule), Ok(zone)) => (schedule, zone),
            (Err(err), _) | (_, Err(err)) => {
                let reason = format!("the schedule or time zone does not parse: {err}");
                self.store.disable(sub.id, &reason)?;
                report.disabled.push((sub.id, reason));
                return Ok(());
            }
        };

        for claim in self.store.claimed(sub.id)? {
            // A claim whose holder is alive (its lease runs) is that holder's to finish: posting
            // its missing pages here is what posted a page twice.
            if !self.store.take_over(sub.id, claim.slot, self.clock.now())? {
                if claim.held_by_other(self.store.holder(), self.clock.now()) {
                    report.pending.push((sub.id, claim.slot));
                }
                return Ok(());
            }
            if claim.holder.as_deref() != Some(self.store.holder()) {
                tracing::info!(
                    "digest {}: taking over slot {} from {} (its lease ran out)",
                    sub.id,
                    claim.slot,
                    claim.holder.as_deref().unwrap_or("a process before leases")
                );
            }
            if !self.finish_claim(sub, claim, report).await? {
                return Ok(());
            }
        }

        let now = self.clock.now();
        let mut cursor = sub.not_before.max(now - CATCH_UP_WINDOW);
        if let Some(last) = self.store.last_slot(sub.id)? {
            cursor = cursor.max(last);
        }
        let due = schedule.slots_between(zone, cursor, now, MAX_SKIPPED_RECORDED + 1);
        let Some((&slot, older)) = due.split_last() else {
            return Ok(());
        };

        let new = crate::cmd::digest::new_to(&self.store, corpus, sub, zone, now)?;
        let filters = Filters {
            tags: &sub.tags,
            people: &sub.people,
        };
        let digest = content::build(
            corpus,
            &new.articles,
            filters,
            &heading(slot, zone),
            new.since,
        );
        if digest.is_empty() && sub.skip_empty {
            if self.store.record_empty(sub.id, slot, older, now)? {
                report.empty.push((sub.id, slot));
                report.skipped.extend(older.iter().map(|&s| (sub.id, s)));
            }
            return Ok(());
        }
        let ids = CommandIds::read(&self.commands);
        let pages: Vec<String> = messages(&digest, &ids, Some((sub.id, slot.timestamp())))
            .iter()
            .map(Message::stored)
            .collect();
        if !self
            .store
            .claim(sub.id, slot, older, &pages, &digest.articles, now)?
        {
            // Another process claimed it first: it posts, not us.
            return Ok(());
        }
        report.skipped.extend(older.iter().map(|&s| (sub.id, s)));
        let Some(claim) = self.store.delivery(sub.id, slot)? else {
            return Ok(());
        };
        self.post_pages(sub, &claim, report).await?;
        Ok(())
    }

    /// Finishes a claim left unfinished. False when the subscription got disabled or the claim
    /// must wait for a later pass.
    async fn finish_claim(
        &mut self,
        sub: &Subscription,
        mut claim: Delivery,
        report: &mut TickReport,
    ) -> Result<bool, StoreError> {
        let recorded =
            |claim: &Delivery, page: usize| claim.message_ids.get(page).is_some_and(|&id| id != 0);
        let missing = (0..claim.pages.len()).any(|page| !recorded(&claim, page));
        if missing {
            let what = format!("digest {}", sub.id);
            let read = retrying(&self.poster, &self.clock, self.retry, &what, |p: &P| {
                p.recent_messages(sub.channel_id)
            });
            match read.await {
                Ok(messages) => {
                    let slot = claim.slot.timestamp();
                    for page in 0..claim.pages.len() {
                        if recorded(&claim, page) {
                            continue;
                        }
                        let key = marker_key(sub.id, slot, page);
                        if let Some(found) = messages.iter().find(|m| m.contains(&key)) {
                            let now = self.clock.now();
                            self.store
                                .page_posted(sub.id, claim.slot, page, found.id, now)?;
                            tracing::info!(
                                "digest {}: page {} of slot {} was already posted as message {}",
                                sub.id,
                                page + 1,
                                claim.slot,
                                found.id
                            );
                        }
                    }
                }
                Err(PostError::Disabling { reason, .. }) => {
                    self.disable(sub, claim.slot, &reason, report)?;
                    return Ok(false);
                }
                Err(PostError::Retryable { message, .. }) => {
                    // Posting blind could post twice once the nonce window has passed: wait.
                    tracing::warn!(
                        "digest {}: cannot read channel {} to finish slot {}: {message}; trying again later",
                        sub.id,
                        sub.channel_id,
                        claim.slot
                    );
                    report.pending.push((sub.id, claim.slot));
                    return Ok(false);
                }
                Err(PostError::Rejected { message }) => {
                    // Reading is refused but posting may not be: rely on the nonce.
                    tracing::warn!(
                        "digest {}: cannot read channel {}: {message}; re-posting with the same nonce",
                        sub.id,
                        sub.channel_id
                    );
                }
            }
            claim = self.store.delivery(sub.id, claim.slot)?.unwrap_or(claim);
        }
        self.post_pages(sub, &claim, report).await
    }

    /// Posts the pages of a claim not yet posted, then marks it delivered. Before each page the
    /// lease is renewed (a claim taken over meanwhile stops here) and the row read again (a page
    /// recorded meanwhile is not posted). False when it failed or stopped.
    async fn post_pages(
        &mut self,
        sub: &Subscription,
        claim: &Delivery,
        report: &mut TickReport,
    ) -> Result<bool, StoreError> {
        let slot = claim.slot;
        for (page, stored) in claim.pages.iter().enumerate() {
            if claim.message_ids.get(page).is_some_and(|&id| id != 0) {
                continue;
            }
            // Before each post: still ours (the lease renewed), and the page not recorded since.
            if !self.store.renew(sub.id, slot, self.clock.now())? {
                tracing::warn!(
                    "digest {}: slot {slot} is no longer this process's (its lease ran out and \
                     another took it over, or it was finished); not posting page {}",
                    sub.id,
                    page + 1
                );
                report.pending.push((sub.id, slot));
                return Ok(false);
            }
            let recorded = self
                .store
                .delivery(sub.id, slot)?
                .is_some_and(|now| now.message_ids.get(page).is_some_and(|&id| id != 0));
            if recorded {
                continue;
            }
            let message = Message::from_stored(stored);
            let nonce = nonce(sub.id, slot.timestamp(), page);
            let what = format!("digest {}", sub.id);
            match retrying(&self.poster, &self.clock, self.retry, &what, |p: &P| {
                p.post(sub.channel_id, &message, &nonce)
            })
            .await
            {
                Ok(message_id) => {
                    let now = self.clock.now();
                    self.store
                        .page_posted(sub.id, slot, page, message_id, now)?;
                }
                Err(PostError::Disabling { reason, .. }) => {
                    self.disable(sub, slot, &reason, report)?;
                    return Ok(false);
                }
                Err(PostError::Retryable { message, .. }) => {
                    // An outage outlasted the tries: the claim stays, and a later pass finishes
                    // it (recent messages first, then the same nonce), so the digest is late,
                    // never lost.
                    tracing::warn!(
                        "digest {}: slot {slot} not posted yet: {message}; trying again later",
                        sub.id
                    );
                    report.pending.push((sub.id, slot));
                    return Ok(false);
                }
                Err(err) => {
                    let error = err.to_string();
                    let now = self.clock.now();
                    self.store.mark_failed(sub.id, slot, &error, None, now)?;
                    tracing::warn!("digest {}: slot {slot} failed: {error}", sub.id);
                    report.failed.push((sub.id, slot, error));
                    return Ok(false);
                }
            }
        }
        let now = self.clock.now();
        self.store.mark_delivered(sub.id, slot, now)?;
        report.delivered.push((sub.id, slot));
        Ok(true)
    }

    fn disable(
        &mut self,
        sub: &Subscription,
        slot: DateTime<Utc>,
        reason: &str,
        report: &mut TickReport,
    ) -> Result<(), StoreError> {
        let now = self.clock.now();
        self.store
            .mark_failed(sub.id, slot, reason, Some(reason), now)?;
        tracing::warn!(
            "digest {}: disabled for channel {}: {reason}",
            sub.id,
            sub.channel_id
        );
        report.disabled.push((sub.id, reason.to_string()));
        report.failed.push((sub.id, slot, reason.to_string()));
        Ok(())
    }
}

/// How often the loop looks whether the corpus in service was replaced (a reload), so that a new
/// article's alerts go out within seconds rather than at the next [`ALERT_POLL`].
pub const RELOAD_POLL: Duration = Duration::from_secs(1);

/// Returns once `corpus()` is no longer `seen`: a reload swapped the snapshot.
async fn reloaded(corpus: &impl Fn() -> Arc<Indexed>, seen: &Arc<Indexed>) {
    loop {
        tokio::time::sleep(RELOAD_POLL).await;
        if !Arc::ptr_eq(&corpus(), seen) {
            return;
        }
    }
}

/// Calls `op` until it succeeds, fails for good, or the tries run out; waits between tries
/// (Discord's `retry_after` when it gave one, else doubling delays), logging each retry as
/// what is being posted (`what`: "digest 3", "follow 1 alert for article x"). Takes the poster
/// and clock rather than the scheduler so the future stays `Send` (a SQLite connection is not
/// `Sync`).
pub(super) async fn retrying<'a, P, C, T, F, Fut>(
    poster: &'a P,
    clock: &C,
    retry: RetryPolicy,
    what: &str,
    op: F,
) -> Result<T, PostError>
where
    P: Poster,
    C: Clock,
    F: Fn(&'a P) -> Fut,
    Fut: Future<Output = Result<T, PostError>>,
{
    let mut delay = retry.first_delay;
    let mut attempt = 1;
    loop {
        match op(poster).await {
            Err(PostError::Retryable {
                retry_after,
                message,
            }) if attempt < retry.attempts => {
                let wait = retry_after.unwrap_or(delay).min(retry.max_delay);
                tracing::info!(
                    "{what}: {message}; try {attempt} of {}, next in {wait:?}",
                    retry.attempts
                );
                clock.sleep(wait).await;
                delay = (delay * 2).min(retry.max_delay);
                attempt += 1;
            }
            result => return result,
        }
    }
}

fn log(report: &TickReport) {
    for (id, slot) in &report.delivered {
        tracing::info!("digest {id}: slot {slot} delivered");
    }
    for (id, first, last, count) in skipped_runs(&report.skipped) {
        if count == 1 {
            tracing::info!("digest {id}: slot {first} skipped (missed while offline)");
        } else {
            tracing::info!(
                "digest {id}: {count} slots from {first} to {last} skipped (missed while offline)"
            );
        }
    }
}

/// The skipped slots as one line per subscription: (id, earliest, latest, how many), in the
/// order the subscriptions first appear. A catch-up after an hour offline on an every-minute
/// schedule is one log line, not sixty.
fn skipped_runs(
    skipped: &[(i64, DateTime<Utc>)],
) -> Vec<(i64, DateTime<Utc>, DateTime<Utc>, usize)> {
    let mut runs: Vec<(i64, DateTime<Utc>, DateTime<Utc>, usize)> = Vec::new();
    for &(id, slot) in skipped {
        match runs.iter_mut().find(|run| run.0 == id) {
            Some(run) => {
                run.1 = run.1.min(slot);
                run.2 = run.2.max(slot);
                run.3 += 1;
            }
            None => runs.push((id, slot, slot, 1)),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: u32) -> DateTime<Utc> {
        use chrono::TimeZone;
        Utc.with_ymd_and_hms(2026, 12, 2, 7, minute, 0)
            .single()
            .expect("a valid time")
    }

    #[test]
    fn skipped_slots_are_one_run_per_subscription() {
        let skipped = [(7, at(3)), (9, at(1)), (7, at(1)), (7, at(2))];
        assert_eq!(
            skipped_runs(&skipped),
            vec![(7, at(1), at(3), 3), (9, at(1), at(1), 1)]
        );
        assert!(skipped_runs(&[]).is_empty());
    }
}
