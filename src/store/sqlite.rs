//! The SQLite backend: one file (bundled SQLite, nothing to install), WAL mode so several
//! connections and processes share it, the schema versioned by `PRAGMA user_version`.
//!
//! Opening checks the file before anything else: `PRAGMA quick_check` (a damaged file is
//! reported once, at start-up, naming the file), then the schema version (a newer one is refused
//! with a message saying so), then the switch to WAL, retried while another process holds the
//! file (the busy timeout does not cover that step), then the migrations.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, ErrorCode, TransactionBehavior};

use super::sql::{Conn, DbError, Dialect, Row, Value};
use super::{SCHEMA_VERSION, StoreError};

/// How long a statement waits for another connection's lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How long opening keeps trying steps that the busy timeout does not cover.
const OPEN_PATIENCE: Duration = Duration::from_secs(15);

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
    // 2 → 3: leases: who holds a claim, and until when.
    "ALTER TABLE deliveries ADD COLUMN holder TEXT;
    ALTER TABLE deliveries ADD COLUMN lease_until INTEGER;
    ALTER TABLE alerts ADD COLUMN holder TEXT;
    ALTER TABLE alerts ADD COLUMN lease_until INTEGER;",
    // 3 → 4: the order of loads, which says what a follow has not seen (see `store::follows`).
    // The old rule compared seconds, so the old rows' order is their second.
    "ALTER TABLE articles_loaded ADD COLUMN load_order INTEGER NOT NULL DEFAULT 0;
    UPDATE articles_loaded SET load_order = first_loaded;
    CREATE INDEX articles_loaded_by_order ON articles_loaded(load_order);
    ALTER TABLE follows ADD COLUMN loaded_upto INTEGER NOT NULL DEFAULT 0;
    UPDATE follows SET loaded_upto = COALESCE(
        (SELECT MAX(load_order) FROM articles_loaded WHERE load_order <= follows.created_at), 0);",
];

/// One connection to one file.
pub struct Sqlite {
    conn: Mutex<Connection>,
    path: PathBuf,
}

impl Sqlite {
    pub fn open(path: &Path) -> Result<Sqlite, StoreError> {
        let fail = |what: &str| {
            let what = what.to_string();
            move |err: rusqlite::Error| StoreError::sqlite(path, what, Some(DbError::from(err)))
        };
        let conn = Connection::open(path).map_err(fail("cannot open"))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(fail("setting the busy timeout"))?;

        let check = patiently(|| {
            let mut statement = conn.prepare("PRAGMA quick_check")?;
            let rows = statement.query_map([], |row| row.get::<_, String>(0))?;
            rows.collect::<rusqlite::Result<Vec<String>>>()
        });
        let damaged = |detail: String| {
            StoreError::sqlite(
                path,
                format!(
                    "the file is damaged or is not a briefing-bot database ({detail}); restore it \
                     from a backup, or move it aside to start with an empty one"
                ),
                None,
            )
        };
        match check {
            Ok(lines) if lines.len() == 1 && lines[0] == "ok" => {}
            Ok(lines) => return Err(damaged(format!("quick_check: {}", lines.join("; ")))),
            Err(err) if is_busy(&err) => {
                return Err(fail("checking the file (PRAGMA quick_check)")(err));
            }
            Err(err) => return Err(damaged(err.to_string())),
        }

        let version = user_version(&conn).map_err(fail("reading the schema version"))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::newer(
                super::Backend::SQLITE,
                path.display().to_string(),
                version,
            ));
        }

        let mode: String =
            patiently(|| conn.query_row("PRAGMA journal_mode", [], |row| row.get(0)))
                .map_err(fail("reading the journal mode"))?;
        let mode: String = if is_wal(&mode) {
            mode
        } else {
            patiently(|| conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0)))
                .map_err(fail("switching to WAL mode"))?
        };
        if !is_wal(&mode) {
            return Err(StoreError::sqlite(
                path,
                format!("switching to WAL mode (the journal mode stayed \"{mode}\")"),
                None,
            ));
        }
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
            .map_err(fail("setting pragmas"))?;
        let store = Sqlite {
            conn: Mutex::new(conn),
            path: path.to_path_buf(),
        };
        store.migrate(version)?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn migrate(&self, version: i64) -> Result<(), StoreError> {
        for (from, sql) in MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
            let what = format!("migrating the schema to version {}", from + 1);
            self.run(&what, true, &mut |conn: &mut dyn Conn| {
                // Re-read inside the transaction: another process may have migrated meanwhile.
                let now = conn
                    .query_opt("PRAGMA user_version", &[])?
                    .map(|row| row.int(0))
                    .transpose()?
                    .unwrap_or(0);
                if now == from as i64 {
                    conn.batch(sql)?;
                    conn.batch(&format!("PRAGMA user_version = {}", from + 1))?;
                }
                Ok(())
            })?;
        }
        Ok(())
    }

    /// Runs `op` on the connection, in one immediate transaction when `write`; a busy file is
    /// tried again (after the busy timeout) a few times before the error is returned.
    pub fn run<T>(
        &self,
        what: &str,
        write: bool,
        op: &mut dyn FnMut(&mut dyn Conn) -> Result<T, DbError>,
    ) -> Result<T, StoreError> {
        // A panic while holding the lock leaves the connection itself intact.
        let conn = self
            .conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut tries = 0;
        loop {
            tries += 1;
            let result = if write {
                transaction(&conn, op)
            } else {
                op(&mut SqliteConn(&conn))
            };
            match result {
                Err(DbError::Sqlite(err)) if is_busy(&err) && tries < 3 => {
                    tracing::warn!(
                        "SQLite database {}: {what}: {err}; trying again",
                        self.path.display()
                    );
                }
                Err(err) => {
                    return Err(StoreError::sqlite(&self.path, what.to_string(), Some(err)));
                }
                Ok(value) => return Ok(value),
            }
        }
    }
}

fn transaction<T>(
    conn: &Connection,
    op: &mut dyn FnMut(&mut dyn Conn) -> Result<T, DbError>,
) -> Result<T, DbError> {
    // Never nested: `op` gets the connection, not the store.
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    let value = op(&mut SqliteConn(&tx))?;
    tx.commit()?;
    Ok(value)
}

fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    patiently(|| conn.query_row("PRAGMA user_version", [], |row| row.get(0)))
}

fn is_wal(mode: &str) -> bool {
    mode.eq_ignore_ascii_case("wal")
}

fn is_busy(err: &rusqlite::Error) -> bool {
    matches!(
        err.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// Runs `step` until it succeeds or fails for a reason other than another process's lock, for
/// at most [`OPEN_PATIENCE`].
fn patiently<T>(mut step: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let started = Instant::now();
    let mut pause = Duration::from_millis(10);
    loop {
        match step() {
            Err(err) if is_busy(&err) && started.elapsed() < OPEN_PATIENCE => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(200));
            }
            result => return result,
        }
    }
}

/// A connection (or transaction: it dereferences to one) as the store's SQL sees it.
struct SqliteConn<'a>(&'a Connection);

impl Conn for SqliteConn<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, DbError> {
        let mut statement = self.0.prepare(sql)?;
        let changed = statement.execute(rusqlite::params_from_iter(params))?;
        Ok(changed as u64)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError> {
        let mut statement = self.0.prepare(sql)?;
        let columns = statement.column_count();
        let mut rows = statement.query(rusqlite::params_from_iter(params))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut values = Vec::with_capacity(columns);
            for index in 0..columns {
                values.push(match row.get_ref(index)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(value) => Value::Int(value),
                    ValueRef::Text(text) => Value::Text(String::from_utf8_lossy(text).into_owned()),
                    ValueRef::Real(value) => {
                        return Err(DbError::Decode(format!(
                            "column {index} holds the real number {value}"
                        )));
                    }
                    ValueRef::Blob(_) => {
                        return Err(DbError::Decode(format!("column {index} holds a blob")));
                    }
                });
            }
            out.push(Row(values));
        }
        Ok(out)
    }

    fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        Ok(self.0.execute_batch(sql)?)
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Int(value) => ToSqlOutput::Borrowed(ValueRef::Integer(*value)),
            Value::Text(text) => ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes())),
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
        })
    }
}
