//! "New" is new to the subscription: an article the bot first loads after a digest appears in the
//! next digest once, whatever its published date; the first load is kept across restarts.

mod digest_support;

use std::path::Path;

use briefing_bot::digest::scheduler::{Clock, Scheduler};
use briefing_bot::indexed::Indexed;
use briefing_bot::load::{LoadConfig, load_dir};
use briefing_bot::store::{NewSubscription, Store};
use chrono::TimeDelta;
use digest_support::{FakePoster, ManualClock, temp_db, utc};

const CHANNEL: u64 = 555;
const SEED: &str = "2025-03-beijing-iran-nuclear-talks.json";
/// Published 2025-03-12, the day before the seed: back-dated by a year against the digests.
const BACKDATED: &str = "2025-03-12-geo-reuters-china-to-hold-meeting.json";

fn corpus_of(data: &Path, files: &[&str]) -> Indexed {
    let articles = data.join("articles");
    std::fs::create_dir_all(&articles).unwrap();
    for name in files {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/story/articles")
            .join(name);
        std::fs::copy(from, articles.join(name)).unwrap();
    }
    load_dir(data, &LoadConfig::default())
        .unwrap_or_else(|failure| panic!("{:#?}", failure.problems))
        .corpus
        .into()
}

#[tokio::test]
async fn a_back_dated_article_added_between_digests_appears_in_the_next_one_once() {
    let data = tempfile::tempdir().unwrap();
    let (_dir, path) = temp_db();
    let clock = ManualClock::at(utc("2026-05-01 07:00"));
    let poster = FakePoster::new(&clock);
    let seed_only = corpus_of(data.path(), &[SEED]);
    let id = Store::open(&path)
        .unwrap()
        .subscribe(
            &NewSubscription {
                guild_id: Some(1),
                channel_id: CHANNEL,
                schedule: "daily 08:00".into(),
                timezone: "UTC".into(),
                tags: Vec::new(),
                people: Vec::new(),
                skip_empty: false,
            },
            clock.now(),
        )
        .unwrap();

    // Day 1: the first digest covers the seed.
    let mut scheduler = Scheduler::new(Store::open(&path).unwrap(), poster.clone(), clock.clone());
    clock.set(utc("2026-05-01 08:00") + TimeDelta::seconds(1));
    let report = scheduler.tick(&seed_only).await.unwrap();
    assert_eq!(report.delivered.len(), 1, "{report:?}");
    let backdated = corpus_of(data.path(), &[SEED, BACKDATED]);
    let title = backdated
        .articles
        .iter()
        .find(|a| a.published.as_deref() == Some("2025-03-12"))
        .map(|a| a.title.clone())
        .unwrap();
    let mentions = |poster: &FakePoster| {
        poster
            .messages_in(CHANNEL)
            .iter()
            .filter(|m| m.content.contains(&title))
            .count()
    };
    assert_eq!(mentions(&poster), 0);

    // The back-dated article is added in the afternoon; the bot restarts meanwhile.
    clock.set(utc("2026-05-01 15:00"));
    drop(scheduler);
    let mut scheduler = Scheduler::new(Store::open(&path).unwrap(), poster.clone(), clock.clone());
    let report = scheduler.tick(&backdated).await.unwrap();
    assert!(report.delivered.is_empty());

    // Day 2: it is in the digest, and the seed is not again.
    clock.set(utc("2026-05-02 08:00") + TimeDelta::seconds(1));
    let report = scheduler.tick(&backdated).await.unwrap();
    assert_eq!(report.delivered, vec![(id, utc("2026-05-02 08:00"))]);
    assert_eq!(mentions(&poster), 1);
    let day2 = scheduler
        .store()
        .delivery(id, utc("2026-05-02 08:00"))
        .unwrap()
        .unwrap();
    assert_eq!(day2.articles.len(), 1, "{:?}", day2.articles);

    // Day 3: nothing new; it never appears again.
    clock.set(utc("2026-05-03 08:00") + TimeDelta::seconds(1));
    scheduler.tick(&backdated).await.unwrap();
    assert_eq!(mentions(&poster), 1);
    let last = poster.messages_in(CHANNEL).pop().unwrap();
    assert!(
        last.content.contains("No new developments"),
        "{}",
        last.content
    );
}
