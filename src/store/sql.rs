//! What the two backends share: the values and rows the store's SQL passes, the connection a
//! transaction sees ([`Conn`]), and the errors of either database.
//!
//! The store's SQL is written once, in the subset both SQLite and PostgreSQL read the same way
//! (`INSERT … ON CONFLICT DO NOTHING`, `RETURNING`, `IS NOT DISTINCT FROM`), with `?1`-style
//! placeholders; the PostgreSQL backend turns them into `$1`. Every column is an integer (64-bit)
//! or text, so a row is a list of [`Value`]s on either side.

use std::fmt;

/// One SQL value: what the store's columns hold.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(i64),
    Text(String),
    Null,
}

impl From<i64> for Value {
    fn from(value: i64) -> Value {
        Value::Int(value)
    }
}

impl From<bool> for Value {
    fn from(value: bool) -> Value {
        Value::Int(i64::from(value))
    }
}

impl From<&str> for Value {
    fn from(value: &str) -> Value {
        Value::Text(value.to_string())
    }
}

impl From<String> for Value {
    fn from(value: String) -> Value {
        Value::Text(value)
    }
}

impl From<&String> for Value {
    fn from(value: &String) -> Value {
        Value::Text(value.clone())
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(value: Option<T>) -> Value {
        value.map_or(Value::Null, Into::into)
    }
}

/// Builds a parameter list: `params![a, b]` is `[Value::from(a), Value::from(b)]`.
macro_rules! params {
    ($($value:expr),* $(,)?) => {
        [$($crate::store::sql::Value::from($value)),*]
    };
}
pub(crate) use params;

/// One result row, its columns in the order the query selected them.
#[derive(Debug, Clone, PartialEq)]
pub struct Row(pub Vec<Value>);

impl Row {
    fn at(&self, index: usize) -> Result<&Value, DbError> {
        self.0
            .get(index)
            .ok_or_else(|| DbError::Decode(format!("no column {index}")))
    }

    pub fn opt_int(&self, index: usize) -> Result<Option<i64>, DbError> {
        match self.at(index)? {
            Value::Int(value) => Ok(Some(*value)),
            Value::Null => Ok(None),
            Value::Text(text) => Err(DbError::Decode(format!(
                "column {index} holds text {text:?} where a number was expected"
            ))),
        }
    }

    pub fn int(&self, index: usize) -> Result<i64, DbError> {
        self.opt_int(index)?
            .ok_or_else(|| DbError::Decode(format!("column {index} is empty")))
    }

    pub fn bool(&self, index: usize) -> Result<bool, DbError> {
        Ok(self.int(index)? != 0)
    }

    pub fn opt_text(&self, index: usize) -> Result<Option<String>, DbError> {
        match self.at(index)? {
            Value::Text(text) => Ok(Some(text.clone())),
            Value::Null => Ok(None),
            Value::Int(value) => Err(DbError::Decode(format!(
                "column {index} holds the number {value} where text was expected"
            ))),
        }
    }

    pub fn text(&self, index: usize) -> Result<String, DbError> {
        self.opt_text(index)?
            .ok_or_else(|| DbError::Decode(format!("column {index} is empty")))
    }
}

/// Which database a connection speaks to, for the few statements that differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// Locks the rows a read-then-write reads (SQLite's write transaction already holds the
    /// whole file).
    pub fn for_update(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR UPDATE",
        }
    }
}

/// A connection (inside a transaction for a change), as the store's methods see it.
pub trait Conn {
    fn dialect(&self) -> Dialect;
    /// Runs a statement; the number of rows it changed.
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, DbError>;
    /// Runs a query; every row.
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError>;
    /// Runs several statements without parameters (migrations).
    fn batch(&mut self, sql: &str) -> Result<(), DbError>;

    /// The first row, if any.
    fn query_opt(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>, DbError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }
}

/// Why a statement failed, from either database (or a row that did not decode).
#[derive(Debug)]
pub enum DbError {
    Sqlite(rusqlite::Error),
    Postgres(postgres::Error),
    Decode(String),
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbError::Sqlite(err) => write!(f, "{err}"),
            DbError::Postgres(err) => match err.as_db_error() {
                // The server's own words and code, without "db error: ".
                Some(db) => write!(f, "{} ({})", db.message(), db.code().code()),
                None => write!(f, "{err}"),
            },
            DbError::Decode(reason) => write!(f, "unexpected data: {reason}"),
        }
    }
}

impl From<rusqlite::Error> for DbError {
    fn from(err: rusqlite::Error) -> DbError {
        DbError::Sqlite(err)
    }
}

impl From<postgres::Error> for DbError {
    fn from(err: postgres::Error) -> DbError {
        DbError::Postgres(err)
    }
}

/// `?1` placeholders as PostgreSQL's `$1`.
pub fn dollar_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_dollars() {
        assert_eq!(
            dollar_placeholders("SELECT a FROM t WHERE a = ?1 AND b IS ?12 OR c = '?'"),
            "SELECT a FROM t WHERE a = $1 AND b IS $12 OR c = '?'"
        );
    }

    #[test]
    fn rows_refuse_the_wrong_kind_of_value() {
        let row = Row(vec![Value::Int(3), Value::Text("x".into()), Value::Null]);
        assert_eq!(row.int(0).unwrap(), 3);
        assert!(row.bool(0).unwrap());
        assert_eq!(row.text(1).unwrap(), "x");
        assert!(row.int(1).is_err());
        assert!(row.text(0).is_err());
        assert_eq!(row.opt_int(2).unwrap(), None);
        assert!(row.int(2).is_err());
        assert!(row.int(7).is_err());
    }
}
