//! The endpoint's state in SQLite: the domain directory, the stored certificates, the HTTPS
//! setting of each domain, the simulated faults and a bounded log of the last requests.
//!
//! One job per module: [`schema`] (migrations, connections, checkpoints), [`tx`] (the write
//! transaction, the library's state traits on it), [`view`] (a read snapshot, the same traits,
//! the pool of read connections), [`state_file`] (the state document in and out),
//! [`log`] (the request log) and [`page_query`] (what the page at `/` shows). Changes are made
//! in `BEGIN IMMEDIATE` transactions by one writer (the `writer` module), each request under a
//! savepoint of its own, so of N simultaneous uploads under one new name exactly one is
//! stored. No private key byte is ever written: a certificate is stored as the chain the
//! library checked (its canonical PEM and its facts) and the leaf's SHA-256; nothing here
//! parses a certificate.

mod log;
mod page_query;
mod schema;
mod state_file;
mod tx;
mod view;

use std::path::Path;

use cert_preflight::{CasStatus, Product, StoreError};
use rusqlite::{Connection, TransactionBehavior};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub(crate) use log::{LogEntry, REQUEST_LOG_CAPACITY};
pub(crate) use schema::{checkpoint, connect};
pub(crate) use tx::{Change, Tx};
pub(crate) use view::{DomainCertificate, Readers, View};

/// The product column's value for a row of every product.
pub(crate) const EVERY: &str = "*";

/// Statements prepared once per connection and kept (SQLite's parse and plan are a large part
/// of a small query's cost).
pub(crate) trait Cached {
    /// `query_row` on a cached statement.
    fn cached_row<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: rusqlite::Params,
        F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>;
    /// `execute` on a cached statement.
    fn cached_execute<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize>;
}

impl Cached for Connection {
    fn cached_row<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: rusqlite::Params,
        F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    {
        self.prepare_cached(sql)?.query_row(params, f)
    }

    fn cached_execute<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }
}

/// A database error, for the operator (never holds a parameter value).
pub(crate) fn db_error(e: rusqlite::Error) -> StoreError {
    StoreError::new(format!("SQLite: {e}"))
}

pub(crate) fn now_text() -> String {
    rfc3339(OffsetDateTime::now_utc())
}

/// `YYYY-MM-DDThh:mm:ssZ`.
pub(crate) fn rfc3339(t: OffsetDateTime) -> String {
    let t = t
        .to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .unwrap_or(t);
    t.format(&Rfc3339).unwrap_or_default()
}

/// Unix seconds as `YYYY-MM-DDThh:mm:ssZ` (empty when out of range).
pub(crate) fn unix_rfc3339(seconds: i64) -> String {
    OffsetDateTime::from_unix_timestamp(seconds)
        .map(rfc3339)
        .unwrap_or_default()
}

/// The database.
pub(crate) struct Store {
    conn: Connection,
    path: Option<std::path::PathBuf>,
    /// The time a certificate-service certificate's status is judged at (`--at`); `None`: the
    /// clock at each look-up.
    at: Option<OffsetDateTime>,
}

pub(crate) fn product_column(product: Option<Product>) -> &'static str {
    product.map_or(EVERY, Product::name)
}

pub(crate) fn status_name(status: &CasStatus) -> String {
    match status {
        CasStatus::Issued => "issued".to_owned(),
        CasStatus::Other(name) => name.clone(),
        // CasStatus is non-exhaustive: a future kind is shown as the library prints it.
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

impl Store {
    /// Opens (creating when absent) the database at `path`, or an in-memory one, and brings
    /// its schema up to date.
    pub(crate) fn open(path: Option<&Path>) -> Result<Store, String> {
        let conn = match path {
            Some(path) => Connection::open(path),
            None => Connection::open_in_memory(),
        }
        .map_err(|e| format!("cannot open the database: {e}"))?;
        let mut store = Store {
            conn,
            path: path.map(Path::to_path_buf),
            at: None,
        };
        schema::migrate(&mut store.conn).map_err(|e| format!("database schema: {e}"))?;
        Ok(store)
    }

    /// Judges certificate-service statuses at `at` (`--at`) instead of the clock.
    pub(crate) fn set_validity_time(&mut self, at: Option<OffsetDateTime>) {
        self.at = at;
    }

    /// Starts a write transaction for one request.
    pub(crate) fn begin(&mut self) -> Result<Tx<'_>, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db_error)?;
        Tx::new(tx, self.at)
    }

    /// The database file (`None` in memory).
    pub(crate) fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Readers of the same database file, for checks that run beside the writer (WAL readers
    /// see a consistent snapshot and never wait for it); `None` for an in-memory database.
    pub(crate) fn readers(&self) -> Option<Readers> {
        // Without WAL (a file system that cannot share its memory), readers would wait on the
        // writer's locks: the checks then run in the writer's transaction, as in memory.
        let mode: String = self
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap_or_default();
        if !mode.eq_ignore_ascii_case("wal") {
            return None;
        }
        self.path
            .as_ref()
            .map(|path| Readers::new(path.clone(), self.at))
    }
}
