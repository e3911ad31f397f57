//! The schema, created and brought up to date by numbered migrations (`PRAGMA user_version`),
//! and the connections to the database file: the writer's settings (WAL, `synchronous=NORMAL`,
//! checkpoints left to the checkpointer thread), a reader's or the checkpointer's.

use std::path::Path;

use cert_preflight::StoreError;
use rusqlite::{Connection, TransactionBehavior};

use super::{Cached, db_error};

/// How long any connection waits for a lock held by another before giving up.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The write-ahead log's size, in pages, past which a commit checkpoints by itself (a
/// safety net: the checkpointer thread normally keeps it far smaller).
const WAL_AUTOCHECKPOINT_PAGES: i64 = 16_384;

/// The migrations, in order; `PRAGMA user_version` is the number applied.
const MIGRATIONS: &[&str] = &[
    // 1: the first schema.
    "CREATE TABLE domains (
        product TEXT NOT NULL,
        name TEXT NOT NULL,
        state TEXT NOT NULL,
        https_off_forbidden INTEGER NOT NULL DEFAULT 0,
        not_effective INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (product, name)
    );
    CREATE TABLE domain_https (
        product TEXT NOT NULL,
        name TEXT NOT NULL,
        https INTEGER NOT NULL,
        cert_name TEXT,
        updated TEXT NOT NULL,
        PRIMARY KEY (product, name)
    );
    CREATE TABLE certificates (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        product TEXT NOT NULL,
        name TEXT NOT NULL,
        cert_id TEXT,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        fingerprint BLOB,
        pem TEXT,
        not_before TEXT,
        not_after TEXT,
        subject_names TEXT,
        issuer_org TEXT,
        created TEXT NOT NULL,
        UNIQUE (product, name)
    );
    CREATE INDEX certificates_fingerprint ON certificates (fingerprint);
    CREATE TABLE faults (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        authentication INTEGER NOT NULL,
        delete_fails INTEGER NOT NULL,
        store_fails INTEGER NOT NULL
    );
    CREATE TABLE requests (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        time TEXT NOT NULL,
        access_key_id TEXT,
        action TEXT,
        domain TEXT,
        code TEXT NOT NULL,
        detail TEXT,
        millis INTEGER NOT NULL
    );",
    // 2: what the page at / shows of a request: its id, message, status and warnings.
    "ALTER TABLE requests ADD COLUMN request_id TEXT;
    ALTER TABLE requests ADD COLUMN message TEXT;
    ALTER TABLE requests ADD COLUMN http_status INTEGER;
    ALTER TABLE requests ADD COLUMN warnings TEXT;",
    // 3: certificate-service entries looked up by id without reading the whole table.
    "CREATE INDEX certificates_cert_id ON certificates (cert_id) WHERE cert_id IS NOT NULL;",
    // 4: the certificate service's own uploads (UploadUserCertificate): an instance id, the
    // site (`cn-hangzhou`, `ap-southeast-1`), a resource group, and the key only when the
    // server keeps keys (`--keep-keys`); a domain set with CertType=cas names the certificate
    // by its id.
    "ALTER TABLE certificates ADD COLUMN instance_id TEXT;
    ALTER TABLE certificates ADD COLUMN region TEXT;
    ALTER TABLE certificates ADD COLUMN resource_group_id TEXT;
    ALTER TABLE certificates ADD COLUMN private_key TEXT;
    ALTER TABLE domain_https ADD COLUMN cert_id TEXT;",
    // 5: Classic Load Balancer's server certificates (UploadServerCertificate), per region,
    // names not unique: the chain as the library checked it (never a key), or the
    // certificate-service certificate it was made from; the rest is the action's own.
    "CREATE TABLE server_certificates (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        pem TEXT,
        ali_cloud_id TEXT,
        ali_cloud_name TEXT,
        ali_cloud_region TEXT,
        resource_group_id TEXT NOT NULL,
        tags TEXT NOT NULL,
        created_ms INTEGER NOT NULL
    );
    CREATE INDEX server_certificates_region ON server_certificates (region, seq);",
];

/// Sets the writer's connection up and applies the migrations it has not had.
pub(super) fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")
        .or_else(|_| conn.pragma_update(None, "journal_mode", "MEMORY"))?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // Checkpoints are the checkpointer thread's (`crate::writer`), beside the writer; a
    // commit runs one itself only if the log passes this many pages (about 64 MiB), and a
    // log reset is cut back to 64 MiB.
    conn.pragma_update(None, "wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES)?;
    conn.pragma_update(None, "journal_size_limit", 64_i64 << 20)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for (index, sql) in MIGRATIONS.iter().enumerate() {
        let number = i64::try_from(index).unwrap_or(i64::MAX).saturating_add(1);
        if number > version {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", number)?;
        }
    }
    tx.commit()
}

/// Copies the write-ahead log's committed pages into the database file at `path` without
/// waiting for the writer or the readers (`PRAGMA wal_checkpoint(PASSIVE)`), on a connection
/// of its own; returns the log's size and the pages copied.
pub(crate) fn checkpoint(conn: &Connection) -> Result<(i64, i64), StoreError> {
    conn.cached_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
        Ok((r.get(1)?, r.get(2)?))
    })
    .map_err(db_error)
}

/// Another connection to the database file at `path` (a reader's, the checkpointer's), with
/// the writer's busy timeout.
pub(crate) fn connect(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path).map_err(db_error)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(db_error)?;
    Ok(conn)
}
