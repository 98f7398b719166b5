//! Digest posts per minute against 1, 2 and 3 `serve-http` instances on one PostgreSQL database
//! (BENCHMARKS.md, "Several instances").
//!
//! ```text
//! cargo build --bin briefing-bot
//! TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \
//!     cargo run --example instances_bench -- [SUBSCRIPTIONS] [LATENCY_MS]
//! ```
//!
//! For each instance count: a fresh schema, SUBSCRIPTIONS (default 60) every-minute digests on
//! distinct channels, the fake Discord answering each post after LATENCY_MS (default 50, a real
//! round trip); the instances start, and the first slot's posts are timed from the minute
//! boundary to the last page. Every page must reach the fake exactly once.

#[path = "../tests/instances_support/mod.rs"]
mod instances_support;
#[path = "../tests/store_support/mod.rs"]
mod store_support;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use briefing_bot::store::{NewSubscription, Status};
use chrono::{DateTime, Utc};
use instances_support::{FakeRest, next_minute, spawn_instance, terminate};
use store_support::TestDb;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let subscriptions: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(60);
    let latency: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(50);
    println!(
        "binary {}; {subscriptions} subscriptions, {latency} ms per post",
        instances_support::binary()
    );
    for instances in 1..=3 {
        let Some(db) = TestDb::postgres() else {
            std::process::exit(2);
        };
        let (posts, elapsed) = run(&db, instances, subscriptions, latency).await;
        println!(
            "{instances} instance(s): {posts} posts in {:.1} s = {:.0} posts per minute",
            elapsed.as_secs_f64(),
            posts as f64 / elapsed.as_secs_f64() * 60.0
        );
    }
}

async fn run(db: &TestDb, instances: usize, subscriptions: u64, latency: u64) -> (usize, Duration) {
    let store = db.open();
    while Utc::now().timestamp() % 60 > 40 {
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let created = Utc::now();
    let mut ids = Vec::new();
    for n in 0..subscriptions {
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
    let slot = next_minute(created.timestamp());
    let fake = FakeRest::start(instances, Duration::from_millis(latency)).await;
    let dir = tempfile::tempdir().unwrap();
    let key = "0".repeat(64);
    let database = db.env();
    let mut children: Vec<_> = (0..instances)
        .map(|i| spawn_instance(&fake, i, &database, &key, 60, dir.path()))
        .collect();
    let at = DateTime::from_timestamp(slot, 0).unwrap();
    let deadline = Instant::now() + Duration::from_secs(600);
    while Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let done = ids.iter().all(|&id| {
            store
                .delivery(id, at)
                .unwrap()
                .is_some_and(|d| d.status == Status::Delivered)
        });
        if done {
            break;
        }
    }
    for child in &mut children {
        terminate(child);
    }
    let posts = fake.posts();
    let nonces: HashSet<&str> = posts.iter().map(|p| p.nonce.as_str()).collect();
    assert_eq!(nonces.len(), posts.len(), "a page was posted twice");
    let last = posts.iter().map(|p| p.at).max().expect("posts");
    // The slot starts at the minute boundary, in wall-clock time.
    let started = Instant::now()
        - (Utc::now() - DateTime::from_timestamp(slot, 0).unwrap())
            .to_std()
            .unwrap_or_default();
    (posts.len(), last.saturating_duration_since(started))
}
