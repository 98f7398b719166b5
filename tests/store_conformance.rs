//! One suite for the store's interface, run against both backends: SQLite (a temporary file) and
//! PostgreSQL (a fresh schema in `TEST_DATABASE_URL`; without it those tests say so and pass).
//!
//! Each case takes a [`TestDb`]; "another process" is another [`Store`] opened on the same
//! database, with its own holder id.

mod store_support;

use std::collections::HashSet;
use std::sync::{Arc, Barrier};

use briefing_bot::store::{
    AlertStatus, FollowAdded, FollowKind, NewFollow, NewSubscription, Status, Store,
};
use chrono::{DateTime, TimeDelta, Utc};
use store_support::TestDb;

fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_780_000_000 + seconds, 0).unwrap()
}

fn sub(guild: Option<u64>, channel: u64) -> NewSubscription {
    NewSubscription {
        guild_id: guild,
        channel_id: channel,
        schedule: "daily 08:00".into(),
        timezone: "Europe/London".into(),
        tags: vec!["iran".into()],
        people: vec!["mao-ning".into()],
        skip_empty: true,
    }
}

fn follow_of(channel: u64, guild: Option<u64>) -> NewFollow {
    NewFollow {
        guild_id: guild,
        channel_id: channel,
        kind: FollowKind::Person,
        target: "sergei-ryabkov".into(),
        label: "Sergei Ryabkov".into(),
        created_by: Some(42),
    }
}

fn pages(n: usize) -> Vec<String> {
    (1..=n).map(|p| format!("page {p}")).collect()
}

mod cases {
    use super::*;

    pub fn subscriptions(db: &TestDb) {
        let store = db.open();
        let a = store.subscribe(&sub(Some(7), 100), at(0)).unwrap();
        let b = store.subscribe(&sub(Some(8), 200), at(5)).unwrap();
        let all = store.subscriptions().unwrap();
        assert_eq!(all.iter().map(|s| s.id).collect::<Vec<_>>(), vec![a, b]);
        let first = &all[0];
        assert_eq!(first.guild_id, Some(7));
        assert_eq!(first.channel_id, 100);
        assert_eq!(first.tags, vec!["iran"]);
        assert_eq!(first.people, vec!["mao-ning"]);
        assert!(first.skip_empty && !first.paused && !first.from_env);
        assert_eq!(first.not_before, at(0));
        assert!(first.active());
        assert_eq!(store.subscriptions_of(Some(8)).unwrap().len(), 1);
        assert_eq!(store.subscriptions_of(None).unwrap().len(), 2);

        assert!(store.pause(a).unwrap());
        assert!(store.subscription(a).unwrap().unwrap().paused);
        assert!(store.resume(a, at(60)).unwrap());
        let resumed = store.subscription(a).unwrap().unwrap();
        assert!(!resumed.paused);
        assert_eq!(resumed.not_before, at(60));
        store.disable(a, "no access").unwrap();
        assert_eq!(
            store.subscription(a).unwrap().unwrap().disabled.as_deref(),
            Some("no access")
        );
        assert!(!store.pause(9999).unwrap());

        assert!(store.unsubscribe(b).unwrap());
        assert!(!store.unsubscribe(b).unwrap());
        // A removed subscription's id is never given again (its nonces and markers stay unique).
        let c = store.subscribe(&sub(Some(8), 200), at(70)).unwrap();
        assert!(c > b, "{c} after {b}");
        // Discord ids use the full 63 bits.
        let big = store
            .subscribe(&sub(Some(1_234_567_890_123_456_789), u64::MAX >> 1), at(0))
            .unwrap();
        let big = store.subscription(big).unwrap().unwrap();
        assert_eq!(big.guild_id, Some(1_234_567_890_123_456_789));
        assert_eq!(big.channel_id, u64::MAX >> 1);
        // Another process sees the same rows.
        assert_eq!(db.open().subscriptions().unwrap().len(), 3);
    }

    pub fn the_env_default_is_kept_changed_or_removed(db: &TestDb) {
        let store = db.open();
        let wanted = NewSubscription {
            guild_id: None,
            ..sub(None, 300)
        };
        let id = store
            .sync_env_default(Some(&wanted), at(0))
            .unwrap()
            .unwrap();
        assert!(store.subscription(id).unwrap().unwrap().from_env);
        assert_eq!(
            store.sync_env_default(Some(&wanted), at(9)).unwrap(),
            Some(id)
        );
        let moved = NewSubscription {
            channel_id: 301,
            ..wanted.clone()
        };
        let other = store
            .sync_env_default(Some(&moved), at(10))
            .unwrap()
            .unwrap();
        assert_ne!(other, id);
        assert!(store.subscription(id).unwrap().is_none());
        assert_eq!(store.sync_env_default(None, at(11)).unwrap(), None);
        assert!(store.subscriptions().unwrap().is_empty());
    }

    pub fn a_slot_is_claimed_once_and_recorded_page_by_page(db: &TestDb) {
        let store = db.open();
        let other = db.open();
        assert_ne!(store.holder(), other.holder());
        let id = store.subscribe(&sub(Some(1), 10), at(0)).unwrap();
        let slot = at(3600);
        let skipped = [at(1000), at(2000)];
        let articles = vec!["a1".to_string(), "a2".to_string()];
        assert!(
            store
                .claim(id, slot, &skipped, &pages(3), &articles, at(3601))
                .unwrap()
        );
        assert!(
            !other
                .claim(id, slot, &[], &pages(1), &[], at(3602))
                .unwrap()
        );
        assert!(!store.record_empty(id, slot, &[], at(3602)).unwrap());

        let claim = other.delivery(id, slot).unwrap().unwrap();
        assert_eq!(claim.status, Status::Claimed);
        assert_eq!(claim.pages, pages(3));
        assert_eq!(claim.articles, articles);
        assert_eq!(claim.claimed_at, Some(at(3601)));
        assert_eq!(claim.holder.as_deref(), Some(store.holder()));
        assert_eq!(claim.lease_until, Some(at(3601) + store.lease()));
        assert!(claim.held_by_other(other.holder(), at(3602)));
        assert!(!claim.held_by_other(store.holder(), at(3602)));
        assert_eq!(other.claimed(id).unwrap().len(), 1);
        assert_eq!(other.last_slot(id).unwrap(), Some(slot));
        let statuses: Vec<_> = other
            .deliveries(id)
            .unwrap()
            .into_iter()
            .map(|d| (d.slot, d.status))
            .collect();
        assert_eq!(
            statuses,
            vec![
                (at(1000), Status::Skipped),
                (at(2000), Status::Skipped),
                (slot, Status::Claimed)
            ]
        );
        // Claimed articles count as covered: the next slot does not repeat them.
        assert_eq!(
            other.delivered_articles(id).unwrap(),
            articles.iter().cloned().collect::<HashSet<_>>()
        );

        store.page_posted(id, slot, 1, 9002, at(3603)).unwrap();
        let claim = other.delivery(id, slot).unwrap().unwrap();
        assert_eq!(claim.message_ids, vec![0, 9002]);
        assert_eq!(claim.message_id, None);
        store.page_posted(id, slot, 0, 9001, at(3604)).unwrap();
        store.page_posted(id, slot, 2, 9003, at(3605)).unwrap();
        store.mark_delivered(id, slot, at(3606)).unwrap();
        let done = other.delivery(id, slot).unwrap().unwrap();
        assert_eq!(done.status, Status::Delivered);
        assert_eq!(done.message_id, Some(9001));
        assert_eq!(done.message_ids, vec![9001, 9002, 9003]);
        assert!(other.claimed(id).unwrap().is_empty());
        assert_eq!(other.last_delivered(id).unwrap().unwrap().slot, slot);
        assert!(!store.renew(id, slot, at(3607)).unwrap());

        assert!(other.record_empty(id, at(7200), &[], at(7201)).unwrap());
        assert_eq!(
            other.last_delivery(id).unwrap().unwrap().status,
            Status::Empty
        );
        assert_eq!(other.last_delivered(id).unwrap().unwrap().slot, slot);
    }

    pub fn a_failure_can_disable_its_subscription_in_the_same_change(db: &TestDb) {
        let store = db.open();
        let id = store.subscribe(&sub(Some(1), 10), at(0)).unwrap();
        store
            .claim(id, at(100), &[], &pages(1), &[], at(100))
            .unwrap();
        store
            .mark_failed(
                id,
                at(100),
                "Missing Access",
                Some("cannot see the channel"),
                at(101),
            )
            .unwrap();
        let failed = store.delivery(id, at(100)).unwrap().unwrap();
        assert_eq!(failed.status, Status::Failed);
        assert_eq!(failed.error.as_deref(), Some("Missing Access"));
        assert_eq!(
            store.subscription(id).unwrap().unwrap().disabled.as_deref(),
            Some("cannot see the channel")
        );
        assert!(store.unsubscribe(id).unwrap());
        assert!(store.deliveries(id).unwrap().is_empty());
    }

    pub fn a_lease_is_taken_over_only_after_it_ends(db: &TestDb) {
        let lease = TimeDelta::seconds(60);
        let first = db.open().with_lease(lease);
        let second = db.open().with_lease(lease);
        let id = first.subscribe(&sub(Some(1), 10), at(0)).unwrap();
        let slot = at(100);
        assert!(first.claim(id, slot, &[], &pages(2), &[], at(100)).unwrap());
        // The holder may always take its own claim again (a retry after a lost reply).
        assert!(first.take_over(id, slot, at(110)).unwrap());
        assert!(!second.take_over(id, slot, at(130)).unwrap());
        assert!(first.renew(id, slot, at(150)).unwrap()); // now until 210
        assert!(!second.take_over(id, slot, at(200)).unwrap());
        assert!(!second.renew(id, slot, at(200)).unwrap());
        assert!(second.take_over(id, slot, at(210)).unwrap());
        let claim = first.delivery(id, slot).unwrap().unwrap();
        assert_eq!(claim.holder.as_deref(), Some(second.holder()));
        assert_eq!(claim.lease_until, Some(at(270)));
        // The first holder has lost it: it stops, and cannot take it back while the lease runs.
        assert!(!first.renew(id, slot, at(211)).unwrap());
        assert!(!first.take_over(id, slot, at(211)).unwrap());
        second.mark_delivered(id, slot, at(212)).unwrap();
        assert!(!second.take_over(id, slot, at(1000)).unwrap());
    }

    pub fn racing_processes_claim_each_slot_once(db: &TestDb) {
        let id = db.open().subscribe(&sub(Some(1), 10), at(0)).unwrap();
        let workers = 4;
        let slots = 15;
        let barrier = Arc::new(Barrier::new(workers));
        let stores: Vec<Store> = (0..workers).map(|_| db.open()).collect();
        let won: Vec<Vec<i64>> = std::thread::scope(|scope| {
            let handles: Vec<_> = stores
                .iter()
                .map(|store| {
                    let barrier = Arc::clone(&barrier);
                    scope.spawn(move || {
                        barrier.wait();
                        (0..slots)
                            .filter(|&n| {
                                let slot = at(60 * n);
                                store.claim(id, slot, &[], &pages(1), &[], at(1)).unwrap()
                            })
                            .collect()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let mut all: Vec<i64> = won.into_iter().flatten().collect();
        all.sort();
        assert_eq!(all, (0..slots).collect::<Vec<_>>());
        assert_eq!(db.open().claimed(id).unwrap().len(), slots as usize);
    }

    pub fn articles_keep_their_first_load(db: &TestDb) {
        let store = db.open();
        assert_eq!(
            store.record_loaded(["a", "b", "a"], at(0)).unwrap(),
            ["a", "b"]
        );
        assert_eq!(db.open().record_loaded(["c", "b"], at(60)).unwrap(), ["c"]);
        let many: Vec<String> = (0..450).map(|n| format!("m{n}")).collect();
        let fresh = store
            .record_loaded(many.iter().map(String::as_str), at(90))
            .unwrap();
        assert_eq!(fresh, many);
        let loaded = store.first_loaded().unwrap();
        assert_eq!(loaded.len(), 453);
        assert_eq!(loaded["a"], at(0));
        assert_eq!(loaded["b"], at(0));
        assert_eq!(loaded["c"], at(60));
        assert_eq!(loaded["m449"], at(90));
    }

    pub fn the_load_order_says_what_is_new_to_a_follow(db: &TestDb) {
        let store = db.open();
        store.record_loaded(["a"], at(0)).unwrap();
        let FollowAdded::New(id) = store.follow(&follow_of(1, Some(7)), at(0)).unwrap() else {
            panic!("the first follow is new");
        };
        // In the same second, after the follow: new to it all the same.
        db.open().record_loaded(["b", "a"], at(0)).unwrap();
        let order = store.load_order().unwrap();
        let follow = store.follow_by_id(id).unwrap().unwrap();
        assert!(order["a"] <= follow.loaded_upto, "{order:?} {follow:?}");
        assert!(order["b"] > follow.loaded_upto, "{order:?} {follow:?}");
        // Enabled again, a follow has seen everything loaded so far.
        store.disable_follow(id, "no access").unwrap();
        assert!(store.enable_follow(id, at(0)).unwrap());
        let follow = store.follow_by_id(id).unwrap().unwrap();
        assert!(order["b"] <= follow.loaded_upto, "{order:?} {follow:?}");
    }

    /// A database of schema version 3 (seconds only): after the migration, the follows made then
    /// keep exactly what was old to them, and a later load is new to every one.
    pub fn a_version_3_database_keeps_what_its_follows_had_seen(db: &TestDb) {
        let store = db.open();
        db.admin(if db.is_postgres() {
            "ALTER TABLE articles_loaded DROP COLUMN load_order;
             ALTER TABLE follows DROP COLUMN loaded_upto;
             UPDATE schema_version SET version = 3;"
        } else {
            "DROP INDEX articles_loaded_by_order;
             ALTER TABLE articles_loaded DROP COLUMN load_order;
             ALTER TABLE follows DROP COLUMN loaded_upto;
             PRAGMA user_version = 3;"
        });
        drop(store);
        db.admin(&format!(
            "INSERT INTO articles_loaded (article_id, first_loaded) VALUES ('a', {}), ('b', {});
             INSERT INTO follows (channel_id, kind, target, label, created_at)
             VALUES (1, 'person', 'p', 'P', {}), (2, 'person', 'p', 'P', {}), (3, 'person', 'p', 'P', {});",
            at(100).timestamp(),
            at(200).timestamp(),
            at(50).timestamp(),
            at(150).timestamp(),
            at(200).timestamp(),
        ));
        let store = db.open();
        let order = store.load_order().unwrap();
        let follows = store.follows().unwrap();
        let upto = |channel: u64| {
            follows
                .iter()
                .find(|f| f.channel_id == channel)
                .unwrap()
                .loaded_upto
        };
        // Old to a follow exactly when loaded in or before the follow's second, as before.
        assert!(
            order["a"] > upto(1) && order["b"] > upto(1),
            "{order:?} {follows:?}"
        );
        assert!(
            order["a"] <= upto(2) && order["b"] > upto(2),
            "{order:?} {follows:?}"
        );
        assert!(order["b"] <= upto(3), "{order:?} {follows:?}");
        // A load after the migration, even with a clock behind, is new to all three.
        store.record_loaded(["c"], at(10)).unwrap();
        let c = store.load_order().unwrap()["c"];
        assert!((1..=3).all(|channel| c > upto(channel)), "{c} {follows:?}");
    }

    pub fn follows_and_alerts(db: &TestDb) {
        let store = db.open();
        let other = db.open();
        let FollowAdded::New(id) = store.follow(&follow_of(1, Some(7)), at(0)).unwrap() else {
            panic!("the first follow is new");
        };
        assert_eq!(
            other.follow(&follow_of(1, Some(7)), at(1)).unwrap(),
            FollowAdded::Exists(id)
        );
        // The console's follows have no server; following again still finds the one there.
        let FollowAdded::New(console) = store.follow(&follow_of(1, None), at(2)).unwrap() else {
            panic!("a follow without a server is new");
        };
        assert_eq!(
            store.follow(&follow_of(1, None), at(3)).unwrap(),
            FollowAdded::Exists(console)
        );
        assert_eq!(store.follows_of(Some(7)).unwrap().len(), 1);
        assert_eq!(store.follows().unwrap().len(), 2);
        let follow = other.follow_by_id(id).unwrap().unwrap();
        assert_eq!(follow.kind, FollowKind::Person);
        assert_eq!(follow.label, "Sergei Ryabkov");
        assert_eq!(follow.created_by, Some(42));
        assert_eq!(follow.created_at, at(0));

        assert!(store.claim_alert(id, "art-1", "{\"m\":1}", at(10)).unwrap());
        assert!(!other.claim_alert(id, "art-1", "{}", at(11)).unwrap());
        let claimed = other.claimed_alerts(id).unwrap();
        assert_eq!(claimed.len(), 1);
        assert_eq!(claimed[0].message, "{\"m\":1}");
        assert_eq!(claimed[0].holder.as_deref(), Some(store.holder()));
        assert!(claimed[0].held_by_other(other.holder(), at(11)));
        assert!(!other.take_over_alert(id, "art-1", at(11)).unwrap());
        assert!(store.renew_alert(id, "art-1", at(12)).unwrap());
        let after = at(12) + store.lease();
        assert!(other.take_over_alert(id, "art-1", after).unwrap());
        assert!(!store.renew_alert(id, "art-1", after).unwrap());
        other.alert_delivered(id, "art-1", 99, after).unwrap();
        let alerts = store.alerts(id).unwrap();
        assert_eq!(alerts[0].status, AlertStatus::Delivered);
        assert_eq!(alerts[0].message_id, Some(99));
        assert!(store.claimed_alerts(id).unwrap().is_empty());

        assert!(store.claim_alert(id, "art-2", "{}", at(20)).unwrap());
        store
            .alert_failed(id, "art-2", "Missing Access", Some("no access"), at(21))
            .unwrap();
        assert_eq!(
            other.follow_by_id(id).unwrap().unwrap().disabled.as_deref(),
            Some("no access")
        );
        assert!(other.enable_follow(id, at(100)).unwrap());
        let follow = store.follow_by_id(id).unwrap().unwrap();
        assert_eq!(follow.disabled, None);
        assert_eq!(follow.created_at, at(100));

        assert!(store.unfollow(id).unwrap());
        assert!(!store.unfollow(id).unwrap());
        assert!(store.alerts(id).unwrap().is_empty());
    }

    pub fn a_newer_schema_is_refused_with_a_clear_message(db: &TestDb) {
        drop(db.open());
        db.set_schema_version(99);
        let err = briefing_bot::store::Store::open_at(&db.location())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("schema version 99 was written by a newer briefing-bot"),
            "{err}"
        );
        let backend = if db.is_postgres() {
            "PostgreSQL database postgres://"
        } else {
            "SQLite database "
        };
        assert!(err.starts_with(backend), "{err}");
        assert!(!err.contains("read-only"), "{err}");
    }

    pub fn reopening_keeps_everything(db: &TestDb) {
        let id = {
            let store = db.open();
            let id = store.subscribe(&sub(Some(1), 10), at(0)).unwrap();
            store
                .claim(id, at(60), &[], &pages(1), &[], at(60))
                .unwrap();
            id
        };
        let store = db.open();
        assert_eq!(store.subscriptions().unwrap().len(), 1);
        assert_eq!(store.claimed(id).unwrap().len(), 1);
    }
}

/// Instantiates every case for one backend.
macro_rules! conformance {
    ($backend:ident, $db:expr) => {
        mod $backend {
            use super::*;

            fn db() -> Option<TestDb> {
                $db
            }

            #[test]
            fn subscriptions() {
                if let Some(db) = db() {
                    cases::subscriptions(&db);
                }
            }

            #[test]
            fn the_env_default_is_kept_changed_or_removed() {
                if let Some(db) = db() {
                    cases::the_env_default_is_kept_changed_or_removed(&db);
                }
            }

            #[test]
            fn a_slot_is_claimed_once_and_recorded_page_by_page() {
                if let Some(db) = db() {
                    cases::a_slot_is_claimed_once_and_recorded_page_by_page(&db);
                }
            }

            #[test]
            fn a_failure_can_disable_its_subscription_in_the_same_change() {
                if let Some(db) = db() {
                    cases::a_failure_can_disable_its_subscription_in_the_same_change(&db);
                }
            }

            #[test]
            fn a_lease_is_taken_over_only_after_it_ends() {
                if let Some(db) = db() {
                    cases::a_lease_is_taken_over_only_after_it_ends(&db);
                }
            }

            #[test]
            fn racing_processes_claim_each_slot_once() {
                if let Some(db) = db() {
                    cases::racing_processes_claim_each_slot_once(&db);
                }
            }

            #[test]
            fn articles_keep_their_first_load() {
                if let Some(db) = db() {
                    cases::articles_keep_their_first_load(&db);
                }
            }

            #[test]
            fn the_load_order_says_what_is_new_to_a_follow() {
                if let Some(db) = db() {
                    cases::the_load_order_says_what_is_new_to_a_follow(&db);
                }
            }

            #[test]
            fn a_version_3_database_keeps_what_its_follows_had_seen() {
                if let Some(db) = db() {
                    cases::a_version_3_database_keeps_what_its_follows_had_seen(&db);
                }
            }

            #[test]
            fn follows_and_alerts() {
                if let Some(db) = db() {
                    cases::follows_and_alerts(&db);
                }
            }

            #[test]
            fn a_newer_schema_is_refused_with_a_clear_message() {
                if let Some(db) = db() {
                    cases::a_newer_schema_is_refused_with_a_clear_message(&db);
                }
            }

            #[test]
            fn reopening_keeps_everything() {
                if let Some(db) = db() {
                    cases::reopening_keeps_everything(&db);
                }
            }
        }
    };
}

conformance!(sqlite, TestDb::sqlite());
conformance!(postgres, TestDb::postgres());
