//! Several instances on one database, PostgreSQL and (the same test) one SQLite file: three
//! `serve-http` processes (the built binary), 30 subscriptions on an every-minute schedule, a fake
//! Discord on 127.0.0.1. One process is killed with SIGKILL in the middle of a delivery (its post
//! left unanswered); the others finish its slot once its lease (5 s) has run out. On PostgreSQL,
//! as the second slot starts, the database ends every connection (as a restart would): the
//! instances reconnect. Every slot of every channel is posted exactly once: each page's nonce
//! reaches the fake once, every delivery row ends delivered.
//!
//! Bounded: it runs from start-up through the first two minute boundaries (S1, S2) and ends as
//! soon as both slots of all 30 channels are delivered: at most about two and a half minutes.
//! Without `TEST_DATABASE_URL` the PostgreSQL one says so and passes; the SQLite one always runs.
//! The two run side by side (about a minute and a half together).

mod instances_support;
#[path = "support/signed_http.rs"]
mod signed_http;
mod store_support;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use briefing_bot::digest::poster::nonce;
use briefing_bot::store::{NewSubscription, Status};
use chrono::{DateTime, Utc};
use instances_support::{FakeRest, next_minute, spawn_instance, terminate};
use store_support::TestDb;

const INSTANCES: usize = 3;
const SUBSCRIPTIONS: u64 = 30;
const LEASE_SECONDS: u32 = 5;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_instances_on_postgresql_post_every_slot_once_and_finish_a_killed_ones_slot() {
    if let Some(db) = TestDb::postgres() {
        three_instances(db).await;
    }
}

/// The same on one SQLite file: three processes share it (WAL), with the same leases.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_instances_on_one_sqlite_file_post_every_slot_once_and_finish_a_killed_ones_slot() {
    three_instances(TestDb::sqlite().expect("a temporary file")).await;
}

async fn three_instances(db: TestDb) {
    let store = db.open();
    // Not in the last seconds of a minute: the processes are up well before the first slot.
    while Utc::now().timestamp() % 60 > 45 {
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let created = Utc::now();
    let mut ids = Vec::new();
    for n in 0..SUBSCRIPTIONS {
        let new = NewSubscription {
            guild_id: Some(1),
            channel_id: 1000 + n,
            schedule: "* * * * *".into(),
            timezone: "UTC".into(),
            tags: Vec::new(),
            people: Vec::new(),
            skip_empty: false,
        };
        ids.push(store.subscribe(&new, created).unwrap());
    }
    let s1 = next_minute(created.timestamp());
    let s2 = s1 + 60;

    let fake = FakeRest::start(INSTANCES, Duration::from_millis(20)).await;
    // Instance 0 hangs on its third post: by then it holds a claim and has posted part of it.
    fake.log.lock().unwrap().hang = Some((0, 3));
    let dir = tempfile::tempdir().unwrap();
    let key = signed_http::Key::from_seed(7).public_hex();
    let database = db.env();
    let mut children: Vec<_> = (0..INSTANCES)
        .map(|i| spawn_instance(&fake, i, &database, &key, LEASE_SECONDS, dir.path()))
        .collect();

    let slot_of = |seconds: i64| DateTime::from_timestamp(seconds, 0).unwrap();
    let deadline = Instant::now() + Duration::from_secs((s2 - Utc::now().timestamp()) as u64 + 45);
    let mut killed = false;
    let mut cut = 0;
    let mut done = false;
    while Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
        if cut == 0 && db.is_postgres() && Utc::now().timestamp() >= s2 {
            // The database drops every connection as the second slot is being posted (a restart,
            // a network cut): the instances reconnect and go on.
            cut = db.cut_connections();
        }
        if !killed && fake.log.lock().unwrap().hung.is_some() {
            // SIGKILL: no shutdown, no cleanup, the claim left held.
            children[0].kill().unwrap();
            children[0].wait().unwrap();
            killed = true;
        }
        let delivered = ids.iter().all(|&id| {
            [s1, s2].iter().all(|&slot| {
                store
                    .delivery(id, slot_of(slot))
                    .unwrap()
                    .is_some_and(|d| d.status == Status::Delivered)
            })
        });
        if delivered && killed {
            done = true;
            break;
        }
    }
    for child in children.iter_mut().skip(1) {
        terminate(child);
    }
    let logs: String = (0..INSTANCES)
        .map(|i| {
            let text =
                std::fs::read_to_string(dir.path().join(format!("instance-{i}.log"))).unwrap();
            format!("--- instance {i}\n{}", tail(&text, 30))
        })
        .collect();
    assert!(killed, "instance 0 never got to its third post\n{logs}");
    assert!(
        cut > 0 || !db.is_postgres(),
        "no connection was cut\n{logs}"
    );
    assert!(done, "not every slot was delivered in time\n{logs}");

    // Exactly once: every page of every delivered slot reached Discord once, nothing else did.
    let posts = fake.posts();
    let mut by_nonce: HashMap<&str, usize> = HashMap::new();
    for post in &posts {
        *by_nonce.entry(post.nonce.as_str()).or_default() += 1;
    }
    let twice: Vec<_> = by_nonce.iter().filter(|&(_, &n)| n > 1).collect();
    assert!(twice.is_empty(), "posted more than once: {twice:?}\n{logs}");
    let mut expected = 0;
    for &id in &ids {
        for slot in [s1, s2] {
            let delivery = store.delivery(id, slot_of(slot)).unwrap().unwrap();
            assert_eq!(delivery.message_ids.len(), delivery.pages.len());
            for page in 0..delivery.pages.len() {
                let nonce = nonce(id, slot, page);
                assert_eq!(by_nonce.get(nonce.as_str()), Some(&1), "{nonce}\n{logs}");
                expected += 1;
            }
        }
    }
    assert_eq!(posts.len(), expected, "posts beyond the delivered pages");

    // The killed instance's slot was finished by the others.
    let (channel, hung_nonce) = fake.log.lock().unwrap().hung.clone().unwrap();
    let finisher = posts
        .iter()
        .find(|p| p.nonce == hung_nonce)
        .expect("the page left hanging was posted by another instance");
    assert_ne!(finisher.instance, 0);
    assert_eq!(finisher.channel, channel);
    // Every instance that lived took part.
    for instance in 1..INSTANCES {
        assert!(
            posts.iter().any(|p| p.instance == instance),
            "instance {instance} posted nothing\n{logs}"
        );
    }
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

#[test]
fn database_url_selects_postgresql_and_is_never_quoted_back() {
    use briefing_bot::config::DigestConfig;
    use briefing_bot::store::Location;
    let config = |pairs: &[(&str, &str)]| {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        DigestConfig::from_lookup(move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
    };
    let sqlite = config(&[("DATABASE_PATH", "/tmp/x.db")]).unwrap();
    assert_eq!(sqlite.location(), Location::Sqlite("/tmp/x.db".into()));
    assert_eq!(sqlite.location_variable(), "DATABASE_PATH");
    assert_eq!(sqlite.lease, briefing_bot::store::DEFAULT_LEASE);

    let pg = config(&[
        ("DATABASE_PATH", "/tmp/x.db"),
        ("DATABASE_URL", "postgres://bot:hunter2-secret@db:5432/bot"),
        ("DIGEST_LEASE_SECONDS", "30"),
    ])
    .unwrap();
    assert!(matches!(pg.location(), Location::Postgres(_)));
    assert_eq!(pg.location_variable(), "DATABASE_URL");
    assert_eq!(pg.lease.num_seconds(), 30);
    assert!(!format!("{pg:?}").contains("hunter2-secret"));

    let err = config(&[("DATABASE_URL", "mysql://u:hunter2@h/db")])
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("DATABASE_URL "), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
    for lease in ["0", "4", "3601", "soon", "-5"] {
        let err = config(&[("DIGEST_LEASE_SECONDS", lease)])
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("DIGEST_LEASE_SECONDS "), "{lease}: {err}");
    }
}

#[test]
fn shard_ranges_are_checked_with_one_clear_line() {
    use briefing_bot::config::Shards;
    assert_eq!(
        Shards::parse("0-3", 8),
        Ok(Shards {
            first: 0,
            last: 3,
            total: 8
        })
    );
    assert_eq!(
        Shards::parse("5", 8),
        Ok(Shards {
            first: 5,
            last: 5,
            total: 8
        })
    );
    for (range, total, words) in [
        ("4-2", 8, "comes after"),
        ("0-8", 8, "numbered 0 to 7"),
        ("a-b", 8, "range of shard numbers"),
        ("", 8, "range of shard numbers"),
        ("0-1", 0, "at least 1"),
    ] {
        let err = Shards::parse(range, total).unwrap_err();
        assert!(err.contains(words), "{range}/{total}: {err}");
        assert!(!err.contains('\n'));
    }
}

#[test]
fn run_refuses_a_bad_shard_range_with_exit_2() {
    for args in [
        &["run", "--shards", "3-1", "--shard-total", "4"][..],
        &["run", "--shards", "0-1"][..],
        &["run", "--shard-total", "4"][..],
    ] {
        let output = std::process::Command::new(instances_support::binary())
            .args(args)
            .env(
                "DISCORD_TOKEN",
                "MTAwMDAwMDAwMDAwMDAwMDAw.GabCdE.instances-test-token_0123456789",
            )
            .env(
                "DATABASE_PATH",
                std::env::temp_dir().join("never-opened.db"),
            )
            .env_remove("DATABASE_URL")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("--shard"), "{args:?}: {stderr}");
    }
}
