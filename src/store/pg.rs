//! The PostgreSQL backend (`DATABASE_URL=postgres://…`): shared state for several instances.
//!
//! - **Client.** The synchronous `postgres` crate. It drives its own small runtime, and blocking
//!   on it from inside a tokio runtime panics, so every call made from a runtime thread runs on a
//!   scoped plain thread ([`off_runtime`]); the store keeps its synchronous interface.
//! - **Pool.** Idle connections are kept (at most [`MAX_IDLE`]) and reused; one found closed is
//!   dropped and a new one is made.
//! - **Lost connections.** An operation that fails because the connection or the server went
//!   away (or on a serialization failure or deadlock) is run again on a fresh connection, with
//!   a growing pause, for about ten seconds ([`ATTEMPTS`]); only then does the caller get the
//!   error (the scheduler logs it and tries again a minute later; a command answers with it).
//!   Every change is one transaction, so a retried change never half-applies; the store's
//!   inserts are `ON CONFLICT DO NOTHING` and its updates idempotent, so a change whose commit
//!   reply was lost is harmless to repeat.
//! - **Migrations**: the table `schema_version` (one row), migrated in one transaction under
//!   an advisory lock, so instances starting together migrate once; a newer version is refused.
//! - **Secrets.** The URL's password is never printed: errors name the database by
//!   `postgres://user@host:port/dbname` ([`place`]).

use std::sync::Mutex;
use std::time::Duration;

use bytes::BytesMut;
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, Config, GenericClient, NoTls};

use super::sql::{Conn, DbError, Dialect, Row, Value, dollar_placeholders};
use super::{Backend, SCHEMA_VERSION, StoreError};

/// Idle connections kept for reuse.
pub const MAX_IDLE: usize = 8;

/// Tries of one operation when the connection is lost (the first included); the pauses between
/// them double from 100 ms up to 3.2 s (then stay there): about ten seconds in all.
pub const ATTEMPTS: u32 = 8;

/// How long connecting may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A key for `pg_advisory_xact_lock`: held while migrating.
const MIGRATION_LOCK: i64 = 0x6272_6965_6667;

/// Each migration takes the schema from its index to the next version (the same versions as
/// SQLite's).
const MIGRATIONS: &[&str] = &[
    // 0 → 1: subscriptions and deliveries.
    "CREATE TABLE subscriptions (
        id BIGSERIAL PRIMARY KEY,
        guild_id BIGINT,
        channel_id BIGINT NOT NULL,
        schedule TEXT NOT NULL,
        timezone TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '[]',
        people TEXT NOT NULL DEFAULT '[]',
        skip_empty BIGINT NOT NULL DEFAULT 0,
        paused BIGINT NOT NULL DEFAULT 0,
        disabled_reason TEXT,
        from_env BIGINT NOT NULL DEFAULT 0,
        not_before BIGINT NOT NULL,
        created_at BIGINT NOT NULL
    );
    CREATE TABLE deliveries (
        subscription_id BIGINT NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
        slot BIGINT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('claimed', 'delivered', 'skipped', 'empty', 'failed')),
        message_id BIGINT,
        message_ids TEXT NOT NULL DEFAULT '[]',
        pages TEXT NOT NULL DEFAULT '[]',
        articles TEXT NOT NULL DEFAULT '[]',
        error TEXT,
        claimed_at BIGINT,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (subscription_id, slot)
    );
    CREATE INDEX deliveries_by_status ON deliveries(status);",
    // 1 → 2: when each article was first loaded, follows, and the alert of each (follow, article).
    "CREATE TABLE articles_loaded (
        article_id TEXT PRIMARY KEY,
        first_loaded BIGINT NOT NULL
    );
    CREATE TABLE follows (
        id BIGSERIAL PRIMARY KEY,
        guild_id BIGINT,
        channel_id BIGINT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('person', 'topic', 'words')),
        target TEXT NOT NULL,
        label TEXT NOT NULL,
        created_by BIGINT,
        disabled_reason TEXT,
        created_at BIGINT NOT NULL,
        UNIQUE (guild_id, channel_id, kind, target)
    );
    CREATE TABLE alerts (
        follow_id BIGINT NOT NULL REFERENCES follows(id) ON DELETE CASCADE,
        article_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('claimed', 'delivered', 'failed')),
        message TEXT NOT NULL DEFAULT '',
        message_id BIGINT,
        error TEXT,
        claimed_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (follow_id, article_id)
    );
    CREATE INDEX alerts_by_status ON alerts(status);",
    // 2 → 3: leases: who holds a claim, and until when.
    "ALTER TABLE deliveries ADD COLUMN holder TEXT;
    ALTER TABLE deliveries ADD COLUMN lease_until BIGINT;
    ALTER TABLE alerts ADD COLUMN holder TEXT;
    ALTER TABLE alerts ADD COLUMN lease_until BIGINT;",
    // 3 → 4: the order of loads, which says what a follow has not seen (see `store::follows`).
    // The old rule compared seconds, so the old rows' order is their second.
    "ALTER TABLE articles_loaded ADD COLUMN load_order BIGINT NOT NULL DEFAULT 0;
    UPDATE articles_loaded SET load_order = first_loaded;
    CREATE INDEX articles_loaded_by_order ON articles_loaded(load_order);
    ALTER TABLE follows ADD COLUMN loaded_upto BIGINT NOT NULL DEFAULT 0;
    UPDATE follows SET loaded_upto = COALESCE(
        (SELECT MAX(load_order) FROM articles_loaded WHERE load_order <= follows.created_at), 0);",
];

/// A pool of connections to one database.
pub struct Postgres {
    config: Config,
    idle: Mutex<Vec<Client>>,
    place: String,
}

impl Postgres {
    /// Connects (checking the server answers), refuses a newer schema, migrates.
    pub fn open(url: &str) -> Result<Postgres, StoreError> {
        let mut config: Config = url.parse().map_err(|_| {
            // The parser's reason may quote the text, and the text holds the password.
            StoreError::new(
                Backend::POSTGRES,
                "(DATABASE_URL)".to_string(),
                "the URL does not parse; the form is postgres://user:password@host:port/database"
                    .to_string(),
                None,
            )
        })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        let store = Postgres {
            place: place(&config),
            config,
            idle: Mutex::new(Vec::new()),
        };
        let version = store.run("reading the schema version", false, &mut |conn| {
            conn.batch("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")
                .or_else(|err| match &err {
                    // Two instances creating it at once: the other one won.
                    DbError::Postgres(pg) if pg.code().is_some() => Ok(()),
                    _ => Err(err),
                })?;
            conn.query_opt("SELECT MAX(version) FROM schema_version", &[])?
                .map(|row| row.opt_int(0))
                .transpose()
                .map(Option::flatten)
        })?;
        let version = version.unwrap_or(0);
        if version > SCHEMA_VERSION {
            return Err(StoreError::newer(
                Backend::POSTGRES,
                store.place.clone(),
                version,
            ));
        }
        if version < SCHEMA_VERSION {
            store.migrate()?;
        }
        Ok(store)
    }

    /// `postgres://user@host:port/dbname`: the database, without the password.
    pub fn place(&self) -> &str {
        &self.place
    }

    fn migrate(&self) -> Result<(), StoreError> {
        let newer = self.run("migrating the schema", true, &mut |conn| {
            conn.query(
                "SELECT pg_advisory_xact_lock(?1)",
                &[Value::Int(MIGRATION_LOCK)],
            )?;
            let version = conn
                .query_opt("SELECT MAX(version) FROM schema_version", &[])?
                .map(|row| row.opt_int(0))
                .transpose()?
                .flatten();
            let from = match version {
                None => {
                    conn.execute("INSERT INTO schema_version (version) VALUES (0)", &[])?;
                    0
                }
                Some(version) => version,
            };
            if from > SCHEMA_VERSION {
                return Ok(Some(from));
            }
            for sql in MIGRATIONS.iter().skip(from.max(0) as usize) {
                conn.batch(sql)?;
            }
            conn.execute(
                "UPDATE schema_version SET version = ?1",
                &[Value::Int(SCHEMA_VERSION)],
            )?;
            Ok(None)
        })?;
        match newer {
            Some(version) => Err(StoreError::newer(
                Backend::POSTGRES,
                self.place.clone(),
                version,
            )),
            None => Ok(()),
        }
    }

    /// Runs `op` on a pooled connection (in one transaction when `write`), again on a fresh one
    /// while the failure is a lost connection, for up to [`ATTEMPTS`] tries.
    pub fn run<T: Send>(
        &self,
        what: &str,
        write: bool,
        op: &mut (dyn FnMut(&mut dyn Conn) -> Result<T, DbError> + Send),
    ) -> Result<T, StoreError> {
        off_runtime(|| {
            let mut pause = Duration::from_millis(100);
            let mut attempt = 1;
            loop {
                match self.attempt(write, op) {
                    Ok(value) => return Ok(value),
                    Err(err) if attempt < ATTEMPTS && passing(&err) => {
                        tracing::warn!(
                            "PostgreSQL database {}: {what}: {err}; trying again in {pause:?} \
                             (try {attempt} of {ATTEMPTS})",
                            self.place
                        );
                        std::thread::sleep(pause);
                        pause = (pause * 2).min(Duration::from_millis(3200));
                        attempt += 1;
                    }
                    Err(err) => {
                        return Err(StoreError::new(
                            Backend::POSTGRES,
                            self.place.clone(),
                            what.to_string(),
                            Some(err),
                        ));
                    }
                }
            }
        })
    }

    fn attempt<T>(
        &self,
        write: bool,
        op: &mut (dyn FnMut(&mut dyn Conn) -> Result<T, DbError> + Send),
    ) -> Result<T, DbError> {
        let mut client = self.take()?;
        let result = if write {
            let mut run = || -> Result<T, DbError> {
                let mut tx = client.transaction()?;
                let value = op(&mut PgConn(&mut tx))?;
                tx.commit()?;
                Ok(value)
            };
            run()
        } else {
            op(&mut PgConn(&mut client))
        };
        if !client.is_closed() {
            let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
            if idle.len() < MAX_IDLE {
                idle.push(client);
            }
        }
        result
    }

    /// An idle connection that is still open, or a new one.
    fn take(&self) -> Result<Client, DbError> {
        loop {
            let next = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
            match next {
                Some(client) if !client.is_closed() => return Ok(client),
                Some(_) => continue,
                None => return Ok(self.config.connect(NoTls)?),
            }
        }
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        // Closing a client blocks on its runtime too.
        let idle = std::mem::take(self.idle.get_mut().unwrap_or_else(|p| p.into_inner()));
        off_runtime(move || drop(idle));
    }
}

/// Whether trying again may succeed: the connection was lost or never made, the server is
/// restarting, or the transaction lost a race (serialization failure, deadlock).
fn passing(err: &DbError) -> bool {
    let DbError::Postgres(err) = err else {
        return false;
    };
    match err.code() {
        None => true,
        Some(code) => {
            let code = code.code();
            code.starts_with("08") // connection exception
                || code == "40001" // serialization failure
                || code == "40P01" // deadlock detected
                || code == "57P01" // admin shutdown
                || code == "57P02" // crash shutdown
                || code == "57P03" // cannot connect now
        }
    }
}

/// `postgres://user@host:port/dbname`, never the password.
fn place(config: &Config) -> String {
    use postgres::config::Host;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(host)) => host.clone(),
        #[cfg(unix)]
        Some(Host::Unix(path)) => path.display().to_string(),
        None => "localhost".to_string(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config
        .get_user()
        .map(|u| format!("{u}@"))
        .unwrap_or_default();
    let db = config.get_dbname().unwrap_or("");
    format!("postgres://{user}{host}:{port}/{db}")
}

/// Runs `f` where the synchronous client may block: on this thread outside a tokio runtime, on a
/// scoped plain thread inside one.
fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    if tokio::runtime::Handle::try_current().is_err() {
        return f();
    }
    std::thread::scope(|scope| match scope.spawn(f).join() {
        Ok(value) => value,
        // The store's code does not panic; if it did, the caller sees the same panic.
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

/// A client or transaction as the store's SQL sees it.
struct PgConn<'a, C: GenericClient>(&'a mut C);

impl<C: GenericClient> Conn for PgConn<'_, C> {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, DbError> {
        let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(|v| v as _).collect();
        Ok(self.0.execute(dollar_placeholders(sql).as_str(), &params)?)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError> {
        let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(|v| v as _).collect();
        let rows = self.0.query(dollar_placeholders(sql).as_str(), &params)?;
        rows.iter().map(row).collect()
    }

    fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        Ok(self.0.batch_execute(sql)?)
    }
}

fn row(row: &postgres::Row) -> Result<Row, DbError> {
    let mut values = Vec::with_capacity(row.len());
    for (index, column) in row.columns().iter().enumerate() {
        let int = |value: Option<i64>| value.map_or(Value::Null, Value::Int);
        let value = match *column.type_() {
            Type::INT8 => int(row.try_get::<_, Option<i64>>(index)?),
            Type::INT4 => int(row.try_get::<_, Option<i32>>(index)?.map(i64::from)),
            Type::INT2 => int(row.try_get::<_, Option<i16>>(index)?.map(i64::from)),
            Type::BOOL => int(row.try_get::<_, Option<bool>>(index)?.map(i64::from)),
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => row
                .try_get::<_, Option<String>>(index)?
                .map_or(Value::Null, Value::Text),
            // pg_advisory_xact_lock's result, read and dropped.
            Type::VOID => Value::Null,
            ref other => {
                return Err(DbError::Decode(format!(
                    "column {} has the unexpected type {other}",
                    column.name()
                )));
            }
        };
        values.push(value);
    }
    Ok(Row(values))
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Text(text) => match *ty {
                Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => {
                    text.as_str().to_sql(ty, out)
                }
                _ => Err(format!("text given for a {ty} parameter").into()),
            },
            Value::Int(value) => match *ty {
                Type::INT8 => value.to_sql(ty, out),
                Type::INT4 => i32::try_from(*value)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*value)?.to_sql(ty, out),
                Type::BOOL => (*value != 0).to_sql(ty, out),
                _ => Err(format!("a number given for a {ty} parameter").into()),
            },
        }
    }

    fn accepts(ty: &Type) -> bool {
        matches!(
            *ty,
            Type::INT8
                | Type::INT4
                | Type::INT2
                | Type::BOOL
                | Type::TEXT
                | Type::VARCHAR
                | Type::BPCHAR
                | Type::NAME
        )
    }

    to_sql_checked!();
}
