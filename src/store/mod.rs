//! The digest's memory: subscriptions and deliveries in one SQLite file.
//!
//! SQLite (bundled, nothing to install) in WAL mode, so the scheduler and the command handler can
//! each hold a connection to the same file. The schema is migrated at open, versioned by `PRAGMA
//! user_version`. Every change of state is one transaction, and a slot is a row keyed by
//! (subscription, slot instant): claiming it is an insert that fails if the row exists, which is
//! what makes a slot post at most once even with two processes on one file.
//!
//! Follows (`/follow`) and their alerts live here too ([`follows`]): an alert row keyed by
//! (follow, article) is claimed the same way, so an article alerts a follow at most once. And
//! `articles_loaded` keeps the first time each article id was loaded, which is what "new" means
//! for digests and alerts: new to the bot, whatever the article's published date.
//!
//! A delivery row keeps the pages it posts and the article ids it covers, fixed at claim time, so
//! a claim left behind by a crash is finished with exactly the messages it started with.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

mod follows;

pub use follows::{Alert, AlertStatus, Follow, FollowAdded, FollowKind, NewFollow};

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 2;

/// Each migration takes the schema from its index to the next version.
const MIGRATIONS: &[&str] = &[
    // 0 → 1: subscriptions and deliveries.
    "CREATE TABLE subscriptions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        guild_id INTEGER,
        channel_id INTEGER NOT NULL,
        schedule TEXT NOT NULL,
        timezone TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '[]',
        people TEXT NOT NULL DEFAULT '[]',
        skip_empty INTEGER NOT NULL DEFAULT 0,
        paused INTEGER NOT NULL DEFAULT 0,
        disabled_reason TEXT,
        from_env INTEGER NOT NULL DEFAULT 0,
        not_before INTEGER NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE deliveries (
        subscription_id INTEGER NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
        slot INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('claimed', 'delivered', 'skipped', 'empty', 'failed')),
        message_id INTEGER,
        message_ids TEXT NOT NULL DEFAULT '[]',
        pages TEXT NOT NULL DEFAULT '[]',
        articles TEXT NOT NULL DEFAULT '[]',
        error TEXT,
        claimed_at INTEGER,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (subscription_id, slot)
    );
    CREATE INDEX deliveries_by_status ON deliveries(status);",
    // 1 → 2: when each article was first loaded, follows, and the alert of each (follow, article).
    "CREATE TABLE articles_loaded (
        article_id TEXT PRIMARY KEY,
        first_loaded INTEGER NOT NULL
    );
    CREATE TABLE follows (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        guild_id INTEGER,
        channel_id INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('person', 'topic', 'words')),
        target TEXT NOT NULL,
        label TEXT NOT NULL,
        created_by INTEGER,
        disabled_reason TEXT,
        created_at INTEGER NOT NULL,
        UNIQUE (guild_id, channel_id, kind, target)
    );
    CREATE TABLE alerts (
        follow_id INTEGER NOT NULL REFERENCES follows(id) ON DELETE CASCADE,
        article_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('claimed', 'delivered', 'failed')),
        message TEXT NOT NULL DEFAULT '',
        message_id INTEGER,
        error TEXT,
        claimed_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (follow_id, article_id)
    );
    CREATE INDEX alerts_by_status ON alerts(status);",
];

/// A database operation that failed: what was being done, on which file, and SQLite's reason
/// (none when the store itself refused, e.g. a schema from a newer version).
#[derive(Debug, thiserror::Error)]
#[error("digest database {}: {what}{}", path.display(), reason(.source))]
pub struct StoreError {
    pub path: PathBuf,
    pub what: String,
    #[source]
    pub source: Option<rusqlite::Error>,
}

fn reason(source: &Option<rusqlite::Error>) -> String {
    source
        .as_ref()
        .map(|err| format!(": {err}"))
        .unwrap_or_default()
}

/// A subscription as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Subscription {
    pub id: i64,
    /// `None` for the default subscription from `.env`.
    pub guild_id: Option<u64>,
    pub channel_id: u64,
    pub schedule: String,
    pub timezone: String,
    /// Only articles with one of these tags (none: every article).
    pub tags: Vec<String>,
    /// Only articles and statements of these people (none: everyone).
    pub people: Vec<String>,
    /// Post nothing, rather than "no new developments", when nothing is new.
    pub skip_empty: bool,
    pub paused: bool,
    /// Why posting stopped (channel gone, no permission); `None` while active.
    pub disabled: Option<String>,
    /// Set from DIGEST_CHANNEL_ID / DIGEST_SCHEDULE / DIGEST_TZ rather than a command.
    pub from_env: bool,
    /// Slots at or before this instant are never posted (creation, last resume).
    pub not_before: DateTime<Utc>,
}

impl Subscription {
    /// Whether the scheduler posts for it.
    pub fn active(&self) -> bool {
        !self.paused && self.disabled.is_none()
    }
}

/// What `/digest subscribe` (or `.env`) asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSubscription {
    pub guild_id: Option<u64>,
    pub channel_id: u64,
    pub schedule: String,
    pub timezone: String,
    pub tags: Vec<String>,
    pub people: Vec<String>,
    pub skip_empty: bool,
}

/// Where a slot stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Claimed for posting; not yet known to be posted.
    Claimed,
    Delivered,
    /// Missed during downtime, not the latest missed slot: never posted.
    Skipped,
    /// Nothing new and the subscription posts nothing then.
    Empty,
    /// Posting failed for good; `error` says why.
    Failed,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Status::Claimed => "claimed",
            Status::Delivered => "delivered",
            Status::Skipped => "skipped",
            Status::Empty => "empty",
            Status::Failed => "failed",
        }
    }

    fn parse(text: &str) -> Status {
        match text {
            "claimed" => Status::Claimed,
            "delivered" => Status::Delivered,
            "skipped" => Status::Skipped,
            "empty" => Status::Empty,
            // The CHECK constraint admits only these five.
            _ => Status::Failed,
        }
    }
}

/// One slot of one subscription.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub subscription_id: i64,
    pub slot: DateTime<Utc>,
    pub status: Status,
    /// The first page's message.
    pub message_id: Option<u64>,
    /// The message of each page posted so far, in page order.
    pub message_ids: Vec<u64>,
    /// The message contents, fixed at claim time.
    pub pages: Vec<String>,
    /// The article ids this delivery covers.
    pub articles: Vec<String>,
    pub error: Option<String>,
    pub claimed_at: Option<DateTime<Utc>>,
}

/// The subscriptions and deliveries of one database file.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (creating if needed) the database at `path`, in WAL mode, migrated to the current
    /// schema.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let err = |what: &str| {
            let path = path.to_path_buf();
            let what = what.to_string();
            move |source| StoreError {
                path,
                what,
                source: Some(source),
            }
        };
        let conn = Connection::open(path).map_err(err("cannot open"))?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store
            .conn
            .busy_timeout(std::time::Duration::from_secs(5))
            .map_err(err("setting the busy timeout"))?;
        let mode: String = store
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(err("switching to WAL mode"))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError {
                path: path.to_path_buf(),
                what: format!("switching to WAL mode (the journal mode stayed \"{mode}\")"),
                source: None,
            });
        }
        store
            .conn
            .execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
            .map_err(err("setting pragmas"))?;
        store.migrate()?;
        Ok(store)
    }

    /// The file this store reads and writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Turns a SQLite error into one that says what was being done, and on which file.
    fn fail(&self, what: &str) -> impl FnOnce(rusqlite::Error) -> StoreError + use<> {
        fail(&self.path, what.to_string())
    }

    /// Runs `change` in one immediate transaction: all of it is written, or none.
    fn write<T>(
        &self,
        what: impl Into<String>,
        change: impl FnOnce(&rusqlite::Transaction) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        let fail = fail(&self.path, what.into());
        let run = || {
            // Never nested: `change` gets the transaction, not the store.
            let tx = rusqlite::Transaction::new_unchecked(
                &self.conn,
                rusqlite::TransactionBehavior::Immediate,
            )?;
            let value = change(&tx)?;
            tx.commit()?;
            Ok(value)
        };
        run().map_err(fail)
    }

    fn migrate(&self) -> Result<(), StoreError> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(self.fail("reading the schema version"))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError {
                path: self.path.clone(),
                what: format!(
                    "schema version {version} was written by a newer briefing-bot; this one knows version {SCHEMA_VERSION}"
                ),
                source: None,
            });
        }
        for (from, sql) in MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
            self.write(
                format!("migrating the schema to version {}", from + 1),
                |tx| {
                    // Re-read inside the transaction: another process may have migrated meanwhile.
                    let now: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
                    if now == from as i64 {
                        tx.execute_batch(sql)?;
                        tx.execute_batch(&format!("PRAGMA user_version = {}", from + 1))?;
                    }
                    Ok(())
                },
            )?;
        }
        Ok(())
    }

    /// Adds a subscription; its first slot is the first one after `now`.
    pub fn subscribe(&self, new: &NewSubscription, now: DateTime<Utc>) -> Result<i64, StoreError> {
        self.insert(new, false, now)
    }

    fn insert(
        &self,
        new: &NewSubscription,
        from_env: bool,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let what = format!("adding a subscription for channel {}", new.channel_id);
        self.write(what, |tx| {
            tx.execute(
                "INSERT INTO subscriptions
                 (guild_id, channel_id, schedule, timezone, tags, people, skip_empty, from_env, not_before, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
                params![
                    new.guild_id.map(id_to_sql),
                    id_to_sql(new.channel_id),
                    new.schedule,
                    new.timezone,
                    to_json(&new.tags),
                    to_json(&new.people),
                    new.skip_empty,
                    from_env,
                    now.timestamp(),
                ],
            )?;
            Ok(tx.last_insert_rowid())
        })
    }

    /// Removes a subscription and its deliveries. False when there was none with that id.
    pub fn unsubscribe(&self, id: i64) -> Result<bool, StoreError> {
        self.write(format!("removing subscription {id}"), |tx| {
            tx.execute("DELETE FROM deliveries WHERE subscription_id = ?1", [id])?;
            Ok(tx.execute("DELETE FROM subscriptions WHERE id = ?1", [id])? == 1)
        })
    }

    /// Pauses a subscription. False when there was none with that id.
    pub fn pause(&self, id: i64) -> Result<bool, StoreError> {
        self.write(format!("pausing subscription {id}"), |tx| {
            Ok(tx.execute("UPDATE subscriptions SET paused = 1 WHERE id = ?1", [id])? == 1)
        })
    }

    /// Resumes a paused or disabled subscription: slots missed meanwhile are not posted, the next
    /// is the first after `now`.
    pub fn resume(&self, id: i64, now: DateTime<Utc>) -> Result<bool, StoreError> {
        self.write(format!("resuming subscription {id}"), |tx| {
            Ok(tx.execute(
                "UPDATE subscriptions SET paused = 0, disabled_reason = NULL, not_before = ?2
                 WHERE id = ?1",
                params![id, now.timestamp()],
            )? == 1)
        })
    }

    /// Every subscription, oldest first.
    pub fn subscriptions(&self) -> Result<Vec<Subscription>, StoreError> {
        self.query_subscriptions("SELECT * FROM subscriptions ORDER BY id", [])
    }

    /// The subscriptions a server sees: its own and the `.env` default.
    pub fn subscriptions_of(&self, guild_id: Option<u64>) -> Result<Vec<Subscription>, StoreError> {
        match guild_id {
            Some(guild) => self.query_subscriptions(
                "SELECT * FROM subscriptions WHERE guild_id = ?1 OR guild_id IS NULL ORDER BY id",
                [id_to_sql(guild)],
            ),
            None => self.subscriptions(),
        }
    }

    pub fn subscription(&self, id: i64) -> Result<Option<Subscription>, StoreError> {
        Ok(self
            .query_subscriptions("SELECT * FROM subscriptions WHERE id = ?1", [id])?
            .pop())
    }

    fn query_subscriptions(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
    ) -> Result<Vec<Subscription>, StoreError> {
        let run = || -> rusqlite::Result<Vec<Subscription>> {
            let mut statement = self.conn.prepare(sql)?;
            let rows = statement.query_map(params, subscription_from_row)?;
            rows.collect()
        };
        run().map_err(self.fail("reading subscriptions"))
    }

    /// Makes the `.env` default subscription match `wanted`: added, changed or removed. Its
    /// state (deliveries, pause, disabled reason) is kept while its channel, schedule and zone
    /// stay the same.
    pub fn sync_env_default(
        &self,
        wanted: Option<&NewSubscription>,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>, StoreError> {
        let current: Vec<Subscription> = self
            .subscriptions()?
            .into_iter()
            .filter(|s| s.from_env)
            .collect();
        let keep = wanted.and_then(|wanted| {
            current.iter().find(|s| {
                s.channel_id == wanted.channel_id
                    && s.schedule == wanted.schedule
                    && s.timezone == wanted.timezone
            })
        });
        for old in &current {
            if Some(old.id) != keep.map(|k| k.id) {
                self.unsubscribe(old.id)?;
            }
        }
        match (keep, wanted) {
            (Some(kept), _) => Ok(Some(kept.id)),
            (None, Some(wanted)) => self.insert(wanted, true, now).map(Some),
            (None, None) => Ok(None),
        }
    }

    /// Disables a subscription with the reason shown by `/digest list`.
    pub fn disable(&self, id: i64, reason: &str) -> Result<(), StoreError> {
        self.write(format!("disabling subscription {id}"), |tx| {
            tx.execute(
                "UPDATE subscriptions SET disabled_reason = ?2 WHERE id = ?1",
                params![id, reason],
            )?;
            Ok(())
        })
    }

    /// The newest slot with a row of any status: the scheduler's cursor.
    pub fn last_slot(&self, subscription_id: i64) -> Result<Option<DateTime<Utc>>, StoreError> {
        let slot: Option<i64> = self
            .conn
            .query_row(
                "SELECT MAX(slot) FROM deliveries WHERE subscription_id = ?1",
                [subscription_id],
                |row| row.get(0),
            )
            .map_err(self.fail("reading the last slot"))?;
        Ok(slot.and_then(from_timestamp))
    }

    /// The newest delivered slot.
    pub fn last_delivered(&self, subscription_id: i64) -> Result<Option<Delivery>, StoreError> {
        self.conn
            .query_row(
                "SELECT * FROM deliveries WHERE subscription_id = ?1 AND status = 'delivered'
                 ORDER BY slot DESC LIMIT 1",
                [subscription_id],
                delivery_from_row,
            )
            .optional()
            .map_err(self.fail("reading the last delivery"))
    }

    /// The newest row of any status (what `/digest list` reports as the last attempt).
    pub fn last_delivery(&self, subscription_id: i64) -> Result<Option<Delivery>, StoreError> {
        self.conn
            .query_row(
                "SELECT * FROM deliveries WHERE subscription_id = ?1 ORDER BY slot DESC LIMIT 1",
                [subscription_id],
                delivery_from_row,
            )
            .optional()
            .map_err(self.fail("reading the last delivery"))
    }

    pub fn delivery(
        &self,
        subscription_id: i64,
        slot: DateTime<Utc>,
    ) -> Result<Option<Delivery>, StoreError> {
        self.conn
            .query_row(
                "SELECT * FROM deliveries WHERE subscription_id = ?1 AND slot = ?2",
                params![subscription_id, slot.timestamp()],
                delivery_from_row,
            )
            .optional()
            .map_err(self.fail("reading a delivery"))
    }

    /// Every row of a subscription, oldest slot first.
    pub fn deliveries(&self, subscription_id: i64) -> Result<Vec<Delivery>, StoreError> {
        let run = || -> rusqlite::Result<Vec<Delivery>> {
            let mut statement = self
                .conn
                .prepare("SELECT * FROM deliveries WHERE subscription_id = ?1 ORDER BY slot")?;
            let rows = statement.query_map([subscription_id], delivery_from_row)?;
            rows.collect()
        };
        run().map_err(self.fail("reading deliveries"))
    }

    /// Claims that were never finished: left by a crash, or by a post still in flight elsewhere.
    pub fn claimed(&self, subscription_id: i64) -> Result<Vec<Delivery>, StoreError> {
        Ok(self
            .deliveries(subscription_id)?
            .into_iter()
            .filter(|d| d.status == Status::Claimed)
            .collect())
    }

    /// The article ids every delivered slot of a subscription covered.
    pub fn delivered_articles(&self, subscription_id: i64) -> Result<HashSet<String>, StoreError> {
        Ok(self
            .deliveries(subscription_id)?
            .into_iter()
            .filter(|d| d.status == Status::Delivered || d.status == Status::Claimed)
            .flat_map(|d| d.articles)
            .collect())
    }

    /// In one transaction: marks `skipped` slots skipped and claims `slot` with the pages it
    /// will post. False (and nothing written) when the slot already has a row.
    pub fn claim(
        &self,
        subscription_id: i64,
        slot: DateTime<Utc>,
        skipped: &[DateTime<Utc>],
        pages: &[String],
        articles: &[String],
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let settled = Settled {
            status: Status::Claimed,
            pages,
            articles,
        };
        self.settle(subscription_id, slot, skipped, settled, now)
    }

    /// In one transaction: marks `skipped` slots skipped and records `slot` as empty (nothing new,
    /// nothing posted). False when the slot already has a row.
    pub fn record_empty(
        &self,
        subscription_id: i64,
        slot: DateTime<Utc>,
        skipped: &[DateTime<Utc>],
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let settled = Settled {
            status: Status::Empty,
            pages: &[],
            articles: &[],
        };
        self.settle(subscription_id, slot, skipped, settled, now)
    }

    fn settle(
        &self,
        subscription_id: i64,
        slot: DateTime<Utc>,
        skipped: &[DateTime<Utc>],
        settled: Settled,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let what = format!("claiming slot {slot} of subscription {subscription_id}");
        self.write(what, |tx| {
            let inserted = tx.execute(
                "INSERT OR IGNORE INTO deliveries
                 (subscription_id, slot, status, pages, articles, claimed_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                params![
                    subscription_id,
                    slot.timestamp(),
                    settled.status.as_str(),
                    to_json(settled.pages),
                    to_json(settled.articles),
                    now.timestamp(),
                ],
            )?;
            if inserted == 0 {
                // Someone else has this slot: write nothing.
                return Ok(false);
            }
            for old in skipped {
                tx.execute(
                    "INSERT OR IGNORE INTO deliveries (subscription_id, slot, status, updated_at)
                     VALUES (?1, ?2, 'skipped', ?3)",
                    params![subscription_id, old.timestamp(), now.timestamp()],
                )?;
            }
            Ok(true)
        })
    }

    /// Records that page `page` (0-based) of a claimed slot was posted as `message_id`.
    pub fn page_posted(
        &self,
        subscription_id: i64,
        slot: DateTime<Utc>,
        page: usize,
        message_id: u64,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let what = format!(
            "recording page {} of slot {slot} of subscription {subscription_id}",
            page + 1
        );
        self.write(what, |tx| {
            let ids: String = tx.query_row(
                "SELECT message_ids FROM deliveries WHERE subscription_id = ?1 AND slot = ?2",
                params![subscription_id, slot.timestamp()],
                |row| row.get(0),
            )?;
            let mut ids: Vec<u64> = from_json(&ids);
            if ids.len() <= page {
                ids.resize(page + 1, 0);
            }
            // In bounds: resized above to at least page + 1 entries.
            ids[page] = message_id;
            tx.execute(
                "UPDATE deliveries SET message_ids = ?3, message_id = ?4, updated_at = ?5
                 WHERE subscription_id = ?1 AND slot = ?2",
                params![
                    subscription_id,
                    slot.timestamp(),
                    to_json(&ids),
                    ids.first().copied().filter(|&id| id != 0).map(id_to_sql),
                    now.timestamp(),
                ],
            )?;
            Ok(())
        })
    }

    /// Marks a claimed slot delivered.
    pub fn mark_delivered(
        &self,
        subscription_id: i64,
        slot: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.finish(subscription_id, slot, Status::Delivered, None, None, now)
    }

    /// Marks a claimed slot failed with `error`; with `disable`, also disables the subscription
    /// with that reason, in the same transaction.
    pub fn mark_failed(
        &self,
        subscription_id: i64,
        slot: DateTime<Utc>,
        error: &str,
        disable: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.finish(
            subscription_id,
            slot,
            Status::Failed,
            Some(error),
            disable,
            now,
        )
    }

    fn finish(
        &self,
        subscription_id: i64,
        slot: DateTime<Utc>,
        status: Status,
        error: Option<&str>,
        disable: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let what = format!(
            "marking slot {slot} of subscription {subscription_id} {}",
            status.as_str()
        );
        self.write(what, |tx| {
            tx.execute(
                "UPDATE deliveries SET status = ?3, error = ?4, updated_at = ?5
                 WHERE subscription_id = ?1 AND slot = ?2",
                params![
                    subscription_id,
                    slot.timestamp(),
                    status.as_str(),
                    error,
                    now.timestamp()
                ],
            )?;
            if let Some(reason) = disable {
                tx.execute(
                    "UPDATE subscriptions SET disabled_reason = ?2 WHERE id = ?1",
                    params![subscription_id, reason],
                )?;
            }
            Ok(())
        })
    }
}

/// What a new delivery row holds.
struct Settled<'a> {
    status: Status,
    pages: &'a [String],
    articles: &'a [String],
}

fn fail(path: &Path, what: String) -> impl FnOnce(rusqlite::Error) -> StoreError + use<> {
    let path = path.to_path_buf();
    move |source| StoreError {
        path,
        what,
        source: Some(source),
    }
}

fn subscription_from_row(row: &Row) -> rusqlite::Result<Subscription> {
    Ok(Subscription {
        id: row.get("id")?,
        guild_id: row.get::<_, Option<i64>>("guild_id")?.map(id_from_sql),
        channel_id: id_from_sql(row.get("channel_id")?),
        schedule: row.get("schedule")?,
        timezone: row.get("timezone")?,
        tags: from_json(&row.get::<_, String>("tags")?),
        people: from_json(&row.get::<_, String>("people")?),
        skip_empty: row.get("skip_empty")?,
        paused: row.get("paused")?,
        disabled: row.get("disabled_reason")?,
        from_env: row.get("from_env")?,
        not_before: from_timestamp(row.get("not_before")?).unwrap_or_default(),
    })
}

fn delivery_from_row(row: &Row) -> rusqlite::Result<Delivery> {
    Ok(Delivery {
        subscription_id: row.get("subscription_id")?,
        slot: from_timestamp(row.get("slot")?).unwrap_or_default(),
        status: Status::parse(&row.get::<_, String>("status")?),
        message_id: row.get::<_, Option<i64>>("message_id")?.map(id_from_sql),
        message_ids: from_json(&row.get::<_, String>("message_ids")?),
        pages: from_json(&row.get::<_, String>("pages")?),
        articles: from_json(&row.get::<_, String>("articles")?),
        error: row.get("error")?,
        claimed_at: row
            .get::<_, Option<i64>>("claimed_at")?
            .and_then(from_timestamp),
    })
}

/// Discord ids are below 2^63, so they fit SQLite's signed integers unchanged (and a larger one
/// would still round-trip: the cast only reinterprets the bits).
fn id_to_sql(id: u64) -> i64 {
    id as i64
}

fn id_from_sql(id: i64) -> u64 {
    id as u64
}

fn from_timestamp(seconds: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(seconds, 0)
}

fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    // Lists of strings and integers always serialize.
    serde_json::to_string(value).unwrap_or_else(|_| "[]".to_string())
}

fn from_json<T: serde::de::DeserializeOwned + Default>(text: &str) -> T {
    serde_json::from_str(text).unwrap_or_default()
}
