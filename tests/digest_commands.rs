//! `/digest` commands against a real SQLite file, and the store and content rules under them.

mod digest_support;

use briefing_bot::article::Article;
use briefing_bot::cmd::{self, digest};
use briefing_bot::config::DigestConfig;
use briefing_bot::corpus::Corpus;
use briefing_bot::digest::content::{self, Filters, Since};
use briefing_bot::digest::preview_text;
use briefing_bot::digest::store::{NewSubscription, Store};
use briefing_bot::reply::Invocation;
use briefing_bot::slash;
use chrono::NaiveDate;
use digest_support::{seed_corpus, temp_db, utc};

const GUILD: Option<u64> = Some(42);

fn run(
    store: &Store,
    corpus: &briefing_bot::indexed::Indexed,
    line: &str,
) -> briefing_bot::reply::Reply {
    let invocation = slash::parse(line).unwrap_or_else(|err| panic!("{line}: {err}"));
    digest::answer(store, corpus, &invocation, GUILD, utc("2026-03-27 12:00"))
}

#[test]
fn subscribe_list_pause_resume_unsubscribe() {
    let corpus = seed_corpus();
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();

    let reply = run(
        &store,
        &corpus,
        "/digest subscribe channel:<#555> schedule:\"daily 08:00\" timezone:europe/london tags:iran,china skip_empty:true",
    );
    assert!(reply.ok, "{}", reply.to_text());
    assert!(reply.title.contains("Digest 1"));
    // The next post is the first 08:00 London after the 27th noon: the 28th, still GMT.
    assert!(
        reply.body.contains("Sat 28 Mar 2026, 08:00 GMT"),
        "{}",
        reply.body
    );

    let reply = run(&store, &corpus, "/digest list");
    let text = reply.to_text();
    assert!(text.contains("Channel 555"), "{text}");
    assert!(text.contains("daily 08:00"), "{text}");
    assert!(text.contains("Europe/London"), "{text}");
    assert!(
        text.contains("Next post: Sat 28 Mar 2026, 08:00 GMT"),
        "{text}"
    );
    assert!(text.contains("Last delivery: none yet"), "{text}");
    assert!(text.contains("Tags: iran, china"), "{text}");

    // Disabled by the scheduler: list says why.
    let slot = utc("2026-03-28 08:00");
    assert!(store.claim(1, slot, &[], &["x".into()], &[], slot).unwrap());
    let reason = "the bot lacks permission to post in the channel (HTTP 403, Discord code 50013: Missing Permissions)";
    store
        .mark_failed(1, slot, reason, Some(reason), slot)
        .unwrap();
    let text = run(&store, &corpus, "/digest list").to_text();
    assert!(text.contains(&format!("Disabled: {reason}")), "{text}");

    let reply = run(&store, &corpus, "/digest resume channel:555");
    assert!(
        reply.ok && reply.body.contains("50013"),
        "{}",
        reply.to_text()
    );
    assert!(store.subscription(1).unwrap().unwrap().disabled.is_none());

    let reply = run(&store, &corpus, "/digest pause subscription:1");
    assert!(reply.ok);
    assert!(
        run(&store, &corpus, "/digest list")
            .to_text()
            .contains("Paused")
    );

    let reply = run(&store, &corpus, "/digest unsubscribe subscription:1");
    assert!(reply.ok, "{}", reply.to_text());
    assert!(store.subscriptions().unwrap().is_empty());
}

#[test]
fn schedules_and_zones_that_do_not_parse_get_an_example() {
    let corpus = seed_corpus();
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let reply = run(
        &store,
        &corpus,
        "/digest subscribe channel:555 schedule:\"every morning\"",
    );
    assert!(!reply.ok);
    assert!(
        reply.body.contains("daily 08:00") && reply.body.contains("Example"),
        "{}",
        reply.body
    );
    let reply = run(
        &store,
        &corpus,
        "/digest subscribe channel:555 schedule:\"daily 8am\"",
    );
    assert!(!reply.ok && reply.body.contains("HH:MM"), "{}", reply.body);
    let reply = run(
        &store,
        &corpus,
        "/digest subscribe channel:555 schedule:\"daily 08:00\" timezone:London",
    );
    assert!(
        !reply.ok && reply.body.contains("Europe/London"),
        "{}",
        reply.body
    );
    assert!(store.subscriptions().unwrap().is_empty());
}

#[test]
fn two_digests_on_one_channel_are_told_apart_by_number() {
    let corpus = seed_corpus();
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    for schedule in ["daily 08:00", "weekdays 17:30"] {
        let line = format!("/digest subscribe channel:555 schedule:\"{schedule}\"");
        assert!(run(&store, &corpus, &line).ok);
    }
    let reply = run(&store, &corpus, "/digest pause channel:555");
    assert!(!reply.ok);
    assert_eq!(reply.suggestions.len(), 2);
    assert_eq!(
        reply.suggestions[1].invocation,
        Invocation::new("digest pause").arg("subscription", "2")
    );
    // Another server sees neither.
    let other = digest::answer(
        &store,
        &corpus,
        &Invocation::new("digest list"),
        Some(7),
        utc("2026-03-27 12:00"),
    );
    assert_eq!(other.title, "No digests");
}

#[test]
fn preview_shows_the_digest_and_the_table_knows_the_command() {
    let corpus = seed_corpus();
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let reply = run(&store, &corpus, "/digest preview");
    assert!(reply.ok);
    let text = reply.to_text();
    assert!(
        text.contains("China hosts Russia and Iran")
            && text.contains("/brief article:2025-03-beijing-iran-nuclear-talks"),
        "{text}"
    );

    // The table: /help shows subcommands by their full path.
    let spec = cmd::spec("digest subscribe").unwrap();
    let usage = cmd::help::usage(spec);
    assert!(
        usage.starts_with("/digest subscribe channel:<channel> schedule:<text>"),
        "{usage}"
    );
    assert!(cmd::COMMANDS.iter().any(|c| c.name == "digest" && c.admin));
    // The plain engine (no store) points to the bot for /digest rather than answering it; the
    // one way in checks the permission first, so the asker is an admin here.
    let ctx = cmd::Context {
        caller: cmd::Caller { is_admin: true },
        ..cmd::Context::new(&corpus)
    };
    let reply = cmd::answer(&ctx, &Invocation::new("digest list"));
    assert!(
        !reply.ok && reply.body.contains("digest --preview"),
        "{}",
        reply.body
    );
}

#[test]
fn the_console_preview_prints_the_seed_digest_within_message_limits() {
    let text = preview_text(&seed_corpus(), None, utc("2026-03-27 12:00"));
    assert!(text.contains("China hosts Russia and Iran"), "{text}");
    // The embeds as text: the article's title, its statements with speaker and absolute date.
    assert!(
        text.contains("## China hosts Russia and Iran in Beijing"),
        "{text}"
    );
    assert!(text.contains("Ali Khamenei \u{b7} 2025-03-12"), "{text}");
    assert!(
        !text.contains("Saturday") && !text.contains("Experts:"),
        "{text}"
    );
    let quiet = preview_text(
        &seed_corpus(),
        NaiveDate::from_ymd_opt(2025, 4, 1),
        utc("2026-03-27 12:00"),
    );
    assert!(
        quiet.contains("No new developments since 2025-04-01"),
        "{quiet}"
    );
}

fn article(id: &str, published: &str, tags: &[&str], speaker: &str) -> Article {
    serde_json::from_value(serde_json::json!({
        "id": id,
        "title": format!("Title {id}"),
        "published": published,
        "summary": "S.",
        "tags": tags,
        "participants": [{"id": speaker, "name": speaker.replace('-', " ")}],
        "statements": [{"speaker": speaker, "kind": "quote", "text": format!("Words of {id}.")}],
        "context": [{"id": format!("ctx-{id}"), "title": format!("Context {id}"), "text": "T."}]
    }))
    .unwrap()
}

#[test]
fn new_means_not_yet_covered_and_published_on_or_after_the_last_post() {
    let corpus = Corpus::build(vec![
        article("old", "2026-03-01", &["iran"], "mao-ning"),
        article("same-day", "2026-03-05", &["china"], "liu-zhongmin"),
        article("newer", "2026-03-06", &["iran"], "mao-ning"),
    ]);
    let since = Since {
        date: NaiveDate::from_ymd_opt(2026, 3, 5),
        seen: ["old".to_string()].into(),
    };
    let all = Filters::default();
    let cover = content::select(&corpus, &since, all);
    let digest = content::build(&corpus, &cover, all, "Digest", since.date);
    assert_eq!(digest.articles, vec!["newer", "same-day"]);
    let text = digest.to_reply().to_text();
    assert!(text.contains("Context newer (new)"), "{text}");
    // Statements are quoted with speaker and an absolute date, never counted.
    assert!(
        text.contains("mao ning \u{b7} reported 2026-03-06: \u{201c}Words of newer.\u{201d}"),
        "{text}"
    );
    assert!(!text.contains("1 statement\n"), "{text}");
    // build covers what the caller chose, and nothing else.
    let chosen = ["same-day".to_string(), "not-in-corpus".to_string()].into();
    let digest = content::build(&corpus, &chosen, all, "Digest", since.date);
    assert_eq!(digest.articles, vec!["same-day"]);

    let tags = vec!["IRAN".to_string()];
    let filters = Filters {
        tags: &tags,
        people: &[],
    };
    let cover = content::select(&corpus, &since, filters);
    let digest = content::build(&corpus, &cover, filters, "Digest", since.date);
    assert_eq!(digest.articles, vec!["newer"]);

    let people = vec!["liu zhongmin".to_string()];
    let filters = Filters {
        tags: &[],
        people: &people,
    };
    let cover = content::select(&corpus, &Since::default(), filters);
    assert_eq!(cover.len(), 1);
    // The filters hold in build too, whatever the caller chose.
    let everything = corpus.articles.iter().map(|a| a.id.clone()).collect();
    let digest = content::build(&corpus, &everything, filters, "Digest", None);
    assert_eq!(digest.articles, vec!["same-day"]);

    let covered = Since {
        date: NaiveDate::from_ymd_opt(2026, 3, 6),
        seen: ["newer".to_string()].into(),
    };
    let cover = content::select(&corpus, &covered, all);
    let digest = content::build(&corpus, &cover, all, "Digest", covered.date);
    assert!(digest.is_empty());
    assert_eq!(digest.counts, "No new developments since 2026-03-06.");
}

#[test]
fn the_store_is_wal_migrated_and_refuses_a_newer_schema() {
    let (_dir, path) = temp_db();
    {
        let store = Store::open(&path).unwrap();
        store
            .subscribe(
                &NewSubscription {
                    guild_id: None,
                    channel_id: 1,
                    schedule: "daily 08:00".into(),
                    timezone: "UTC".into(),
                    tags: vec![],
                    people: vec![],
                    skip_empty: false,
                },
                utc("2026-01-01 00:00"),
            )
            .unwrap();
    }
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, briefing_bot::digest::store::SCHEMA_VERSION);
    // Reopening keeps the data.
    assert_eq!(
        Store::open(&path).unwrap().subscriptions().unwrap().len(),
        1
    );

    conn.execute_batch("PRAGMA user_version = 99").unwrap();
    let err = Store::open(&path).unwrap_err().to_string();
    assert!(
        err.contains("newer briefing-bot") && err.contains("briefing.db"),
        "{err}"
    );
}

#[test]
fn the_env_default_subscription_follows_the_environment() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    };
    let config = DigestConfig::from_lookup(env(&[])).unwrap();
    assert_eq!(
        config.database_path,
        std::path::PathBuf::from("briefing.db")
    );
    assert!(config.default_subscription.is_none());

    let config = DigestConfig::from_lookup(env(&[
        ("DATABASE_PATH", "/tmp/x.db"),
        ("DIGEST_CHANNEL_ID", "555"),
        ("DIGEST_TZ", "europe/london"),
    ]))
    .unwrap();
    let wanted = config.default_subscription.unwrap();
    assert_eq!(wanted.schedule, "daily 08:00");
    assert_eq!(wanted.timezone, "Europe/London");

    let err = DigestConfig::from_lookup(env(&[
        ("DIGEST_CHANNEL_ID", "555"),
        ("DIGEST_SCHEDULE", "often"),
    ]))
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("DIGEST_SCHEDULE") && err.contains("daily 08:00"),
        "{err}"
    );
    let err = DigestConfig::from_lookup(env(&[("DIGEST_CHANNEL_ID", "general")]))
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("DIGEST_CHANNEL_ID"), "{err}");

    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let now = utc("2026-01-01 00:00");
    let id = store.sync_env_default(Some(&wanted), now).unwrap().unwrap();
    // Same settings at the next start: the same subscription, state kept.
    store.pause(id).unwrap();
    assert_eq!(
        store.sync_env_default(Some(&wanted), now).unwrap(),
        Some(id)
    );
    assert!(store.subscription(id).unwrap().unwrap().paused);
    // Changed settings replace it; unset removes it.
    let mut changed = wanted.clone();
    changed.schedule = "weekdays 17:30".into();
    let new_id = store
        .sync_env_default(Some(&changed), now)
        .unwrap()
        .unwrap();
    assert_ne!(new_id, id);
    assert_eq!(store.subscriptions().unwrap().len(), 1);
    assert_eq!(store.sync_env_default(None, now).unwrap(), None);
    assert!(store.subscriptions().unwrap().is_empty());
}
