//! The bot's memory: digest subscriptions and deliveries, follows and their alerts, and when each
//! article was first loaded, behind one interface ([`Store`]) with two backends.
//!
//! - **SQLite** ([`sqlite`], the default, nothing to install): one file at `DATABASE_PATH`, in
//!   WAL mode so several connections and processes share it.
//! - **PostgreSQL** ([`pg`], `DATABASE_URL=postgres://…`): one database shared by any number of
//!   instances (`run` and `serve-http` mixed), pooled connections, a lost connection retried.
//!
//! The store's SQL is written once ([`sql`]); the backends open, migrate (versioned, the same
//! versions on both; a newer schema is refused with a message) and run transactions. Every change
//! of state is one transaction. `tests/store_conformance.rs` runs one suite against both.
//!
//! **Exactly once.** A slot is a row keyed by (subscription, slot instant) and an alert a row
//! keyed by (follow, article): claiming is an insert that does nothing if the row exists, so one
//! process wins. The winner's row carries a **lease**: its holder ([`Store::holder`], process id
//! and a random instance id) and `lease_until`. The holder renews the lease before each post
//! ([`Store::renew`]); another process finishes a claim only by taking it over
//! ([`Store::take_over`]), which succeeds only once the lease has expired (its holder died or
//! hung), so a claim held by a live process is never finished twice. Before posting a page the
//! poster reads the row again (a page whose message id is recorded is never posted again) and
//! posts with a nonce Discord enforces.
//!
//! A delivery row keeps the pages it posts and the article ids it covers, fixed at claim time, so
//! a claim left behind by a crash is finished with exactly the messages it started with.
//! Follows (`/follow`) and their alerts are in [`follows`]; `articles_loaded` keeps the first
//! time each article id was loaded, which is what "new" means for digests and alerts.

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, Utc};

mod follows;
pub mod pg;
pub mod sql;
pub mod sqlite;

pub use follows::{Alert, AlertStatus, Follow, FollowAdded, FollowKind, NewFollow};
use sql::{Conn, DbError, Row, Value, params};

/// The schema version this build writes (the same on both backends).
pub const SCHEMA_VERSION: i64 = 4;

/// How long a claim stays its holder's without a renewal, unless the store is given another
/// ([`Store::with_lease`], `DIGEST_LEASE_SECONDS`). Longer than a post with all its retries
/// (at most four waits of at most a minute) takes.
pub const DEFAULT_LEASE: TimeDelta = TimeDelta::minutes(5);

/// Where the state lives: what `DATABASE_PATH` / `DATABASE_URL` select.
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(PathBuf),
    Postgres(PostgresUrl),
}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(path) => write!(f, "Sqlite({})", path.display()),
            Location::Postgres(url) => write!(f, "Postgres({url})"),
        }
    }
}

/// A PostgreSQL URL. It may hold a password, so it prints as `postgres://[redacted]`.
#[derive(Clone, PartialEq, Eq)]
pub struct PostgresUrl(String);

impl PostgresUrl {
    pub fn new(url: impl Into<String>) -> PostgresUrl {
        PostgresUrl(url.into())
    }

    /// The URL itself, for connecting only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PostgresUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("postgres://[redacted]")
    }
}

impl fmt::Display for PostgresUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("postgres://[redacted]")
    }
}

/// The names the errors use.
pub struct Backend;

impl Backend {
    pub const SQLITE: &'static str = "SQLite";
    pub const POSTGRES: &'static str = "PostgreSQL";
}

/// A database operation that failed: the backend, which database (a file, or a PostgreSQL URL
/// without its password), what was being done, and the database's reason (none when the store
/// itself refused, e.g. a schema from a newer version).
#[derive(Debug, thiserror::Error)]
#[error("{backend} database {place}: {what}{}", reason(.source))]
pub struct StoreError {
    pub backend: &'static str,
    pub place: String,
    pub what: String,
    #[source]
    pub source: Option<Box<DbError>>,
}

impl std::error::Error for DbError {}

fn reason(source: &Option<Box<DbError>>) -> String {
    source
        .as_ref()
        .map(|err| format!(": {err}"))
        .unwrap_or_default()
}

impl StoreError {
    pub fn new(
        backend: &'static str,
        place: String,
        what: String,
        source: Option<DbError>,
    ) -> StoreError {
        StoreError {
            backend,
            place,
            what,
            source: source.map(Box::new),
        }
    }

    fn sqlite(path: &Path, what: String, source: Option<DbError>) -> StoreError {
        StoreError::new(Backend::SQLITE, path.display().to_string(), what, source)
    }

    fn newer(backend: &'static str, place: String, version: i64) -> StoreError {
        StoreError::new(
            backend,
            place,
            format!(
                "schema version {version} was written by a newer briefing-bot; this one knows \
                 versions up to {SCHEMA_VERSION}: run the newer version, or restore a backup"
            ),
            None,
        )
    }
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
    /// Who holds the claim ([`Store::holder`]); `None` once settled, or for a claim written
    /// before leases.
    pub holder: Option<String>,
    /// Until when the holder's claim stands without a renewal.
    pub lease_until: Option<DateTime<Utc>>,
}

impl Delivery {
    /// Whether this is a claim another live holder is still working on at `now`: its lease has
    /// not run out and the holder is not `me`.
    pub fn held_by_other(&self, me: &str, now: DateTime<Utc>) -> bool {
        self.status == Status::Claimed
            && self.holder.as_deref().is_some_and(|holder| holder != me)
            && self.lease_until.is_some_and(|until| until > now)
    }
}

/// The state of the bot, on either backend. Methods are synchronous; on PostgreSQL each call made
/// from a tokio runtime thread runs on a short-lived plain thread (see [`pg`]).
pub struct Store {
    backend: Db,
    holder: String,
    lease: TimeDelta,
}

enum Db {
    Sqlite(sqlite::Sqlite),
    Postgres(Box<pg::Postgres>),
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("database", &self.describe())
            .field("holder", &self.holder)
            .finish()
    }
}

const SUBSCRIPTION_COLUMNS: &str = "id, guild_id, channel_id, schedule, timezone, tags, people, \
     skip_empty, paused, disabled_reason, from_env, not_before";

const DELIVERY_COLUMNS: &str = "subscription_id, slot, status, message_id, message_ids, pages, \
     articles, error, claimed_at, holder, lease_until";

impl Store {
    /// Opens (creating if needed) the SQLite database at `path`, checked and migrated.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Ok(Store::with(Db::Sqlite(sqlite::Sqlite::open(path)?)))
    }

    /// Connects to a PostgreSQL database, migrated to the current schema.
    pub fn open_postgres(url: &PostgresUrl) -> Result<Store, StoreError> {
        Ok(Store::with(Db::Postgres(Box::new(pg::Postgres::open(
            url.expose(),
        )?))))
    }

    /// Opens whichever database `location` names.
    pub fn open_at(location: &Location) -> Result<Store, StoreError> {
        match location {
            Location::Sqlite(path) => Store::open(path),
            Location::Postgres(url) => Store::open_postgres(url),
        }
    }

    fn with(backend: Db) -> Store {
        Store {
            backend,
            holder: new_holder(),
            lease: DEFAULT_LEASE,
        }
    }

    /// The same store with claims leased for `lease` (at least a second).
    pub fn with_lease(mut self, lease: TimeDelta) -> Store {
        self.lease = lease.max(TimeDelta::seconds(1));
        self
    }

    /// How long this store's claims are leased.
    pub fn lease(&self) -> TimeDelta {
        self.lease
    }

    /// Who this store's claims name as their holder: process id and a random instance id.
    pub fn holder(&self) -> &str {
        &self.holder
    }

    /// The file of a SQLite store.
    pub fn path(&self) -> Option<&Path> {
        match &self.backend {
            Db::Sqlite(db) => Some(db.path()),
            Db::Postgres(_) => None,
        }
    }

    /// "SQLite database briefing.db", "PostgreSQL database postgres://bot@db:5432/bot": for logs
    /// (never a password).
    pub fn describe(&self) -> String {
        match &self.backend {
            Db::Sqlite(db) => format!("{} database {}", Backend::SQLITE, db.path().display()),
            Db::Postgres(db) => format!("{} database {}", Backend::POSTGRES, db.place()),
        }
    }

    /// Runs `change` in one transaction: all of it is written, or none.
    fn write<T: Send>(
        &self,
        what: impl Into<String>,
        mut change: impl FnMut(&mut dyn Conn) -> Result<T, DbError> + Send,
    ) -> Result<T, StoreError> {
        let what = what.into();
        match &self.backend {
            Db::Sqlite(db) => db.run(&what, true, &mut change),
            Db::Postgres(db) => db.run(&what, true, &mut change),
        }
    }

    /// Runs `read` outside a transaction.
    fn read<T: Send>(
        &self,
        what: impl Into<String>,
        mut read: impl FnMut(&mut dyn Conn) -> Result<T, DbError> + Send,
    ) -> Result<T, StoreError> {
        let what = what.into();
        match &self.backend {
            Db::Sqlite(db) => db.run(&what, false, &mut read),
            Db::Postgres(db) => db.run(&what, false, &mut read),
        }
    }

    fn lease_until(&self, now: DateTime<Utc>) -> i64 {
        (now + self.lease).timestamp()
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
        self.write(what, |conn| {
            let row = conn.query_opt(
                "INSERT INTO subscriptions
                 (guild_id, channel_id, schedule, timezone, tags, people, skip_empty, from_env, not_before, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) RETURNING id",
                &params![
                    new.guild_id.map(id_to_sql),
                    id_to_sql(new.channel_id),
                    &new.schedule,
                    &new.timezone,
                    to_json(&new.tags),
                    to_json(&new.people),
                    new.skip_empty,
                    from_env,
                    now.timestamp(),
                ],
            )?;
            returned_id(row)
        })
    }

    /// Removes a subscription and its deliveries. False when there was none with that id.
    pub fn unsubscribe(&self, id: i64) -> Result<bool, StoreError> {
        self.write(format!("removing subscription {id}"), |conn| {
            conn.execute(
                "DELETE FROM deliveries WHERE subscription_id = ?1",
                &params![id],
            )?;
            Ok(conn.execute("DELETE FROM subscriptions WHERE id = ?1", &params![id])? == 1)
        })
    }

    /// Pauses a subscription. False when there was none with that id.
    pub fn pause(&self, id: i64) -> Result<bool, StoreError> {
        self.write(format!("pausing subscription {id}"), |conn| {
            Ok(conn.execute(
                "UPDATE subscriptions SET paused = 1 WHERE id = ?1",
                &params![id],
            )? == 1)
        })
    }

    /// Resumes a paused or disabled subscription: slots missed meanwhile are not posted, the next
    /// is the first after `now`.
    pub fn resume(&self, id: i64, now: DateTime<Utc>) -> Result<bool, StoreError> {
        self.write(format!("resuming subscription {id}"), |conn| {
            Ok(conn.execute(
                "UPDATE subscriptions SET paused = 0, disabled_reason = NULL, not_before = ?2
                 WHERE id = ?1",
                &params![id, now.timestamp()],
            )? == 1)
        })
    }

    /// Every subscription, oldest first.
    pub fn subscriptions(&self) -> Result<Vec<Subscription>, StoreError> {
        self.query_subscriptions(
            &format!("SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions ORDER BY id"),
            Vec::new(),
        )
    }

    /// The subscriptions a server sees: its own and the `.env` default.
    pub fn subscriptions_of(&self, guild_id: Option<u64>) -> Result<Vec<Subscription>, StoreError> {
        match guild_id {
            Some(guild) => self.query_subscriptions(
                &format!(
                    "SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions
                     WHERE guild_id = ?1 OR guild_id IS NULL ORDER BY id"
                ),
                params![id_to_sql(guild)].to_vec(),
            ),
            None => self.subscriptions(),
        }
    }

    pub fn subscription(&self, id: i64) -> Result<Option<Subscription>, StoreError> {
        Ok(self
            .query_subscriptions(
                &format!("SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE id = ?1"),
                params![id].to_vec(),
            )?
            .pop())
    }

    fn query_subscriptions(
        &self,
        sql: &str,
        params: Vec<Value>,
    ) -> Result<Vec<Subscription>, StoreError> {
        self.read("reading subscriptions", |conn| {
            conn.query(sql, &params)?
                .iter()
                .map(subscription_from_row)
                .collect()
        })
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
        self.write(format!("disabling subscription {id}"), |conn| {
            conn.execute(
                "UPDATE subscriptions SET disabled_reason = ?2 WHERE id = ?1",
                &params![id, reason],
            )?;
            Ok(())
        })
    }

    /// The newest slot with a row of any status: the scheduler's cursor.
    pub fn last_slot(&self, subscription_id: i64) -> Result<Option<DateTime<Utc>>, StoreError> {
        let slot = self.read("reading the last slot", |conn| {
            conn.query_opt(
                "SELECT MAX(slot) FROM deliveries WHERE subscription_id = ?1",
                &params![subscription_id],
            )?
            .map(|row| row.opt_int(0))
            .transpose()
            .map(Option::flatten)
        })?;
        Ok(slot.and_then(from_timestamp))
    }

    fn one_delivery(
        &self,
        what: &str,
        filter: &str,
        params: Vec<Value>,
    ) -> Result<Option<Delivery>, StoreError> {
        let sql = format!("SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE {filter}");
        self.read(what, |conn| {
            conn.query_opt(&sql, &params)?
                .as_ref()
                .map(delivery_from_row)
                .transpose()
        })
    }

    /// The newest delivered slot.
    pub fn last_delivered(&self, subscription_id: i64) -> Result<Option<Delivery>, StoreError> {
        self.one_delivery(
            "reading the last delivery",
            "subscription_id = ?1 AND status = 'delivered' ORDER BY slot DESC LIMIT 1",
            params![subscription_id].to_vec(),
        )
    }

    /// The newest row of any status (what `/digest list` reports as the last attempt).
    pub fn last_delivery(&self, subscription_id: i64) -> Result<Option<Delivery>, StoreError> {
        self.one_delivery(
            "reading the last delivery",
            "subscription_id = ?1 ORDER BY slot DESC LIMIT 1",
            params![subscription_id].to_vec(),
        )
    }

    pub fn delivery(
        &self,
        subscription_id: i64,
        slot: DateTime<Utc>,
    ) -> Result<Option<Delivery>, StoreError> {
        self.one_delivery(
            "reading a delivery",
            "subscription_id = ?1 AND slot = ?2",
            params![subscription_id, slot.timestamp()].to_vec(),
        )
    }

    /// Every row of a subscription, oldest slot first.
    pub fn deliveries(&self, subscription_id: i64) -> Result<Vec<Delivery>, StoreError> {
        let sql = format!(
            "SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE subscription_id = ?1 ORDER BY slot"
        );
        self.read("reading deliveries", |conn| {
            conn.query(&sql, &params![subscription_id])?
                .iter()
                .map(delivery_from_row)
                .collect()
        })
    }

    /// Claims that were never finished: left by a crash, or by a post still in flight elsewhere
    /// (see [`Delivery::held_by_other`] and [`Store::take_over`]).
    pub fn claimed(&self, subscription_id: i64) -> Result<Vec<Delivery>, StoreError> {
        let sql = format!(
            "SELECT {DELIVERY_COLUMNS} FROM deliveries
             WHERE subscription_id = ?1 AND status = 'claimed' ORDER BY slot"
        );
        self.read("reading unfinished claims", |conn| {
            conn.query(&sql, &params![subscription_id])?
                .iter()
                .map(delivery_from_row)
                .collect()
        })
    }

    /// The article ids every delivered slot of a subscription covered.
    pub fn delivered_articles(&self, subscription_id: i64) -> Result<HashSet<String>, StoreError> {
        self.read("reading delivered articles", |conn| {
            let mut seen = HashSet::new();
            for row in conn.query(
                "SELECT articles FROM deliveries
                 WHERE subscription_id = ?1 AND status IN ('delivered', 'claimed')",
                &params![subscription_id],
            )? {
                seen.extend(from_json::<Vec<String>>(&row.text(0)?));
            }
            Ok(seen)
        })
    }

    /// In one transaction: marks `skipped` slots skipped and claims `slot` with the pages it
    /// will post, leased to this store until `now` + its lease. False (and nothing written) when
    /// the slot already has a row.
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
        let (holder, lease_until) = match settled.status {
            Status::Claimed => (Some(self.holder.as_str()), Some(self.lease_until(now))),
            _ => (None, None),
        };
        let pages = to_json(settled.pages);
        let articles = to_json(settled.articles);
        self.write(what, |conn| {
            let inserted = conn.execute(
                "INSERT INTO deliveries
                 (subscription_id, slot, status, pages, articles, claimed_at, updated_at, holder, lease_until)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8) ON CONFLICT DO NOTHING",
                &params![
                    subscription_id,
                    slot.timestamp(),
                    settled.status.as_str(),
                    &pages,
                    &articles,
                    now.timestamp(),
                    holder,
                    lease_until,
                ],
            )?;
            if inserted == 0 {
                // Someone else has this slot: write nothing.
                return Ok(false);
            }
            for old in skipped {
                conn.execute(
                    "INSERT INTO deliveries (subscription_id, slot, status, updated_at)
                     VALUES (?1, ?2, 'skipped', ?3) ON CONFLICT DO NOTHING",
                    &params![subscription_id, old.timestamp(), now.timestamp()],
                )?;
            }
            Ok(true)
        })
    }

    /// Takes a claimed slot over to finish it: true when this store now holds it, because it
    /// already did or because the holder's lease ended before `now` (the holder died or hung).
    /// False while another holder's lease runs, or when the slot is no longer claimed.
    pub fn take_over(
        &self,
        subscription_id: i64,
        slot: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let what = format!("taking over slot {slot} of subscription {subscription_id}");
        self.write(what, |conn| {
            Ok(conn.execute(
                "UPDATE deliveries SET holder = ?3, lease_until = ?4, updated_at = ?5
                 WHERE subscription_id = ?1 AND slot = ?2 AND status = 'claimed'
                 AND (holder IS NULL OR holder = ?3 OR lease_until IS NULL OR lease_until <= ?5)",
                &params![
                    subscription_id,
                    slot.timestamp(),
                    self.holder.as_str(),
                    self.lease_until(now),
                    now.timestamp(),
                ],
            )? == 1)
        })
    }

    /// Extends this store's lease on a claimed slot. False when it no longer holds it (taken
    /// over after its lease ran out, or finished): the caller must stop posting.
    pub fn renew(
        &self,
        subscription_id: i64,
        slot: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let what = format!("renewing the lease on slot {slot} of subscription {subscription_id}");
        self.write(what, |conn| {
            Ok(conn.execute(
                "UPDATE deliveries SET lease_until = ?4, updated_at = ?5
                 WHERE subscription_id = ?1 AND slot = ?2 AND status = 'claimed' AND holder = ?3",
                &params![
                    subscription_id,
                    slot.timestamp(),
                    self.holder.as_str(),
                    self.lease_until(now),
                    now.timestamp(),
                ],
            )? == 1)
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
        self.write(what, |conn| {
            let sql = format!(
                "SELECT message_ids FROM deliveries WHERE subscription_id = ?1 AND slot = ?2{}",
                conn.dialect().for_update()
            );
            let Some(row) = conn.query_opt(&sql, &params![subscription_id, slot.timestamp()])?
            else {
                return Ok(());
            };
            let mut ids: Vec<u64> = from_json(&row.text(0)?);
            if ids.len() <= page {
                ids.resize(page + 1, 0);
            }
            // In bounds: resized above to at least page + 1 entries.
            ids[page] = message_id;
            conn.execute(
                "UPDATE deliveries SET message_ids = ?3, message_id = ?4, updated_at = ?5
                 WHERE subscription_id = ?1 AND slot = ?2",
                &params![
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
        self.write(what, |conn| {
            conn.execute(
                "UPDATE deliveries SET status = ?3, error = ?4, updated_at = ?5, lease_until = NULL
                 WHERE subscription_id = ?1 AND slot = ?2",
                &params![
                    subscription_id,
                    slot.timestamp(),
                    status.as_str(),
                    error,
                    now.timestamp()
                ],
            )?;
            if let Some(reason) = disable {
                conn.execute(
                    "UPDATE subscriptions SET disabled_reason = ?2 WHERE id = ?1",
                    &params![subscription_id, reason],
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

/// `pid-<16 hex digits>`: unique per process start, readable in the database.
fn new_holder() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    format!("{}-{:016x}", std::process::id(), hasher.finish())
}

fn returned_id(row: Option<Row>) -> Result<i64, DbError> {
    row.ok_or_else(|| DbError::Decode("the insert returned no id".to_string()))?
        .int(0)
}

fn subscription_from_row(row: &Row) -> Result<Subscription, DbError> {
    Ok(Subscription {
        id: row.int(0)?,
        guild_id: row.opt_int(1)?.map(id_from_sql),
        channel_id: id_from_sql(row.int(2)?),
        schedule: row.text(3)?,
        timezone: row.text(4)?,
        tags: from_json(&row.text(5)?),
        people: from_json(&row.text(6)?),
        skip_empty: row.bool(7)?,
        paused: row.bool(8)?,
        disabled: row.opt_text(9)?,
        from_env: row.bool(10)?,
        not_before: from_timestamp(row.int(11)?).unwrap_or_default(),
    })
}

fn delivery_from_row(row: &Row) -> Result<Delivery, DbError> {
    Ok(Delivery {
        subscription_id: row.int(0)?,
        slot: from_timestamp(row.int(1)?).unwrap_or_default(),
        status: Status::parse(&row.text(2)?),
        message_id: row.opt_int(3)?.map(id_from_sql),
        message_ids: from_json(&row.text(4)?),
        pages: from_json(&row.text(5)?),
        articles: from_json(&row.text(6)?),
        error: row.opt_text(7)?,
        claimed_at: row.opt_int(8)?.and_then(from_timestamp),
        holder: row.opt_text(9)?,
        lease_until: row.opt_int(10)?.and_then(from_timestamp),
    })
}

/// Discord ids are below 2^63, so they fit signed 64-bit integers unchanged (and a larger one
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
