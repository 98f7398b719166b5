//! The scheduler against a real SQLite file, a fake channel store and a clock that never sleeps:
//! exactly once per slot, catch-up, crash recovery, disabling, retries, daylight saving.

mod digest_support;

use std::time::Duration;

use briefing_bot::corpus::Corpus;
use briefing_bot::digest::pages::marker_key;
use briefing_bot::digest::poster::{PostError, classify};
use briefing_bot::digest::scheduler::{Clock, Scheduler};
use briefing_bot::digest::store::{NewSubscription, Status, Store};
use chrono::{DateTime, TimeDelta, Utc};
use digest_support::{Crash, FakePoster, ManualClock, seed_corpus, temp_db, utc};

const CHANNEL: u64 = 555;
const OTHER: u64 = 777;

/// The lease of the crash tests: a restarted process takes a dead one's claim over after it.
const LEASE: TimeDelta = TimeDelta::seconds(20);

fn new_sub(channel: u64, schedule: &str, zone: &str) -> NewSubscription {
    NewSubscription {
        guild_id: Some(1),
        channel_id: channel,
        schedule: schedule.to_string(),
        timezone: zone.to_string(),
        tags: Vec::new(),
        people: Vec::new(),
        skip_empty: false,
    }
}

/// Messages in the fake channel that are page 1 of `slot` of subscription `id`.
fn posts_of(poster: &FakePoster, channel: u64, id: i64, slot: DateTime<Utc>) -> usize {
    let key = marker_key(id, slot.timestamp(), 0);
    poster
        .messages_in(channel)
        .iter()
        .filter(|m| m.content.contains(&key))
        .count()
}

/// Ticks at every `step` from `from` to `until`, returning every delivered slot.
async fn run_between(
    scheduler: &mut Scheduler<FakePoster, ManualClock>,
    clock: &ManualClock,
    corpus: &Corpus,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    step: TimeDelta,
) -> Vec<(i64, DateTime<Utc>)> {
    let mut delivered = Vec::new();
    clock.set(from);
    while clock.now() <= until {
        let report = scheduler.tick(corpus).await.unwrap();
        delivered.extend(report.delivered);
        clock.advance(step);
    }
    delivered
}

#[tokio::test]
async fn daily_london_posts_once_a_day_at_0800_local_across_both_changes() {
    let corpus = seed_corpus();
    let (_dir, path) = temp_db();
    let clock = ManualClock::at(utc("2026-03-27 00:00"));
    let poster = FakePoster::new(&clock);
    let store = Store::open(&path).unwrap();
    let id = store
        .subscribe(
            &new_sub(CHANNEL, "daily 08:00", "Europe/London"),
            clock.now(),
        )
        .unwrap();
    let mut scheduler = Scheduler::new(store, poster.clone(), clock.clone());

    let step = TimeDelta::minutes(20);
    let march = run_between(
        &mut scheduler,
        &clock,
        &corpus,
        utc("2026-03-27 00:00"),
        utc("2026-03-31 12:00"),
        step,
    )
    .await;
    let slots: Vec<_> = march.iter().map(|(_, slot)| *slot).collect();
    assert_eq!(
        slots,
        vec![
            utc("2026-03-27 08:00"),
            utc("2026-03-28 08:00"),
            utc("2026-03-29 07:00"),
            utc("2026-03-30 07:00"),
            utc("2026-03-31 07:00"),
        ]
    );
    assert!(march.iter().all(|(sub, _)| *sub == id));

    let october = run_between(
        &mut scheduler,
        &clock,
        &corpus,
        utc("2026-10-23 12:00"),
        utc("2026-10-26 12:00"),
        step,
    )
    .await;
    let slots: Vec<_> = october.iter().map(|(_, slot)| *slot).collect();
    // The first tick after months of downtime posts the latest missed slot (2026-10-23 07:00).
    assert_eq!(
        slots,
        vec![
            utc("2026-10-23 07:00"),
            utc("2026-10-24 07:00"),
            utc("2026-10-25 08:00"),
            utc("2026-10-26 08:00"),
        ]
    );
    for slot in march.iter().chain(&october).map(|(_, s)| *s) {
        assert_eq!(posts_of(&poster, CHANNEL, id, slot), 1, "slot {slot}");
    }
}

#[tokio::test]
async fn a_slot_in_the_skipped_hour_is_posted_once() {
    let corpus = seed_corpus();
    let (_dir, path) = temp_db();
    let clock = ManualClock::at(utc("2026-03-28 12:00"));
    let poster = FakePoster::new(&clock);
    let store = Store::open(&path).unwrap();
    store
        .subscribe(
            &new_sub(CHANNEL, "daily 01:30", "Europe/London"),
            clock.now(),
        )
        .unwrap();
    let mut scheduler = Scheduler::new(store, poster.clone(), clock.clone());
    let delivered = run_between(
        &mut scheduler,
        &clock,
        &corpus,
        utc("2026-03-28 12:00"),
        utc("2026-03-30 12:00"),
        TimeDelta::minutes(10),
    )
    .await;
    let slots: Vec<_> = delivered.iter().map(|(_, slot)| *slot).collect();
    assert_eq!(
        slots,
        vec![utc("2026-03-29 01:00"), utc("2026-03-30 00:30")]
    );
    for (id, slot) in &delivered {
        assert_eq!(posts_of(&poster, CHANNEL, *id, *slot), 1, "slot {slot}");
    }
}

#[tokio::test]
async fn after_a_three_day_gap_the_latest_slot_posts_once_and_older_ones_are_skipped() {
    let corpus = seed_corpus();
    let (_dir, path) = temp_db();
    let clock = ManualClock::at(utc("2026-03-01 07:00"));
    let poster = FakePoster::new(&clock);
    let store = Store::open(&path).unwrap();
    let id = store
        .subscribe(&new_sub(CHANNEL, "daily 08:00", "UTC"), clock.now())
        .unwrap();
    let mut scheduler = Scheduler::new(store, poster.clone(), clock.clone());

    clock.set(utc("2026-03-01 08:00"));
    let report = scheduler.tick(&corpus).await.unwrap();
    assert_eq!(report.delivered, vec![(id, utc("2026-03-01 08:00"))]);

    // Down from just after that post until three days later.
    clock.set(utc("2026-03-04 09:15"));
    let report = scheduler.tick(&corpus).await.unwrap();
    assert_eq!(report.delivered, vec![(id, utc("2026-03-04 08:00"))]);
    assert_eq!(
        report.skipped,
        vec![(id, utc("2026-03-02 08:00")), (id, utc("2026-03-03 08:00"))]
    );
    // Ticking again posts nothing more.
    let report = scheduler.tick(&corpus).await.unwrap();
    assert!(report.delivered.is_empty() && report.skipped.is_empty());

    let statuses: Vec<(DateTime<Utc>, Status)> = scheduler
        .store()
        .deliveries(id)
        .unwrap()
        .into_iter()
        .map(|d| (d.slot, d.status))
        .collect();
    assert_eq!(
        statuses,
        vec![
            (utc("2026-03-01 08:00"), Status::Delivered),
            (utc("2026-03-02 08:00"), Status::Skipped),
            (utc("2026-03-03 08:00"), Status::Skipped),
            (utc("2026-03-04 08:00"), Status::Delivered),
        ]
    );
    assert_eq!(posts_of(&poster, CHANNEL, id, utc("2026-03-01 08:00")), 1);
    assert_eq!(posts_of(&poster, CHANNEL, id, utc("2026-03-04 08:00")), 1);
    // The full first digest (an overview and the seed article's embed) is one message; so is
    // the second.
    assert_eq!(poster.messages_in(CHANNEL).len(), 2);
    // The second digest has nothing new: the seed article was covered by the first.
    let last = poster.messages_in(CHANNEL).pop().unwrap();
    assert!(
        last.content
            .contains("No new developments since 2026-03-01"),
        "{}",
        last.content
    );
}

/// Crash (the tick future is dropped mid-post), then restart on the same file once the dead
/// process's lease (20 s) has run out.
async fn crash_and_restart(crash: Crash, restart_after: TimeDelta, can_read_channel: bool) {
    let corpus = seed_corpus();
    let (_dir, path) = temp_db();
    let clock = ManualClock::at(utc("2026-05-01 07:00"));
    let poster = FakePoster::new(&clock);
    let slot = utc("2026-05-01 08:00");
    let id = {
        let store = Store::open(&path).unwrap().with_lease(LEASE);
        let id = store
            .subscribe(&new_sub(CHANNEL, "daily 08:00", "UTC"), clock.now())
            .unwrap();
        let mut scheduler = Scheduler::new(store, poster.clone(), clock.clone());
        clock.set(slot + TimeDelta::seconds(1));
        poster.channels.lock().unwrap().crash = Some(crash);
        let crashed = poster.crashed.clone();
        tokio::select! {
            biased;
            () = crashed.notified() => {}
            report = scheduler.tick(&corpus) => panic!("the tick should hang at the crash: {report:?}"),
        }
        // The tick future is gone and the scheduler (its connection) is dropped: the process died.
        let claim = scheduler.store().delivery(id, slot).unwrap().unwrap();
        assert_eq!(claim.status, Status::Claimed);
        id
    };

    clock.advance(restart_after);
    if !can_read_channel {
        poster.channels.lock().unwrap().recent_failure = Some(PostError::Rejected {
            message: "no read access".into(),
        });
    }
    let store = Store::open(&path).unwrap().with_lease(LEASE);
    let mut scheduler = Scheduler::new(store, poster.clone(), clock.clone());
    let report = scheduler.tick(&corpus).await.unwrap();
    assert_eq!(report.delivered, vec![(id, slot)]);
    let report = scheduler.tick(&corpus).await.unwrap();
    assert!(report.delivered.is_empty());

    let delivery = scheduler.store().delivery(id, slot).unwrap().unwrap();
    assert_eq!(delivery.status, Status::Delivered);
    let pages = delivery.pages.len();
    assert!(pages >= 1);
    for page in 0..pages {
        let key = marker_key(id, slot.timestamp(), page);
        let copies = poster
            .messages_in(CHANNEL)
            .iter()
            .filter(|m| m.content.contains(&key))
            .count();
        assert_eq!(copies, 1, "page {} posted {copies} times", page + 1);
    }
    assert_eq!(poster.messages_in(CHANNEL).len(), pages);
    assert_eq!(delivery.message_ids.len(), pages);
    assert!(delivery.message_ids.iter().all(|&m| m != 0));
}

#[tokio::test]
async fn killed_after_discord_took_the_message_restart_posts_it_once_past_the_nonce_window() {
    // Past the nonce window the recent messages show the page went out.
    crash_and_restart(Crash::AfterPost, TimeDelta::hours(2), true).await;
}

#[tokio::test]
async fn killed_after_discord_took_the_message_restart_posts_it_once_within_the_nonce_window() {
    // The channel cannot be read: the same nonce makes Discord return the first message.
    crash_and_restart(Crash::AfterPost, TimeDelta::seconds(30), false).await;
}

#[tokio::test]
async fn killed_between_claim_and_post_restart_posts_it_once() {
    crash_and_restart(Crash::BeforePost, TimeDelta::hours(2), true).await;
}

#[tokio::test]
async fn forbidden_and_missing_channels_disable_only_their_subscription() {
    for (status, code, words) in [
        (403, Some(50013), "permission"),
        (403, Some(50001), "cannot see"),
        (404, Some(10003), "no longer exists"),
        (404, None, "not found"),
    ] {
        let corpus = seed_corpus();
        let (_dir, path) = temp_db();
        let clock = ManualClock::at(utc("2026-05-01 07:00"));
        let poster = FakePoster::new(&clock);
        let store = Store::open(&path).unwrap();
        let bad = store
            .subscribe(&new_sub(CHANNEL, "daily 08:00", "UTC"), clock.now())
            .unwrap();
        let good = store
            .subscribe(&new_sub(OTHER, "daily 08:00", "UTC"), clock.now())
            .unwrap();
        poster
            .channels
            .lock()
            .unwrap()
            .always_fail
            .insert(CHANNEL, classify(status, code, "refused"));
        let mut scheduler = Scheduler::new(store, poster.clone(), clock.clone());

        clock.set(utc("2026-05-01 08:00"));
        let report = scheduler.tick(&corpus).await.unwrap();
        assert_eq!(report.delivered, vec![(good, utc("2026-05-01 08:00"))]);
        assert_eq!(report.disabled.len(), 1);
        assert_eq!(report.disabled[0].0, bad);
        assert!(
            report.disabled[0].1.contains(words),
            "{status} {code:?}: {}",
            report.disabled[0].1
        );
        assert_eq!(poster.post_calls(CHANNEL), 1, "{status}: never retried");
        assert!(clock.sleeps.lock().unwrap().is_empty());

        let stored = scheduler.store().subscription(bad).unwrap().unwrap();
        assert!(stored.disabled.as_deref().unwrap().contains(words));
        assert!(
            scheduler
                .store()
                .subscription(good)
                .unwrap()
                .unwrap()
                .disabled
                .is_none()
        );

        // The next day: the good one posts, the disabled one is not tried again.
        clock.set(utc("2026-05-02 08:00"));
        let report = scheduler.tick(&corpus).await.unwrap();
        assert_eq!(report.delivered, vec![(good, utc("2026-05-02 08:00"))]);
        assert_eq!(poster.post_calls(CHANNEL), 1);
    }
}

#[tokio::test]
async fn rate_limits_and_server_errors_are_retried_with_backoff_without_sleeping() {
    let corpus = seed_corpus();
    let (_dir, path) = temp_db();
    let clock = ManualClock::at(utc("2026-05-01 07:00"));
    let poster = FakePoster::new(&clock);
    let store = Store::open(&path).unwrap();
    let id = store
        .subscribe(&new_sub(CHANNEL, "daily 08:00", "UTC"), clock.now())
        .unwrap();
    poster.channels.lock().unwrap().failures.insert(
        CHANNEL,
        [
            classify(429, None, "slow down"),
            classify(502, None, "bad gateway"),
            PostError::Retryable {
                retry_after: Some(Duration::from_secs(7)),
                message: "rate limited".into(),
            },
        ]
        .into(),
    );
    let mut scheduler = Scheduler::new(store, poster.clone(), clock.clone());
    clock.set(utc("2026-05-01 08:00"));
    let report = scheduler.tick(&corpus).await.unwrap();
    assert_eq!(report.delivered, vec![(id, utc("2026-05-01 08:00"))]);
    assert_eq!(
        *clock.sleeps.lock().unwrap(),
        vec![
            Duration::from_secs(2),
            Duration::from_secs(4),
            Duration::from_secs(7)
        ]
    );
    assert_eq!(posts_of(&poster, CHANNEL, id, utc("2026-05-01 08:00")), 1);

    // Failing past the last try leaves the slot claimed: it is posted, once, when Discord is
    // back, and the next slot posts too.
    poster.channels.lock().unwrap().failures.insert(
        CHANNEL,
        std::iter::repeat_n(classify(503, None, "down"), 5).collect(),
    );
    clock.set(utc("2026-05-02 08:00"));
    let report = scheduler.tick(&corpus).await.unwrap();
    assert!(
        report.failed.is_empty() && report.disabled.is_empty(),
        "{report:?}"
    );
    assert_eq!(report.pending, vec![(id, utc("2026-05-02 08:00"))]);
    let pending = scheduler
        .store()
        .delivery(id, utc("2026-05-02 08:00"))
        .unwrap()
        .unwrap();
    assert_eq!(pending.status, Status::Claimed);
    assert_eq!(posts_of(&poster, CHANNEL, id, utc("2026-05-02 08:00")), 0);
    clock.set(utc("2026-05-02 08:05"));
    let report = scheduler.tick(&corpus).await.unwrap();
    assert_eq!(report.delivered, vec![(id, utc("2026-05-02 08:00"))]);
    assert_eq!(posts_of(&poster, CHANNEL, id, utc("2026-05-02 08:00")), 1);
    clock.set(utc("2026-05-03 08:00"));
    let report = scheduler.tick(&corpus).await.unwrap();
    assert_eq!(report.delivered, vec![(id, utc("2026-05-03 08:00"))]);
}

#[tokio::test]
async fn two_subscriptions_on_one_channel_post_independently() {
    let corpus = seed_corpus();
    let (_dir, path) = temp_db();
    let clock = ManualClock::at(utc("2026-05-01 07:00"));
    let poster = FakePoster::new(&clock);
    let store = Store::open(&path).unwrap();
    let a = store
        .subscribe(&new_sub(CHANNEL, "daily 08:00", "UTC"), clock.now())
        .unwrap();
    let b = store
        .subscribe(&new_sub(CHANNEL, "daily 08:00", "UTC"), clock.now())
        .unwrap();
    let mut scheduler = Scheduler::new(store, poster.clone(), clock.clone());
    clock.set(utc("2026-05-01 08:00"));
    let report = scheduler.tick(&corpus).await.unwrap();
    let slot = utc("2026-05-01 08:00");
    assert_eq!(report.delivered, vec![(a, slot), (b, slot)]);
    assert_eq!(posts_of(&poster, CHANNEL, a, slot), 1);
    assert_eq!(posts_of(&poster, CHANNEL, b, slot), 1);
    // Their nonces differ, so Discord does not fold one into the other.
    let nonces: std::collections::HashSet<String> =
        poster.all_messages().into_iter().map(|m| m.nonce).collect();
    assert_eq!(nonces.len(), poster.all_messages().len());

    // Pausing one leaves the other posting.
    scheduler.store().pause(a).unwrap();
    clock.set(utc("2026-05-02 08:00"));
    let report = scheduler.tick(&corpus).await.unwrap();
    assert_eq!(report.delivered, vec![(b, utc("2026-05-02 08:00"))]);
    // Resumed, it does not catch up the paused day.
    scheduler.store().resume(a, clock.now()).unwrap();
    clock.set(utc("2026-05-03 08:00"));
    let report = scheduler.tick(&corpus).await.unwrap();
    assert_eq!(
        report.delivered,
        vec![(a, utc("2026-05-03 08:00")), (b, utc("2026-05-03 08:00"))]
    );
    assert!(report.skipped.is_empty());
}

#[tokio::test]
async fn quiet_days_post_nothing_when_the_subscription_says_so() {
    let corpus = seed_corpus();
    let (_dir, path) = temp_db();
    let clock = ManualClock::at(utc("2026-05-01 07:00"));
    let poster = FakePoster::new(&clock);
    let store = Store::open(&path).unwrap();
    let mut quiet = new_sub(CHANNEL, "daily 08:00", "UTC");
    quiet.skip_empty = true;
    let id = store.subscribe(&quiet, clock.now()).unwrap();
    let mut scheduler = Scheduler::new(store, poster.clone(), clock.clone());
    clock.set(utc("2026-05-01 08:00"));
    assert_eq!(scheduler.tick(&corpus).await.unwrap().delivered.len(), 1);
    let before = poster.messages_in(CHANNEL).len();
    clock.set(utc("2026-05-02 08:00"));
    let report = scheduler.tick(&corpus).await.unwrap();
    assert_eq!(report.empty, vec![(id, utc("2026-05-02 08:00"))]);
    assert_eq!(poster.messages_in(CHANNEL).len(), before);
}

#[test]
fn the_scheduler_can_run_on_a_tokio_task() {
    fn assert_send<T: Send>(_: &T) {}
    let (_dir, path) = temp_db();
    let clock = ManualClock::at(utc("2026-05-01 07:00"));
    let scheduler = Scheduler::new(Store::open(&path).unwrap(), FakePoster::new(&clock), clock);
    let corpus = std::sync::Arc::new(seed_corpus());
    let run = scheduler.run(
        move || corpus.clone(),
        std::sync::Arc::new(tokio::sync::Notify::new()),
    );
    assert_send(&run);
}

/// Two processes on one file: the one that loses the claim leaves the winner's live claim alone
/// (it used to finish it, posting its missing pages a second time), and takes it over only once
/// the winner's lease has run out.
#[tokio::test]
async fn a_claim_held_by_a_live_process_is_never_taken_over_before_its_lease_ends() {
    let corpus = seed_corpus();
    let (_dir, path) = temp_db();
    let clock = ManualClock::at(utc("2026-05-01 07:00"));
    let poster = FakePoster::new(&clock);
    let slot = utc("2026-05-01 08:00");
    let lease = TimeDelta::minutes(10);
    let winner = Store::open(&path).unwrap().with_lease(lease);
    let id = winner
        .subscribe(&new_sub(CHANNEL, "daily 08:00", "UTC"), clock.now())
        .unwrap();
    let mut first = Scheduler::new(winner, poster.clone(), clock.clone());
    clock.set(slot + TimeDelta::seconds(1));
    // The winner posts page 1 and is still waiting for Discord's answer.
    poster.channels.lock().unwrap().crash = Some(Crash::AfterPost);
    let crashed = poster.crashed.clone();
    tokio::select! {
        biased;
        () = crashed.notified() => {}
        report = first.tick(&corpus) => panic!("the tick should hang in the post: {report:?}"),
    }
    let calls = poster.post_calls(CHANNEL);

    // Past Discord's nonce window, well within the lease: the other process posts nothing.
    let mut second = Scheduler::new(
        Store::open(&path).unwrap().with_lease(lease),
        poster.clone(),
        clock.clone(),
    );
    clock.set(slot + TimeDelta::minutes(6));
    let report = second.tick(&corpus).await.unwrap();
    assert!(report.delivered.is_empty(), "{report:?}");
    assert_eq!(report.pending, vec![(id, slot)]);
    assert_eq!(poster.post_calls(CHANNEL), calls);
    let claim = second.store().delivery(id, slot).unwrap().unwrap();
    assert_eq!(claim.status, Status::Claimed);
    assert_eq!(claim.holder.as_deref(), Some(first.store().holder()));

    // The winner's lease runs out (it died): the other process finishes the slot, each page once.
    clock.set(slot + TimeDelta::minutes(11));
    let report = second.tick(&corpus).await.unwrap();
    assert_eq!(report.delivered, vec![(id, slot)]);
    let delivery = second.store().delivery(id, slot).unwrap().unwrap();
    assert_eq!(delivery.status, Status::Delivered);
    for page in 0..delivery.pages.len() {
        let key = marker_key(id, slot.timestamp(), page);
        let copies = poster
            .messages_in(CHANNEL)
            .iter()
            .filter(|m| m.content.contains(&key))
            .count();
        assert_eq!(copies, 1, "page {} posted {copies} times", page + 1);
    }
    // The first process, were it to wake now, no longer holds the slot.
    assert!(!first.store().renew(id, slot, clock.now()).unwrap());
}
