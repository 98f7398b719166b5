//! Follows, their alerts, and when each article was first loaded.
//!
//! - `articles_loaded (article_id PRIMARY KEY, first_loaded, load_order)`: written with
//!   `INSERT OR IGNORE` at every load, so the first instant any process loaded an id stays. An
//!   article that is edited keeps its first instant; one that is removed and comes back is not
//!   new again. `load_order` numbers the writes (one number per [`Store::record_loaded`], greater
//!   than every number before it): a follow keeps the greatest number there was when it was made
//!   (`follows.loaded_upto`), and exactly the articles numbered above it are new to it. Seconds
//!   could not say that: an article loaded in the second its follow was made, after it, looked
//!   as old as the articles loaded before.
//! - `follows`: one row per (server, channel, kind, target); following again is not an error, it
//!   answers with the follow that exists.
//! - `alerts (follow_id, article_id) PRIMARY KEY`: claiming an alert is an insert that fails when
//!   the row exists, so an article alerts a follow at most once, across restarts and processes.
//!   The row keeps the message fixed at claim time, so a claim left by a crash is finished with
//!   exactly what it started to post. A claim carries a lease, as a digest slot does
//!   ([`Store::take_over_alert`], [`Store::renew_alert`]).

use std::collections::{HashMap, HashSet};

use super::sql::{DbError, Row, params};
use super::{Store, StoreError, from_timestamp, id_from_sql, id_to_sql, returned_id};
use chrono::{DateTime, Utc};

/// What a follow matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FollowKind {
    /// A person id: articles in which they take part, speak or are mentioned.
    Person,
    /// A topic (context item) id: articles whose statements, events or context cite it.
    Topic,
    /// Words: articles the search index finds for them.
    Words,
}

impl FollowKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FollowKind::Person => "person",
            FollowKind::Topic => "topic",
            FollowKind::Words => "words",
        }
    }

    fn parse(text: &str) -> FollowKind {
        match text {
            "person" => FollowKind::Person,
            "topic" => FollowKind::Topic,
            // The CHECK constraint admits only these three.
            _ => FollowKind::Words,
        }
    }
}

/// A follow as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Follow {
    pub id: i64,
    pub guild_id: Option<u64>,
    pub channel_id: u64,
    pub kind: FollowKind,
    /// The person or topic id, or the words as typed.
    pub target: String,
    /// What replies call it: the person's name, the topic's title, the words.
    pub label: String,
    pub created_by: Option<u64>,
    /// Why alerts stopped (channel gone, no permission); `None` while active.
    pub disabled: Option<String>,
    /// When it was made (or enabled again).
    pub created_at: DateTime<Utc>,
    /// The greatest load order when it was made or enabled again: articles loaded up to that
    /// order never alert it ([`Store::load_order`]).
    pub loaded_upto: i64,
}

/// What `/follow` asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct NewFollow {
    pub guild_id: Option<u64>,
    pub channel_id: u64,
    pub kind: FollowKind,
    pub target: String,
    pub label: String,
    pub created_by: Option<u64>,
}

/// The answer to [`Store::follow`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowAdded {
    New(i64),
    /// The channel already follows that target: nothing was written.
    Exists(i64),
}

/// Where an alert stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertStatus {
    /// Claimed for posting; not yet known to be posted.
    Claimed,
    Delivered,
    /// Posting failed for good; `error` says why.
    Failed,
}

impl AlertStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertStatus::Claimed => "claimed",
            AlertStatus::Delivered => "delivered",
            AlertStatus::Failed => "failed",
        }
    }

    fn parse(text: &str) -> AlertStatus {
        match text {
            "claimed" => AlertStatus::Claimed,
            "delivered" => AlertStatus::Delivered,
            // The CHECK constraint admits only these three.
            _ => AlertStatus::Failed,
        }
    }
}

/// One alert: one article for one follow.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    pub follow_id: i64,
    pub article_id: String,
    pub status: AlertStatus,
    /// The message to post, fixed at claim time (the poster's serialized form).
    pub message: String,
    pub message_id: Option<u64>,
    pub error: Option<String>,
    pub claimed_at: DateTime<Utc>,
    /// Who holds the claim ([`Store::holder`]).
    pub holder: Option<String>,
    /// Until when the holder's claim stands without a renewal.
    pub lease_until: Option<DateTime<Utc>>,
}

impl Alert {
    /// Whether another live holder is still working on this claim at `now`.
    pub fn held_by_other(&self, me: &str, now: DateTime<Utc>) -> bool {
        self.status == AlertStatus::Claimed
            && self.holder.as_deref().is_some_and(|holder| holder != me)
            && self.lease_until.is_some_and(|until| until > now)
    }
}

const FOLLOW_COLUMNS: &str = "id, guild_id, channel_id, kind, target, label, created_by, disabled_reason, created_at, \
     loaded_upto";

const ALERT_COLUMNS: &str = "follow_id, article_id, status, message, message_id, error, \
     claimed_at, holder, lease_until";

/// Ids recorded per statement by [`Store::record_loaded`].
const LOADED_CHUNK: usize = 200;

impl Store {
    /// Records `now` as the first load of every id not seen before, all under one load order
    /// greater than any before. Returns the ids that were new, in the order given.
    pub fn record_loaded<'a>(
        &self,
        ids: impl IntoIterator<Item = &'a str>,
        now: DateTime<Utc>,
    ) -> Result<Vec<String>, StoreError> {
        let ids: Vec<&str> = ids.into_iter().collect();
        let fresh = self.write("recording loaded articles", |conn| {
            let mut fresh = HashSet::new();
            if ids.is_empty() {
                return Ok(fresh);
            }
            let order = conn
                .query_opt(
                    "SELECT COALESCE(MAX(load_order), 0) + 1 FROM articles_loaded",
                    &[],
                )?
                .map(|row| row.int(0))
                .transpose()?
                .unwrap_or(1);
            for chunk in ids.chunks(LOADED_CHUNK) {
                let rows: Vec<String> = (0..chunk.len())
                    .map(|index| format!("(?{}, ?1, ?2)", index + 3))
                    .collect();
                let sql = format!(
                    "INSERT INTO articles_loaded (article_id, first_loaded, load_order) VALUES {}
                     ON CONFLICT DO NOTHING RETURNING article_id",
                    rows.join(", ")
                );
                let mut values = params![now.timestamp(), order].to_vec();
                values.extend(chunk.iter().map(|&id| id.into()));
                for row in conn.query(&sql, &values)? {
                    fresh.insert(row.text(0)?);
                }
            }
            Ok(fresh)
        })?;
        let mut seen = HashSet::new();
        Ok(ids
            .into_iter()
            .filter(|id| fresh.contains(*id) && seen.insert(*id))
            .map(str::to_string)
            .collect())
    }

    /// When each article id was first loaded.
    pub fn first_loaded(&self) -> Result<HashMap<String, DateTime<Utc>>, StoreError> {
        self.read("reading when articles were first loaded", |conn| {
            let mut loaded = HashMap::new();
            for row in conn.query("SELECT article_id, first_loaded FROM articles_loaded", &[])? {
                loaded.insert(
                    row.text(0)?,
                    from_timestamp(row.int(1)?).unwrap_or_default(),
                );
            }
            Ok(loaded)
        })
    }

    /// The load order of each article id ([`Store::record_loaded`]): an article is new to a
    /// follow when its order is above the follow's [`Follow::loaded_upto`].
    pub fn load_order(&self) -> Result<HashMap<String, i64>, StoreError> {
        self.read("reading the order articles were loaded in", |conn| {
            let mut loaded = HashMap::new();
            for row in conn.query("SELECT article_id, load_order FROM articles_loaded", &[])? {
                loaded.insert(row.text(0)?, row.int(1)?);
            }
            Ok(loaded)
        })
    }

    /// Adds a follow, or answers with the one the channel already has for that target. Every
    /// article recorded as loaded before this call is old to it.
    pub fn follow(&self, new: &NewFollow, now: DateTime<Utc>) -> Result<FollowAdded, StoreError> {
        let what = format!("adding a follow for channel {}", new.channel_id);
        self.write(what, |conn| {
            let key = params![
                new.guild_id.map(id_to_sql),
                id_to_sql(new.channel_id),
                new.kind.as_str(),
                &new.target
            ];
            let existing = conn.query_opt(
                "SELECT id FROM follows WHERE guild_id IS NOT DISTINCT FROM ?1 AND channel_id = ?2
                 AND kind = ?3 AND target = ?4",
                &key,
            )?;
            if let Some(row) = existing {
                return Ok(FollowAdded::Exists(row.int(0)?));
            }
            let row = conn.query_opt(
                "INSERT INTO follows
                 (guild_id, channel_id, kind, target, label, created_by, created_at, loaded_upto)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,
                         (SELECT COALESCE(MAX(load_order), 0) FROM articles_loaded))
                 RETURNING id",
                &params![
                    new.guild_id.map(id_to_sql),
                    id_to_sql(new.channel_id),
                    new.kind.as_str(),
                    &new.target,
                    &new.label,
                    new.created_by.map(id_to_sql),
                    now.timestamp(),
                ],
            )?;
            Ok(FollowAdded::New(returned_id(row)?))
        })
    }

    /// Removes a follow and its alerts. False when there was none with that id.
    pub fn unfollow(&self, id: i64) -> Result<bool, StoreError> {
        self.write(format!("removing follow {id}"), |conn| {
            conn.execute("DELETE FROM alerts WHERE follow_id = ?1", &params![id])?;
            Ok(conn.execute("DELETE FROM follows WHERE id = ?1", &params![id])? == 1)
        })
    }

    /// Every follow, oldest first.
    pub fn follows(&self) -> Result<Vec<Follow>, StoreError> {
        self.query_follows("ORDER BY id", Vec::new())
    }

    /// The follows of one server (all of them for `None`, the console).
    pub fn follows_of(&self, guild_id: Option<u64>) -> Result<Vec<Follow>, StoreError> {
        match guild_id {
            Some(guild) => self.query_follows(
                "WHERE guild_id = ?1 ORDER BY id",
                params![id_to_sql(guild)].to_vec(),
            ),
            None => self.follows(),
        }
    }

    pub fn follow_by_id(&self, id: i64) -> Result<Option<Follow>, StoreError> {
        Ok(self
            .query_follows("WHERE id = ?1", params![id].to_vec())?
            .pop())
    }

    fn query_follows(
        &self,
        filter: &str,
        params: Vec<super::sql::Value>,
    ) -> Result<Vec<Follow>, StoreError> {
        let sql = format!("SELECT {FOLLOW_COLUMNS} FROM follows {filter}");
        self.read("reading follows", |conn| {
            conn.query(&sql, &params)?
                .iter()
                .map(follow_from_row)
                .collect()
        })
    }

    /// Stops a follow's alerts with the reason `/follows` shows (channel gone, no permission).
    pub fn disable_follow(&self, id: i64, reason: &str) -> Result<(), StoreError> {
        self.write(format!("disabling follow {id}"), |conn| {
            conn.execute(
                "UPDATE follows SET disabled_reason = ?2 WHERE id = ?1",
                &params![id, reason],
            )?;
            Ok(())
        })
    }

    /// Starts a disabled follow's alerts again; articles loaded meanwhile do not alert.
    pub fn enable_follow(&self, id: i64, now: DateTime<Utc>) -> Result<bool, StoreError> {
        self.write(format!("enabling follow {id}"), |conn| {
            Ok(conn.execute(
                "UPDATE follows SET disabled_reason = NULL, created_at = ?2,
                 loaded_upto = (SELECT COALESCE(MAX(load_order), 0) FROM articles_loaded)
                 WHERE id = ?1",
                &params![id, now.timestamp()],
            )? == 1)
        })
    }

    /// Claims the alert of `article_id` for `follow_id` with the message it will post, leased to
    /// this store until `now` + its lease. False (and nothing written) when that alert already
    /// has a row, in any state.
    pub fn claim_alert(
        &self,
        follow_id: i64,
        article_id: &str,
        message: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let what = format!("claiming the alert of article {article_id} for follow {follow_id}");
        self.write(what, |conn| {
            Ok(conn.execute(
                "INSERT INTO alerts
                 (follow_id, article_id, status, message, claimed_at, updated_at, holder, lease_until)
                 VALUES (?1, ?2, 'claimed', ?3, ?4, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
                &params![
                    follow_id,
                    article_id,
                    message,
                    now.timestamp(),
                    self.holder(),
                    self.lease_until(now),
                ],
            )? == 1)
        })
    }

    /// Takes a claimed alert over to finish it: true when this store now holds it (it already
    /// did, or the holder's lease ended before `now`); false while another holder's lease runs
    /// or when the alert is no longer claimed.
    pub fn take_over_alert(
        &self,
        follow_id: i64,
        article_id: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let what = format!("taking over the alert of article {article_id} for follow {follow_id}");
        self.write(what, |conn| {
            Ok(conn.execute(
                "UPDATE alerts SET holder = ?3, lease_until = ?4, updated_at = ?5
                 WHERE follow_id = ?1 AND article_id = ?2 AND status = 'claimed'
                 AND (holder IS NULL OR holder = ?3 OR lease_until IS NULL OR lease_until <= ?5)",
                &params![
                    follow_id,
                    article_id,
                    self.holder(),
                    self.lease_until(now),
                    now.timestamp(),
                ],
            )? == 1)
        })
    }

    /// Extends this store's lease on a claimed alert. False when it no longer holds it.
    pub fn renew_alert(
        &self,
        follow_id: i64,
        article_id: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let what = format!("renewing the alert of article {article_id} for follow {follow_id}");
        self.write(what, |conn| {
            Ok(conn.execute(
                "UPDATE alerts SET lease_until = ?4, updated_at = ?5
                 WHERE follow_id = ?1 AND article_id = ?2 AND status = 'claimed' AND holder = ?3",
                &params![
                    follow_id,
                    article_id,
                    self.holder(),
                    self.lease_until(now),
                    now.timestamp(),
                ],
            )? == 1)
        })
    }

    /// Marks a claimed alert posted as `message_id`.
    pub fn alert_delivered(
        &self,
        follow_id: i64,
        article_id: &str,
        message_id: u64,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let what = format!("recording the alert of article {article_id} for follow {follow_id}");
        self.write(what, |conn| {
            conn.execute(
                "UPDATE alerts SET status = 'delivered', message_id = ?3, updated_at = ?4,
                 lease_until = NULL
                 WHERE follow_id = ?1 AND article_id = ?2",
                &params![
                    follow_id,
                    article_id,
                    id_to_sql(message_id),
                    now.timestamp()
                ],
            )?;
            Ok(())
        })
    }

    /// Marks a claimed alert failed with `error`; with `disable`, also disables the follow with
    /// that reason, in the same transaction.
    pub fn alert_failed(
        &self,
        follow_id: i64,
        article_id: &str,
        error: &str,
        disable: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let what =
            format!("marking the alert of article {article_id} for follow {follow_id} failed");
        self.write(what, |conn| {
            conn.execute(
                "UPDATE alerts SET status = 'failed', error = ?3, updated_at = ?4, lease_until = NULL
                 WHERE follow_id = ?1 AND article_id = ?2",
                &params![follow_id, article_id, error, now.timestamp()],
            )?;
            if let Some(reason) = disable {
                conn.execute(
                    "UPDATE follows SET disabled_reason = ?2 WHERE id = ?1",
                    &params![follow_id, reason],
                )?;
            }
            Ok(())
        })
    }

    /// Every alert of a follow, oldest claim first.
    pub fn alerts(&self, follow_id: i64) -> Result<Vec<Alert>, StoreError> {
        self.query_alerts("follow_id = ?1", follow_id)
    }

    /// The alerts of a follow that were claimed and never finished (a crash mid-post, or a post
    /// in flight elsewhere: see [`Alert::held_by_other`]).
    pub fn claimed_alerts(&self, follow_id: i64) -> Result<Vec<Alert>, StoreError> {
        self.query_alerts("follow_id = ?1 AND status = 'claimed'", follow_id)
    }

    fn query_alerts(&self, filter: &str, follow_id: i64) -> Result<Vec<Alert>, StoreError> {
        let sql = format!(
            "SELECT {ALERT_COLUMNS} FROM alerts WHERE {filter} ORDER BY claimed_at, article_id"
        );
        self.read("reading alerts", |conn| {
            conn.query(&sql, &params![follow_id])?
                .iter()
                .map(alert_from_row)
                .collect()
        })
    }
}

fn follow_from_row(row: &Row) -> Result<Follow, DbError> {
    Ok(Follow {
        id: row.int(0)?,
        guild_id: row.opt_int(1)?.map(id_from_sql),
        channel_id: id_from_sql(row.int(2)?),
        kind: FollowKind::parse(&row.text(3)?),
        target: row.text(4)?,
        label: row.text(5)?,
        created_by: row.opt_int(6)?.map(id_from_sql),
        disabled: row.opt_text(7)?,
        created_at: from_timestamp(row.int(8)?).unwrap_or_default(),
        loaded_upto: row.int(9)?,
    })
}

fn alert_from_row(row: &Row) -> Result<Alert, DbError> {
    Ok(Alert {
        follow_id: row.int(0)?,
        article_id: row.text(1)?,
        status: AlertStatus::parse(&row.text(2)?),
        message: row.text(3)?,
        message_id: row.opt_int(4)?.map(id_from_sql),
        error: row.opt_text(5)?,
        claimed_at: from_timestamp(row.int(6)?).unwrap_or_default(),
        holder: row.opt_text(7)?,
        lease_until: row.opt_int(8)?.and_then(from_timestamp),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_750_000_000 + seconds, 0).unwrap()
    }

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("state.db")).unwrap();
        (dir, store)
    }

    fn ryabkov(channel_id: u64) -> NewFollow {
        NewFollow {
            guild_id: Some(7),
            channel_id,
            kind: FollowKind::Person,
            target: "sergei-ryabkov".into(),
            label: "Sergei Ryabkov".into(),
            created_by: Some(42),
        }
    }

    #[test]
    fn the_first_load_of_an_article_is_kept() {
        let (_dir, store) = store();
        assert_eq!(store.record_loaded(["a", "b"], at(0)).unwrap(), ["a", "b"]);
        assert_eq!(store.record_loaded(["b", "c"], at(60)).unwrap(), ["c"]);
        let loaded = store.first_loaded().unwrap();
        assert_eq!(loaded["a"], at(0));
        assert_eq!(loaded["b"], at(0));
        assert_eq!(loaded["c"], at(60));
    }

    #[test]
    fn following_twice_answers_with_the_follow_that_exists() {
        let (_dir, store) = store();
        let FollowAdded::New(id) = store.follow(&ryabkov(1), at(0)).unwrap() else {
            panic!("the first follow is new");
        };
        assert_eq!(
            store.follow(&ryabkov(1), at(5)).unwrap(),
            FollowAdded::Exists(id)
        );
        assert!(matches!(
            store.follow(&ryabkov(2), at(5)).unwrap(),
            FollowAdded::New(other) if other != id
        ));
        assert_eq!(store.follows_of(Some(7)).unwrap().len(), 2);
        assert_eq!(store.follows_of(Some(8)).unwrap().len(), 0);
        assert!(store.unfollow(id).unwrap());
        assert!(!store.unfollow(id).unwrap());
        assert_eq!(store.follows().unwrap().len(), 1);
    }

    #[test]
    fn an_alert_is_claimed_once_and_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.db");
        let id = {
            let store = Store::open(&path).unwrap();
            let FollowAdded::New(id) = store.follow(&ryabkov(1), at(0)).unwrap() else {
                panic!("the first follow is new");
            };
            assert!(store.claim_alert(id, "art-1", "{}", at(10)).unwrap());
            assert!(!store.claim_alert(id, "art-1", "{}", at(11)).unwrap());
            assert_eq!(store.claimed_alerts(id).unwrap().len(), 1);
            id
        };
        let store = Store::open(&path).unwrap();
        assert!(!store.claim_alert(id, "art-1", "{}", at(12)).unwrap());
        store.alert_delivered(id, "art-1", 99, at(13)).unwrap();
        let alerts = store.alerts(id).unwrap();
        assert_eq!(alerts[0].status, AlertStatus::Delivered);
        assert_eq!(alerts[0].message_id, Some(99));
        assert!(store.claimed_alerts(id).unwrap().is_empty());
    }

    #[test]
    fn a_failed_alert_can_disable_its_follow() {
        let (_dir, store) = store();
        let FollowAdded::New(id) = store.follow(&ryabkov(1), at(0)).unwrap() else {
            panic!("the first follow is new");
        };
        store.claim_alert(id, "art-1", "{}", at(1)).unwrap();
        store
            .alert_failed(
                id,
                "art-1",
                "Missing Access",
                Some("no access to the channel"),
                at(2),
            )
            .unwrap();
        let follow = store.follow_by_id(id).unwrap().unwrap();
        assert_eq!(follow.disabled.as_deref(), Some("no access to the channel"));
        assert!(store.enable_follow(id, at(100)).unwrap());
        let follow = store.follow_by_id(id).unwrap().unwrap();
        assert_eq!(follow.disabled, None);
        assert_eq!(follow.created_at, at(100));
    }
}
