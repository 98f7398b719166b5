//! Test databases for both backends: a SQLite file in a temporary directory, or a fresh schema
//! in the PostgreSQL database `TEST_DATABASE_URL` names (so tests run in parallel on the one
//! database, each in its own schema, dropped at the end).
//!
//! Without `TEST_DATABASE_URL` the PostgreSQL tests print one line saying so and pass: a
//! newcomer's `cargo test` stays green with nothing installed. `.ci/run` sets it when the
//! server answers.
#![allow(dead_code)]

use std::path::PathBuf;

use briefing_bot::store::{Location, PostgresUrl, Store};

/// The variable naming the test PostgreSQL database.
pub const TEST_DATABASE_URL: &str = "TEST_DATABASE_URL";

pub enum TestDb {
    Sqlite {
        _dir: tempfile::TempDir,
        path: PathBuf,
    },
    Postgres {
        base: String,
        schema: String,
    },
}

impl TestDb {
    pub fn sqlite() -> Option<TestDb> {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("state.db");
        Some(TestDb::Sqlite { _dir: dir, path })
    }

    /// A fresh schema in the test database, or `None` (with a line saying why) when
    /// `TEST_DATABASE_URL` is not set.
    pub fn postgres() -> Option<TestDb> {
        let Some(base) = std::env::var(TEST_DATABASE_URL)
            .ok()
            .filter(|url| !url.is_empty())
        else {
            eprintln!(
                "PostgreSQL: not tested here: {TEST_DATABASE_URL} is not set (.ci/run sets it to \
                 postgres://postgres@127.0.0.1:5432/test when that server answers)"
            );
            return None;
        };
        let schema = format!("t_{:016x}", random());
        with_client(&base, |client| {
            client
                .batch_execute(&format!("CREATE SCHEMA {schema}"))
                .expect("creating a test schema")
        });
        Some(TestDb::Postgres { base, schema })
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, TestDb::Postgres { .. })
    }

    /// Where the database is: what `DATABASE_PATH` / `DATABASE_URL` would say.
    pub fn location(&self) -> Location {
        match self {
            TestDb::Sqlite { path, .. } => Location::Sqlite(path.clone()),
            TestDb::Postgres { base, schema } => Location::Postgres(PostgresUrl::new(format!(
                "{base}{}options=-csearch_path%3D{schema}&application_name={schema}",
                if base.contains('?') { '&' } else { '?' }
            ))),
        }
    }

    /// The URL (PostgreSQL) or path (SQLite) as an environment variable for the binary.
    pub fn env(&self) -> (&'static str, String) {
        match self.location() {
            Location::Sqlite(path) => ("DATABASE_PATH", path.display().to_string()),
            Location::Postgres(url) => ("DATABASE_URL", url.expose().to_string()),
        }
    }

    /// A new store on this database: another process, as far as claims are concerned.
    pub fn open(&self) -> Store {
        Store::open_at(&self.location()).expect("opening the test database")
    }

    /// Writes schema version `version`, as a newer (or older) build would have.
    pub fn set_schema_version(&self, version: i64) {
        match self {
            TestDb::Sqlite { path, .. } => {
                let conn = rusqlite::Connection::open(path).unwrap();
                conn.execute_batch(&format!("PRAGMA user_version = {version}"))
                    .unwrap();
            }
            TestDb::Postgres { .. } => {
                self.admin(&format!("UPDATE schema_version SET version = {version}"));
            }
        }
    }

    /// Runs SQL beside the store: in the test schema, or on the SQLite file.
    pub fn admin(&self, sql: &str) {
        match self {
            TestDb::Sqlite { path, .. } => rusqlite::Connection::open(path)
                .unwrap()
                .execute_batch(sql)
                .unwrap(),
            TestDb::Postgres { base, schema } => with_client(base, |client| {
                client
                    .batch_execute(&format!("SET search_path = {schema}; {sql}"))
                    .unwrap()
            }),
        }
    }

    /// Ends every server connection of this test's stores, as a database restart or a network
    /// cut would (PostgreSQL only). Returns how many were ended.
    pub fn cut_connections(&self) -> i64 {
        let TestDb::Postgres { base, schema } = self else {
            panic!("cutting connections is for PostgreSQL");
        };
        with_client(base, |client| {
            client
                .query_one(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                     WHERE application_name = $1 AND pid <> pg_backend_pid()",
                    &[schema],
                )
                .unwrap()
                .get(0)
        })
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let TestDb::Postgres { base, schema } = self {
            let drop = format!("DROP SCHEMA IF EXISTS {schema} CASCADE");
            with_client(base, |client| {
                let _ = client.batch_execute(&drop);
            });
        }
    }
}

/// Runs `f` with a client of the test database, on a plain thread (the synchronous client
/// cannot block inside a tokio runtime, where async tests run).
fn with_client<T: Send>(base: &str, f: impl FnOnce(&mut postgres::Client) -> T + Send) -> T {
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let mut client =
                    postgres::Client::connect(base, postgres::NoTls).unwrap_or_else(|err| {
                        panic!("{TEST_DATABASE_URL} is set but does not answer: {err}")
                    });
                f(&mut client)
            })
            .join()
            .unwrap()
    })
}

fn random() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    hasher.finish()
}
