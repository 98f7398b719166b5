//! What only one backend has to show: SQLite's start-up on a damaged, busy or fresh file, and
//! PostgreSQL's lost connections and secrets. (The shared behaviour is tests/store_conformance.rs.)

mod store_support;

use std::io::{Seek, SeekFrom, Write};
use std::sync::{Arc, Barrier};

use briefing_bot::store::{Location, NewSubscription, PostgresUrl, Store};
use chrono::{DateTime, Utc};
use store_support::TestDb;

fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_780_000_000 + seconds, 0).unwrap()
}

fn sub(channel: u64) -> NewSubscription {
    NewSubscription {
        guild_id: Some(1),
        channel_id: channel,
        schedule: "every minute".into(),
        timezone: "UTC".into(),
        tags: Vec::new(),
        people: Vec::new(),
        skip_empty: false,
    }
}

#[test]
fn sqlite_a_damaged_file_is_reported_at_open_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    {
        let store = Store::open(&path).unwrap();
        for channel in 0..400 {
            store.subscribe(&sub(channel), at(0)).unwrap();
        }
    }
    // Checkpointed into the main file by the close; now garble its last page.
    let len = std::fs::metadata(&path).unwrap().len();
    assert!(len > 8192, "{len}");
    let mut file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.seek(SeekFrom::Start(len - 4096)).unwrap();
    file.write_all(&[0xA5; 4096]).unwrap();
    drop(file);
    let err = Store::open(&path).unwrap_err().to_string();
    assert!(err.contains(&path.display().to_string()), "{err}");
    assert!(err.contains("damaged"), "{err}");
    assert!(err.contains("backup"), "{err}");

    // Not a database at all.
    let text = dir.path().join("notes.db");
    std::fs::write(&text, "this is not a database, just some notes".repeat(200)).unwrap();
    let err = Store::open(&text).unwrap_err().to_string();
    assert!(err.contains("notes.db") && err.contains("damaged"), "{err}");
}

#[test]
fn sqlite_many_processes_starting_on_a_fresh_file_all_open_it() {
    for round in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.db");
        let starters = 6;
        let barrier = Arc::new(Barrier::new(starters));
        let results: Vec<Result<(), String>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..starters)
                .map(|n| {
                    let barrier = Arc::clone(&barrier);
                    let path = path.clone();
                    scope.spawn(move || {
                        barrier.wait();
                        let store = Store::open(&path).map_err(|e| e.to_string())?;
                        store
                            .subscribe(&sub(n as u64), at(0))
                            .map_err(|e| e.to_string())?;
                        Ok(())
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for result in results {
            assert_eq!(result, Ok(()), "round {round}");
        }
        assert_eq!(
            Store::open(&path).unwrap().subscriptions().unwrap().len(),
            starters
        );
    }
}

#[test]
fn sqlite_opening_waits_for_a_writer_holding_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    // A file in rollback-journal mode, held by a writer for a second and a half.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "CREATE TABLE other (x INTEGER); BEGIN EXCLUSIVE; INSERT INTO other VALUES (1);",
    )
    .unwrap();
    let holder = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(1500));
        conn.execute_batch("COMMIT").unwrap();
    });
    let store = Store::open(&path);
    holder.join().unwrap();
    let store = store.unwrap();
    store.subscribe(&sub(1), at(0)).unwrap();
}

#[test]
fn postgres_a_lost_connection_is_retried_not_fatal() {
    let Some(db) = TestDb::postgres() else {
        return;
    };
    let store = db.open();
    let id = store.subscribe(&sub(1), at(0)).unwrap();
    assert!(
        db.cut_connections() >= 1,
        "the store keeps a pooled connection"
    );
    // The pooled connection is dead; the call reconnects and succeeds.
    assert_eq!(store.subscriptions().unwrap().len(), 1);
    db.cut_connections();
    assert!(
        store
            .claim(id, at(60), &[], &["p".into()], &[], at(61))
            .unwrap()
    );
    assert_eq!(store.claimed(id).unwrap().len(), 1);
}

#[tokio::test]
async fn postgres_the_store_works_from_inside_a_tokio_runtime() {
    let Some(db) = TestDb::postgres() else {
        return;
    };
    let store = db.open();
    let id = store.subscribe(&sub(1), at(0)).unwrap();
    let handle = tokio::spawn(async move { store.subscription(id).unwrap().map(|s| s.channel_id) });
    assert_eq!(handle.await.unwrap(), Some(1));
}

#[test]
fn postgres_errors_never_show_the_password() {
    // Nothing listens on port 1: connecting fails (after the retries) with the reason.
    let secret = "s3cret-Pa55word";
    let url = PostgresUrl::new(format!("postgres://bot:{secret}@127.0.0.1:1/briefing"));
    assert!(!format!("{url:?} {url}").contains(secret));
    let location = Location::Postgres(url);
    assert!(!format!("{location:?}").contains(secret));
    let err = Store::open_at(&location).unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(!text.contains(secret), "{text}");
    assert!(
        text.contains("PostgreSQL database postgres://bot@127.0.0.1:1/briefing"),
        "{text}"
    );
    // A URL that does not parse is not quoted back either.
    let bad = PostgresUrl::new(format!("postgres://bot:{secret}@127.0.0.1:notaport/x"));
    let err = Store::open_postgres(&bad).unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(!text.contains(secret), "{text}");
    assert!(text.contains("does not parse"), "{text}");
}
