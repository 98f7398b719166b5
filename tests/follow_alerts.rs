//! Follow alerts through the scheduler, against a real SQLite file and the fake channel store:
//! one alert per (follow, article) for articles first loaded after the follow, back-dated ones
//! included, none for articles already there, none again after a restart or a crash.

mod digest_support;

use std::path::Path;
use std::sync::Mutex;

use briefing_bot::cmd::{Caller, Context, Place, answer};
use briefing_bot::digest::alerts::marker;
use briefing_bot::digest::poster::PostError;
use briefing_bot::digest::scheduler::{Clock, Scheduler};
use briefing_bot::indexed::Indexed;
use briefing_bot::load::{LoadConfig, load_dir};
use briefing_bot::slash;
use briefing_bot::store::{AlertStatus, Store};
use chrono::TimeDelta;
use digest_support::{Crash, FakePoster, ManualClock, temp_db, utc};

const CHANNEL: u64 = 555;
const SEED: &str = "2025-03-beijing-iran-nuclear-talks.json";
/// Published after the seed; Ryabkov takes part.
const NEWER: &str = "2025-03-15-nation-diplomats-meet-nuclear-talks.json";
/// Published the day before the seed: back-dated, yet new to the bot; Ryabkov takes part.
const BACKDATED: &str = "2025-03-12-geo-reuters-china-to-hold-meeting.json";
/// Does not mention Ryabkov.
const UNRELATED: &str = "2025-03-11-fbc-unsc-closed-door-uranium.json";

fn story_file(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/story/articles")
        .join(name)
}

/// A data directory holding `files`, loaded.
fn corpus_of(data: &Path, files: &[&str]) -> Indexed {
    let articles = data.join("articles");
    std::fs::create_dir_all(&articles).unwrap();
    for name in files {
        std::fs::copy(story_file(name), articles.join(name)).unwrap();
    }
    load_dir(data, &LoadConfig::default())
        .unwrap_or_else(|failure| panic!("{:#?}", failure.problems))
        .corpus
        .into()
}

/// `/follow about:<about>` as a server manager in CHANNEL, at the clock's time.
fn follow(store: Store, corpus: &Indexed, clock: &ManualClock, about: &str) -> Store {
    let store = Mutex::new(store);
    let ctx = Context {
        store: Some(&store),
        caller: Caller { is_admin: true },
        place: Place {
            guild_id: Some(1),
            channel_id: Some(CHANNEL),
            user_id: Some(42),
        },
        now: clock.now(),
        ..Context::new(corpus)
    };
    let reply = answer(
        &ctx,
        &slash::parse(&format!("/follow about:{about}")).unwrap(),
    );
    assert!(reply.ok, "{}", reply.to_text());
    store.into_inner().unwrap()
}

/// A bot that has loaded the seed, then a manager's `/follow about:sergei-ryabkov` a minute later.
struct World {
    data: tempfile::TempDir,
    db: tempfile::TempDir,
    clock: ManualClock,
    poster: FakePoster,
    scheduler: Scheduler<FakePoster, ManualClock>,
}

async fn following_ryabkov() -> World {
    following_ryabkov_after(TimeDelta::minutes(1)).await
}

/// As [`following_ryabkov`], the follow `after` the first pass.
async fn following_ryabkov_after(after: TimeDelta) -> World {
    let data = tempfile::tempdir().unwrap();
    let (db, path) = temp_db();
    let clock = ManualClock::at(utc("2026-05-01 07:00"));
    let poster = FakePoster::new(&clock);
    let first = corpus_of(data.path(), &[SEED]);
    let mut scheduler = Scheduler::new(Store::open(&path).unwrap(), poster.clone(), clock.clone());
    scheduler.alerts(&first).await.unwrap();
    clock.advance(after);
    drop(follow(
        Store::open(&path).unwrap(),
        &first,
        &clock,
        "sergei-ryabkov",
    ));
    World {
        data,
        db,
        clock,
        poster,
        scheduler,
    }
}

fn alerts_in(poster: &FakePoster) -> Vec<String> {
    poster
        .messages_in(CHANNEL)
        .iter()
        .map(|m| m.content.clone())
        .collect()
}

#[tokio::test]
async fn a_new_article_alerts_once_and_articles_already_loaded_never_do() {
    let data = tempfile::tempdir().unwrap();
    let (_dir, path) = temp_db();
    let clock = ManualClock::at(utc("2026-05-01 07:00"));
    let poster = FakePoster::new(&clock);

    // The bot starts with the seed loaded; then a manager follows Ryabkov.
    let first = corpus_of(data.path(), &[SEED]);
    let mut scheduler = Scheduler::new(Store::open(&path).unwrap(), poster.clone(), clock.clone());
    let report = scheduler.alerts(&first).await.unwrap();
    assert_eq!(report.first_loaded.len(), 1);
    clock.advance(TimeDelta::minutes(5));
    let store = follow(Store::open(&path).unwrap(), &first, &clock, "Riabkov");
    drop(store);
    clock.advance(TimeDelta::minutes(1));
    let report = scheduler.alerts(&first).await.unwrap();
    assert!(
        report.posted.is_empty(),
        "the seed was there before the follow: {report:?}"
    );

    // Three articles arrive: a newer one and a back-dated one mention him, one does not.
    clock.advance(TimeDelta::minutes(10));
    let second = corpus_of(data.path(), &[SEED, NEWER, BACKDATED, UNRELATED]);
    let report = scheduler.alerts(&second).await.unwrap();
    assert_eq!(report.first_loaded.len(), 3, "{report:?}");
    let mut posted: Vec<&str> = report.posted.iter().map(|(_, a)| a.as_str()).collect();
    posted.sort();
    let newer_id = second
        .articles
        .iter()
        .find(|a| a.title.contains("Diplomats"))
        .map(|a| a.id.clone());
    assert_eq!(posted.len(), 2, "{report:?} (newer: {newer_id:?})");
    let alerts = alerts_in(&poster);
    assert_eq!(alerts.len(), 2);
    // As the channel shows it (README "Following people and topics" quotes this).
    println!("{:#?}", poster.messages_in(CHANNEL)[0].message);
    for text in &alerts {
        assert!(text.starts_with("Sergei Ryabkov in "), "{text}");
        assert!(text.contains("follow #1"), "{text}");
    }
    // Each alert is linked to its article when the article gives its address.
    for message in poster.messages_in(CHANNEL) {
        let embed = &message.message.embeds[0];
        let article = second
            .articles
            .iter()
            .find(|a| embed.footer.contains(&marker(1, &a.id)))
            .expect("the footer names the article");
        assert_eq!(embed.url, article.url);
        assert!(message.message.limit_problems().is_empty());
    }

    // Later passes, and a restart on the same file, post nothing again.
    clock.advance(TimeDelta::minutes(1));
    assert!(scheduler.alerts(&second).await.unwrap().posted.is_empty());
    drop(scheduler);
    let mut restarted = Scheduler::new(Store::open(&path).unwrap(), poster.clone(), clock.clone());
    clock.advance(TimeDelta::hours(3));
    let report = restarted.alerts(&second).await.unwrap();
    assert!(
        report.posted.is_empty() && report.first_loaded.is_empty(),
        "{report:?}"
    );
    assert_eq!(alerts_in(&poster).len(), 2);
    let store = restarted.store();
    let all = store.alerts(1).unwrap();
    assert_eq!(all.len(), 2);
    assert!(
        all.iter()
            .all(|a| a.status == AlertStatus::Delivered && a.message_id.is_some())
    );
}

#[tokio::test]
async fn killed_after_discord_took_the_alert_the_restart_finds_it_and_posts_nothing() {
    let data = tempfile::tempdir().unwrap();
    let (_dir, path) = temp_db();
    let clock = ManualClock::at(utc("2026-05-01 07:00"));
    let poster = FakePoster::new(&clock);
    let first = corpus_of(data.path(), &[SEED]);
    {
        let mut scheduler =
            Scheduler::new(Store::open(&path).unwrap(), poster.clone(), clock.clone());
        scheduler.alerts(&first).await.unwrap();
    }
    clock.advance(TimeDelta::minutes(1));
    drop(follow(
        Store::open(&path).unwrap(),
        &first,
        &clock,
        "sergei-ryabkov",
    ));
    clock.advance(TimeDelta::minutes(1));
    let second = corpus_of(data.path(), &[SEED, NEWER]);
    {
        let mut scheduler =
            Scheduler::new(Store::open(&path).unwrap(), poster.clone(), clock.clone());
        poster.channels.lock().unwrap().crash = Some(Crash::AfterPost);
        let crashed = poster.crashed.clone();
        tokio::select! {
            biased;
            () = crashed.notified() => {}
            report = scheduler.alerts(&second) => panic!("the pass should hang at the crash: {report:?}"),
        }
        let claimed = scheduler.store().claimed_alerts(1).unwrap();
        assert_eq!(claimed.len(), 1);
    }
    // Restarted two hours later (past Discord's nonce window): the footer is found.
    clock.advance(TimeDelta::hours(2));
    let mut scheduler = Scheduler::new(Store::open(&path).unwrap(), poster.clone(), clock.clone());
    let report = scheduler.alerts(&second).await.unwrap();
    assert_eq!(report.recovered.len(), 1, "{report:?}");
    assert!(report.posted.is_empty(), "{report:?}");
    assert_eq!(alerts_in(&poster).len(), 1);
    assert!(scheduler.store().claimed_alerts(1).unwrap().is_empty());
}

#[tokio::test]
async fn a_forbidden_channel_stops_the_follow_with_the_reason() {
    let World {
        data,
        db: _db,
        clock,
        poster,
        mut scheduler,
    } = following_ryabkov().await;
    poster.channels.lock().unwrap().always_fail.insert(
        CHANNEL,
        PostError::Disabling {
            status: 403,
            code: Some(50013),
            reason: "the bot may not post in the channel (Missing Permissions)".into(),
        },
    );
    clock.advance(TimeDelta::minutes(1));
    let second = corpus_of(data.path(), &[SEED, NEWER, BACKDATED]);
    let report = scheduler.alerts(&second).await.unwrap();
    assert_eq!(report.disabled.len(), 1, "{report:?}");
    let follow = scheduler.store().follow_by_id(1).unwrap().unwrap();
    assert!(follow.disabled.unwrap().contains("Missing Permissions"));
    // A stopped follow is left alone.
    let again = scheduler.alerts(&second).await.unwrap();
    assert!(again.posted.is_empty() && again.disabled.is_empty());
    assert_eq!(poster.post_calls(CHANNEL), 1);
}

#[tokio::test]
async fn an_outage_delays_an_alert_and_never_loses_or_doubles_it() {
    let World {
        data,
        db: _db,
        clock,
        poster,
        mut scheduler,
    } = following_ryabkov().await;
    // Discord answers 503 to every try of this pass.
    poster.channels.lock().unwrap().failures.insert(
        CHANNEL,
        std::iter::repeat_n(briefing_bot::digest::poster::classify(503, None, "down"), 5).collect(),
    );
    clock.advance(TimeDelta::minutes(1));
    let second = corpus_of(data.path(), &[SEED, NEWER]);
    let report = scheduler.alerts(&second).await.unwrap();
    assert_eq!(report.pending.len(), 1, "{report:?}");
    assert!(report.failed.is_empty() && report.posted.is_empty());
    assert_eq!(alerts_in(&poster).len(), 0);
    // Discord is back: the next pass posts it, once; later passes post nothing.
    clock.advance(TimeDelta::minutes(1));
    let report = scheduler.alerts(&second).await.unwrap();
    assert_eq!(report.posted.len(), 1, "{report:?}");
    clock.advance(TimeDelta::minutes(1));
    assert!(scheduler.alerts(&second).await.unwrap().posted.is_empty());
    assert_eq!(alerts_in(&poster).len(), 1);
}

/// The clock does not move between the follow and the load: order, not the second, says what is
/// new. (Compared by seconds, an article that arrived in the follow's second after it never
/// alerted: the end-to-end test caught it when the reload was fast.)
#[tokio::test]
async fn an_article_loaded_in_the_second_of_the_follow_after_it_alerts() {
    let World {
        data,
        db: _db,
        clock: _clock,
        poster,
        mut scheduler,
    } = following_ryabkov_after(TimeDelta::zero()).await;
    let second = corpus_of(data.path(), &[SEED, NEWER]);
    let report = scheduler.alerts(&second).await.unwrap();
    assert_eq!(report.first_loaded.len(), 1, "{report:?}");
    assert_eq!(report.posted.len(), 1, "{report:?}");
    assert_eq!(alerts_in(&poster).len(), 1);
    assert!(scheduler.alerts(&second).await.unwrap().posted.is_empty());
}
