//! The endpoint's state in SQLite: the domain directory, the stored certificates, the HTTPS
//! setting of each domain, the simulated faults and a bounded log of the last requests.
//!
//! The schema is created by numbered migrations (`PRAGMA user_version`); the database runs in
//! WAL mode. The library's checks read the state through [`View`] (a read connection's
//! snapshot) or [`Tx`] (the write transaction), both implementing the library's state traits.
//! Changes are made in `BEGIN IMMEDIATE` transactions by one writer (`crate::writer`), each
//! request under a savepoint of its own, so of N simultaneous uploads under one new name
//! exactly one is stored. No private key byte is ever written: certificates are stored as their
//! chain's PEM and the leaf's SHA-256.

use std::collections::BTreeMap;
use std::path::Path;

use cert_preflight::{
    CasRef, CasStatus, CertKind, CertificateStore, DomainDirectory, DomainInfo, DomainStatus,
    FaultFlags, Faults, InMemoryState, Product, StoreError, StoredCertificate,
};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use serde_json::{Map, Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The product column's value for a row of every product.
const EVERY: &str = "*";

/// How many requests the log keeps.
pub(crate) const REQUEST_LOG_CAPACITY: i64 = 1000;

/// How many requests the page at `/` shows.
pub(crate) const PAGE_REQUESTS: i64 = 200;

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
];

/// Statements prepared once per connection and kept (SQLite's parse and plan are a large part
/// of a small query's cost).
trait Cached {
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
fn db_error(e: rusqlite::Error) -> StoreError {
    StoreError::new(format!("SQLite: {e}"))
}

fn now_text() -> String {
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

/// The database.
pub(crate) struct Store {
    conn: Connection,
    path: Option<std::path::PathBuf>,
}

/// What an accepted request changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Change {
    /// HTTPS on with this certificate.
    On(String),
    /// HTTPS off, certificate cleared.
    Off,
}

/// The public facts of an uploaded certificate, stored beside it (never the key).
#[derive(Debug, Clone, Default)]
pub(crate) struct CertDetails {
    /// The chain as uploaded (certificates only).
    pub(crate) pem: String,
    /// notBefore, RFC 3339.
    pub(crate) not_before: Option<String>,
    /// notAfter, RFC 3339.
    pub(crate) not_after: Option<String>,
    /// Subject CN and DNS names, comma-separated, CN first.
    pub(crate) subject_names: Option<String>,
    /// The issuer's organization.
    pub(crate) issuer_org: Option<String>,
}

impl CertDetails {
    /// The details of a PEM chain (its first certificate is the leaf).
    pub(crate) fn of_pem(pem: &str) -> CertDetails {
        match first_certificate_der(pem) {
            Some(leaf) => CertDetails::of_chain(pem, &leaf),
            None => CertDetails {
                pem: certificates_only(pem),
                ..CertDetails::default()
            },
        }
    }

    /// The details of a PEM chain whose leaf's DER is `leaf` (the library's parse gave it).
    pub(crate) fn of_chain(pem: &str, leaf: &[u8]) -> CertDetails {
        let mut details = CertDetails {
            pem: certificates_only(pem),
            ..CertDetails::default()
        };
        if let Ok((_, cert)) = x509_parser::parse_x509_certificate(leaf) {
            let validity = cert.validity();
            details.not_before = Some(rfc3339(validity.not_before.to_datetime()));
            details.not_after = Some(rfc3339(validity.not_after.to_datetime()));
            let mut names: Vec<String> = cert
                .subject()
                .iter_common_name()
                .filter_map(|cn| cn.as_str().ok().map(str::to_owned))
                .collect();
            if let Ok(Some(san)) = cert.subject_alternative_name() {
                for name in &san.value.general_names {
                    if let x509_parser::extensions::GeneralName::DNSName(dns) = name
                        && !names.iter().any(|n| n == dns)
                    {
                        names.push((*dns).to_owned());
                    }
                }
            }
            details.subject_names = Some(names.join(","));
            details.issuer_org = cert
                .issuer()
                .iter_organization()
                .find_map(|o| o.as_str().ok().map(str::to_owned));
        }
        details
    }
}

/// The `CERTIFICATE` blocks of a PEM text, nothing else (a key pasted by mistake is dropped).
fn certificates_only(pem: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in pem.lines() {
        let line = line.trim_end_matches('\r');
        if line.starts_with("-----BEGIN CERTIFICATE-----") {
            inside = true;
        }
        if inside {
            out.push_str(line);
            out.push('\n');
        }
        if line.starts_with("-----END CERTIFICATE-----") {
            inside = false;
        }
    }
    out
}

/// The DER of the first `CERTIFICATE` block.
fn first_certificate_der(pem: &str) -> Option<Vec<u8>> {
    use rustls_pki_types::CertificateDer;
    use rustls_pki_types::pem::PemObject;
    CertificateDer::pem_slice_iter(pem.as_bytes())
        .next()?
        .ok()
        .map(|c| c.to_vec())
}

fn product_column(product: Option<Product>) -> &'static str {
    product.map_or(EVERY, Product::name)
}

fn status_name(status: &CasStatus) -> String {
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
        };
        store
            .migrate()
            .map_err(|e| format!("database schema: {e}"))?;
        Ok(store)
    }

    fn migrate(&mut self) -> rusqlite::Result<()> {
        self.conn
            .pragma_update(None, "journal_mode", "WAL")
            .or_else(|_| self.conn.pragma_update(None, "journal_mode", "MEMORY"))?;
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        // Checkpoints are the checkpointer thread's (`crate::writer`), beside the writer; a
        // commit runs one itself only if the log passes this many pages (about 64 MiB), and a
        // log reset is cut back to 64 MiB.
        self.conn
            .pragma_update(None, "wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES)?;
        self.conn
            .pragma_update(None, "journal_size_limit", 64_i64 << 20)?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (index, sql) in MIGRATIONS.iter().enumerate() {
            let number = i64::try_from(index).unwrap_or(i64::MAX).saturating_add(1);
            if number > version {
                tx.execute_batch(sql)?;
                tx.pragma_update(None, "user_version", number)?;
            }
        }
        tx.commit()
    }

    /// Starts a write transaction for one request.
    pub(crate) fn begin(&mut self) -> Result<Tx<'_>, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db_error)?;
        let (faults, any_domains) = view_state(&tx)?;
        Ok(Tx {
            tx,
            faults,
            any_domains,
            pending: None,
            last_log: None,
            broken: false,
        })
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
        self.path.as_ref().map(|path| Readers {
            path: path.clone(),
            idle: std::sync::Mutex::new(Vec::new()),
        })
    }

    /// Applies a contract section-7 document: its domains and faults (when present) replace
    /// the stored ones, its certificates are added (replacing one of the same name).
    pub(crate) fn apply_state(&mut self, text: &str) -> Result<(), String> {
        let state = InMemoryState::from_json(text).map_err(|e| e.to_string())?;
        let pems = pems_by_name(text);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| e.to_string())?;
        write_state(&tx, &state, &pems).map_err(|e| e.to_string())?;
        tx.commit().map_err(|e| e.to_string())
    }

    /// Replaces the whole state with a document (`PUT /_preflight/state`).
    pub(crate) fn replace_state(&mut self, text: &str) -> Result<(), String> {
        let state = InMemoryState::from_json(text).map_err(|e| e.to_string())?;
        let pems = pems_by_name(text);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| e.to_string())?;
        clear(&tx).map_err(|e| e.to_string())?;
        write_state(&tx, &state, &pems).map_err(|e| e.to_string())?;
        tx.commit().map_err(|e| e.to_string())
    }

    /// Empties the state (the request log stays).
    pub(crate) fn reset(&mut self) -> Result<(), String> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| e.to_string())?;
        clear(&tx).map_err(|e| e.to_string())?;
        tx.commit().map_err(|e| e.to_string())
    }

    /// The state as a contract section-7 document (certificates as PEM chains, no keys).
    pub(crate) fn export_state(&self) -> rusqlite::Result<Value> {
        let mut domains = Map::new();
        let mut stmt = self.conn.prepare(
            "SELECT product, name, state, https_off_forbidden, not_effective FROM domains
             ORDER BY name, product",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, bool>(3)?,
                r.get::<_, bool>(4)?,
            ))
        })?;
        for row in rows {
            let (product, name, state, off_forbidden, not_effective) = row?;
            let entry = domains.entry(name).or_insert_with(|| {
                json!({
                    "state": state,
                    "https_off_forbidden": off_forbidden,
                    "not_effective": not_effective,
                })
            });
            if product != EVERY
                && let Some(object) = entry.as_object_mut()
            {
                let products = object
                    .entry("products")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Some(list) = products.as_array_mut() {
                    list.push(Value::String(product));
                }
            }
        }
        let mut certificates = Vec::new();
        let mut stmt = self.conn.prepare(
            "SELECT product, name, kind, status, pem, cert_id FROM certificates ORDER BY seq",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?;
        for row in rows {
            let (product, name, kind, status, pem, id) = row?;
            let mut object = Map::new();
            object.insert("name".into(), Value::String(name));
            object.insert("type".into(), Value::String(kind));
            object.insert("status".into(), Value::String(status));
            if let Some(pem) = pem.filter(|p| !p.is_empty()) {
                object.insert("pem".into(), Value::String(pem));
            }
            if let Some(id) = id {
                object.insert("id".into(), Value::String(id));
            }
            if product != EVERY {
                object.insert("products".into(), json!([product]));
            }
            certificates.push(Value::Object(object));
        }
        let faults = self
            .conn
            .cached_row(
                "SELECT authentication, delete_fails, store_fails FROM faults WHERE id = 1",
                [],
                |r| {
                    Ok(json!({
                        "authentication": r.get::<_, bool>(0)?,
                        "delete": r.get::<_, bool>(1)?,
                        "store": r.get::<_, bool>(2)?,
                    }))
                },
            )
            .optional()?;
        let mut document = Map::new();
        if !domains.is_empty() {
            document.insert("domains".into(), Value::Object(domains));
        }
        document.insert("certificates".into(), Value::Array(certificates));
        if let Some(faults) = faults {
            document.insert("faults".into(), faults);
        }
        Ok(Value::Object(document))
    }

    /// The HTTPS setting of `domain` in `product` with its certificate, if the domain has one.
    #[cfg(test)]
    pub(crate) fn domain_certificate(
        &self,
        product: Product,
        domain: &str,
    ) -> rusqlite::Result<Option<DomainCertificate>> {
        domain_certificate(&self.conn, product, domain)
    }

    /// What the page at `/` shows: every domain with its certificate, every certificate, and the
    /// last [`PAGE_REQUESTS`] requests.
    pub(crate) fn page(
        &self,
        now: OffsetDateTime,
        validity_at: OffsetDateTime,
        filter: crate::page::Filter,
    ) -> rusqlite::Result<crate::page::Page> {
        use crate::page::{CertificateRow, DomainRow, Page, Refusal, RequestRow};
        let unix = |text: Option<String>| {
            text.and_then(|t| OffsetDateTime::parse(&t, &Rfc3339).ok())
                .map(OffsetDateTime::unix_timestamp)
        };
        let names = |text: Option<String>| -> Vec<String> {
            text.map(|t| {
                t.split(',')
                    .filter(|n| !n.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
        };
        let mut certificates = Vec::new();
        let mut stmt = self.conn.prepare(
            "SELECT product, name, kind, subject_names, issuer_org, not_before, not_after,
                    fingerprint FROM certificates ORDER BY seq",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let product: String = r.get(0)?;
            let fingerprint: Option<Vec<u8>> = r.get(7)?;
            certificates.push(CertificateRow {
                product: (product != EVERY).then_some(product),
                name: r.get(1)?,
                kind: r.get(2)?,
                subject_names: names(r.get(3)?),
                issuer: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                not_before: unix(r.get(5)?),
                not_after: unix(r.get(6)?),
                fingerprint: fingerprint.map(|f| f.iter().map(|b| format!("{b:02x}")).collect()),
            });
        }
        let mut domains = Vec::new();
        let mut stmt = self.conn.prepare(
            "SELECT product, name, state FROM domains
             UNION SELECT product, name, NULL FROM domain_https
                   WHERE (product, name) NOT IN (SELECT product, name FROM domains)
             ORDER BY 2, 1",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let product: String = r.get(0)?;
            let name: String = r.get(1)?;
            let state: Option<String> = r.get(2)?;
            let setting = Product::from_name(&product)
                .map(|p| domain_certificate(&self.conn, p, &name))
                .transpose()?
                .flatten();
            let certificate = setting.as_ref().and_then(|s| {
                let cert = s.certificate.as_ref()?;
                Some(CertificateRow {
                    product: Some(product.clone()),
                    name: s.cert_name.clone().unwrap_or_default(),
                    kind: cert.kind.clone(),
                    subject_names: names(cert.subject_names.clone()),
                    issuer: cert.issuer_org.clone().unwrap_or_default(),
                    not_before: unix(cert.not_before.clone()),
                    not_after: unix(cert.not_after.clone()),
                    fingerprint: None,
                })
            });
            domains.push(DomainRow {
                product: if product == EVERY {
                    "every product".to_owned()
                } else {
                    product
                },
                name,
                state: state.unwrap_or_else(|| "online".to_owned()),
                https: setting.as_ref().is_some_and(|s| s.https),
                certificate,
            });
        }
        let requests = self
            .recent_requests(PAGE_REQUESTS)?
            .into_iter()
            .map(|e| RequestRow {
                id: e.request_id,
                time: unix(Some(e.time)).unwrap_or(0),
                access_key_id: e.access_key_id.unwrap_or_default(),
                action: e.action.unwrap_or_default(),
                domain: e.domain.unwrap_or_default(),
                refusal: (e.code != "OK").then(|| Refusal {
                    code: e.code,
                    message: e.message.unwrap_or_default(),
                    http_status: u16::try_from(e.http_status).unwrap_or(400),
                    detail: e.detail.unwrap_or_default(),
                }),
                warnings: e.warnings,
            })
            .collect();
        Ok(Page {
            now,
            validity_at,
            version: env!("CARGO_PKG_VERSION").to_owned(),
            domains,
            certificates,
            requests,
            filter,
        })
    }

    /// Appends a request to the log in a transaction of its own, keeping the last
    /// [`REQUEST_LOG_CAPACITY`].
    #[cfg(test)]
    pub(crate) fn log_request(&mut self, entry: &LogEntry) -> Result<(), StoreError> {
        let mut tx = self.begin()?;
        tx.log(entry)?;
        tx.commit()
    }

    /// The last `limit` requests, newest first.
    pub(crate) fn recent_requests(&self, limit: i64) -> rusqlite::Result<Vec<LogEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT time, access_key_id, action, domain, code, detail, millis, request_id,
                    message, http_status, warnings FROM requests
             ORDER BY seq DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map(params![limit], |r| {
            let warnings: Option<String> = r.get(10)?;
            Ok(LogEntry {
                time: r.get(0)?,
                access_key_id: r.get(1)?,
                action: r.get(2)?,
                domain: r.get(3)?,
                code: r.get(4)?,
                detail: r.get(5)?,
                millis: r.get(6)?,
                request_id: r.get::<_, Option<String>>(7)?.unwrap_or_default(),
                message: r.get(8)?,
                http_status: r.get::<_, Option<i64>>(9)?.unwrap_or(200),
                warnings: warnings
                    .and_then(|w| serde_json::from_str(&w).ok())
                    .unwrap_or_default(),
            })
        })?;
        rows.collect()
    }
}

/// Inserts `entry` into the request log; returns its sequence number.
fn insert_log(conn: &Connection, entry: &LogEntry) -> rusqlite::Result<i64> {
    let warnings = (!entry.warnings.is_empty())
        .then(|| serde_json::to_string(&entry.warnings).unwrap_or_default());
    conn.cached_execute(
        "INSERT INTO requests (time, access_key_id, action, domain, code, detail, millis,
                               request_id, message, http_status, warnings)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            entry.time,
            entry.access_key_id,
            entry.action,
            entry.domain,
            entry.code,
            entry.detail,
            entry.millis,
            entry.request_id,
            entry.message,
            entry.http_status,
            warnings
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The HTTPS setting of `domain` in `product` with its certificate, if the domain has one.
fn domain_certificate(
    conn: &Connection,
    product: Product,
    domain: &str,
) -> rusqlite::Result<Option<DomainCertificate>> {
    let https = conn
        .cached_row(
            "SELECT https, cert_name, updated FROM domain_https WHERE product = ?1 AND name = ?2",
            params![product.name(), domain.to_ascii_lowercase()],
            |r| {
                Ok((
                    r.get::<_, bool>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, String>(2)?,
                ))
            },
        )
        .optional()?;
    let Some((https, cert_name, updated)) = https else {
        return Ok(None);
    };
    let certificate = match &cert_name {
        None => None,
        Some(name) => conn.cached_row(
            // The product's own row before one of every product (see `View::domain`).
            "SELECT kind, pem, not_before, not_after, subject_names, issuer_org, cert_id,
                        min(product = ?2)
                 FROM certificates WHERE product IN (?1, ?2) AND name = ?3",
            params![product.name(), EVERY, name],
            |r| {
                r.get::<_, Option<String>>(0)?
                    .map(|kind| -> rusqlite::Result<CertRow> {
                        Ok(CertRow {
                            kind,
                            pem: r.get(1)?,
                            not_before: r.get(2)?,
                            not_after: r.get(3)?,
                            subject_names: r.get(4)?,
                            issuer_org: r.get(5)?,
                            id: r.get(6)?,
                        })
                    })
                    .transpose()
            },
        )?,
    };
    Ok(Some(DomainCertificate {
        https,
        cert_name,
        updated,
        certificate,
    }))
}

/// One logged request (no key byte: the detail is the library's, or the gateway's code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LogEntry {
    pub(crate) time: String,
    pub(crate) access_key_id: Option<String>,
    pub(crate) action: Option<String>,
    pub(crate) domain: Option<String>,
    /// The error code, or `OK`.
    pub(crate) code: String,
    pub(crate) detail: Option<String>,
    pub(crate) millis: i64,
    /// The answer's `RequestId`.
    pub(crate) request_id: String,
    /// The service's message, when refused.
    pub(crate) message: Option<String>,
    /// The HTTP status of the answer.
    pub(crate) http_status: i64,
    /// The check's warnings: (code, text).
    pub(crate) warnings: Vec<(String, String)>,
}

impl LogEntry {
    /// The entry of a request that has just come in: its id and time, nothing known yet.
    pub(crate) fn new(request_id: String) -> LogEntry {
        LogEntry {
            time: rfc3339(OffsetDateTime::now_utc()),
            access_key_id: None,
            action: None,
            domain: None,
            code: String::new(),
            detail: None,
            millis: 0,
            request_id,
            message: None,
            http_status: 200,
            warnings: Vec::new(),
        }
    }

    /// As JSON for `GET /_preflight/requests`.
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "time": self.time,
            "access_key_id": self.access_key_id,
            "action": self.action,
            "domain": self.domain,
            "code": self.code,
            "detail": self.detail,
            "millis": self.millis,
            "request_id": self.request_id,
            "message": self.message,
            "http_status": self.http_status,
            "warnings": self.warnings,
        })
    }
}

/// A stored certificate, as the read-back APIs show it.
#[derive(Debug, Clone)]
pub(crate) struct CertRow {
    pub(crate) kind: String,
    pub(crate) pem: Option<String>,
    pub(crate) not_before: Option<String>,
    pub(crate) not_after: Option<String>,
    pub(crate) subject_names: Option<String>,
    pub(crate) issuer_org: Option<String>,
    pub(crate) id: Option<String>,
}

/// A domain's HTTPS setting.
#[derive(Debug, Clone)]
pub(crate) struct DomainCertificate {
    pub(crate) https: bool,
    pub(crate) cert_name: Option<String>,
    pub(crate) updated: String,
    pub(crate) certificate: Option<CertRow>,
}

/// The `pem` of each certificate of a state document, by name.
fn pems_by_name(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Ok(Value::Object(document)) = serde_json::from_str::<Value>(text)
        && let Some(Value::Array(certificates)) = document.get("certificates")
    {
        for certificate in certificates {
            if let (Some(Value::String(name)), Some(Value::String(pem))) =
                (certificate.get("name"), certificate.get("pem"))
            {
                out.insert(name.clone(), pem.clone());
            }
        }
    }
    out
}

fn clear(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "DELETE FROM domains; DELETE FROM domain_https; DELETE FROM certificates;
         DELETE FROM faults;",
    )
}

fn write_state(
    tx: &Transaction<'_>,
    state: &InMemoryState,
    pems: &BTreeMap<String, String>,
) -> rusqlite::Result<()> {
    if let Some(domains) = &state.domains {
        tx.cached_execute("DELETE FROM domains", [])?;
        for (product, name, info) in domains.iter() {
            tx.cached_execute(
                "INSERT OR REPLACE INTO domains
                 (product, name, state, https_off_forbidden, not_effective)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    product_column(product),
                    name,
                    info.status.name(),
                    info.https_off_forbidden,
                    info.not_effective
                ],
            )?;
        }
    }
    if let Some(certificates) = &state.certificates {
        for certificate in certificates {
            let details = pems.get(&certificate.name).map(|p| CertDetails::of_pem(p));
            insert_certificate(tx, certificate, details.as_ref())?;
        }
    }
    if let Some(faults) = state.faults {
        tx.cached_execute(
            "INSERT OR REPLACE INTO faults (id, authentication, delete_fails, store_fails)
             VALUES (1, ?1, ?2, ?3)",
            params![faults.authentication, faults.delete, faults.store],
        )?;
    }
    Ok(())
}

/// Stores `certificate`, replacing one of the same name visible to its product (what
/// `ForceSet=1` does and what the in-memory store does).
fn insert_certificate(
    tx: &Transaction<'_>,
    certificate: &StoredCertificate,
    details: Option<&CertDetails>,
) -> rusqlite::Result<()> {
    let product = product_column(certificate.product);
    if certificate.product.is_some() {
        tx.cached_execute(
            "DELETE FROM certificates WHERE (product = ?1 OR product = ?2) AND name = ?3",
            params![product, EVERY, certificate.name],
        )?;
    } else {
        tx.cached_execute(
            "DELETE FROM certificates WHERE product = ?1 AND name = ?2",
            params![EVERY, certificate.name],
        )?;
    }
    tx.cached_execute(
        "INSERT INTO certificates (product, name, cert_id, kind, status, fingerprint, pem,
         not_before, not_after, subject_names, issuer_org, created)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            product,
            certificate.name,
            certificate.id,
            certificate.kind.name(),
            status_name(&certificate.status),
            certificate.fingerprint.map(|f| f.to_vec()),
            details.map(|d| d.pem.as_str()),
            details.and_then(|d| d.not_before.as_deref()),
            details.and_then(|d| d.not_after.as_deref()),
            details.and_then(|d| d.subject_names.as_deref()),
            details.and_then(|d| d.issuer_org.as_deref()),
            now_text(),
        ],
    )?;
    Ok(())
}

/// One request's transaction: the library's state traits on it.
pub(crate) struct Tx<'c> {
    tx: Transaction<'c>,
    faults: FaultFlags,
    any_domains: bool,
    /// The public details of the upload about to be recorded.
    pending: Option<CertDetails>,
    /// The sequence number of the last request logged in this transaction.
    last_log: Option<i64>,
    /// Set when a request's changes could not be undone.
    broken: bool,
}

impl Tx<'_> {
    /// The details [`CertificateStore::save`] writes beside the next certificate.
    pub(crate) fn set_pending(&mut self, details: CertDetails) {
        self.pending = Some(details);
    }

    /// Runs `sql` as is: for the writer's tests.
    #[cfg(test)]
    pub(crate) fn raw(&self, sql: &str) -> Result<(), StoreError> {
        self.tx.execute_batch(sql).map_err(db_error)
    }

    /// Sets `domain`'s HTTPS setting in `product`.
    pub(crate) fn set_https(
        &mut self,
        product: Product,
        domain: &str,
        change: &Change,
    ) -> Result<(), StoreError> {
        let (https, cert) = match change {
            Change::On(name) => (true, Some(name.as_str())),
            Change::Off => (false, None),
        };
        self.tx
            .cached_execute(
                "INSERT OR REPLACE INTO domain_https (product, name, https, cert_name, updated)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    product.name(),
                    domain.to_ascii_lowercase(),
                    https,
                    cert,
                    now_text()
                ],
            )
            .map(|_| ())
            .map_err(db_error)
    }

    /// Appends a request to the log (the oldest beyond [`REQUEST_LOG_CAPACITY`] go at commit).
    pub(crate) fn log(&mut self, entry: &LogEntry) -> Result<(), StoreError> {
        self.last_log = Some(insert_log(&self.tx, entry).map_err(db_error)?);
        Ok(())
    }

    /// Marks where [`Tx::rollback_to_mark`] returns to: one request's changes within a
    /// transaction that commits several (group commit).
    pub(crate) fn mark(&mut self) -> Result<(), StoreError> {
        self.pending = None;
        self.tx
            .cached_execute("SAVEPOINT request", [])
            .map(|_| ())
            .map_err(db_error)
    }

    /// Keeps what was done since [`Tx::mark`].
    pub(crate) fn release_mark(&mut self) -> Result<(), StoreError> {
        self.tx
            .cached_execute("RELEASE request", [])
            .map(|_| ())
            .map_err(db_error)
    }

    /// Undoes what was done since [`Tx::mark`]. When that fails, the transaction is
    /// [`Tx::lost`].
    pub(crate) fn rollback_to_mark(&mut self) -> Result<(), StoreError> {
        self.pending = None;
        let undone = self
            .tx
            .execute_batch("ROLLBACK TO request; RELEASE request")
            .map_err(db_error);
        if undone.is_err() {
            self.broken = true;
        }
        undone
    }

    /// Whether the transaction can no longer be trusted to commit only what was kept: SQLite
    /// rolled it back by itself (a full disk, an I/O error, no memory close the transaction
    /// and its savepoints), or a request's changes could not be undone.
    pub(crate) fn lost(&self) -> bool {
        self.broken || self.tx.is_autocommit()
    }

    /// Drops the log's oldest requests beyond [`REQUEST_LOG_CAPACITY`], then commits.
    pub(crate) fn commit(self) -> Result<(), StoreError> {
        if let Some(last) = self.last_log {
            self.tx
                .cached_execute(
                    "DELETE FROM requests WHERE seq <= ?1",
                    params![last.saturating_sub(REQUEST_LOG_CAPACITY)],
                )
                .map_err(db_error)?;
        }
        self.tx.commit().map_err(db_error)
    }
}

/// The library's state traits on a connection (a write transaction's, or a reader's).
pub(crate) struct View<'c> {
    conn: &'c Connection,
    faults: FaultFlags,
    any_domains: bool,
}

/// The faults and whether any domain is listed, as a view answers them.
fn view_state(conn: &Connection) -> Result<(FaultFlags, bool), StoreError> {
    let faults = conn
        .prepare_cached("SELECT authentication, delete_fails, store_fails FROM faults WHERE id = 1")
        .and_then(|mut stmt| {
            stmt.query_row([], |r| {
                Ok(FaultFlags {
                    authentication: r.get(0)?,
                    delete: r.get(1)?,
                    store: r.get(2)?,
                })
            })
            .optional()
        })
        .map_err(db_error)?
        .unwrap_or_default();
    let any_domains = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM domains)")
        .and_then(|mut stmt| stmt.query_row([], |r| r.get(0)))
        .map_err(db_error)?;
    Ok((faults, any_domains))
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

/// A pool of read connections to the database file.
pub(crate) struct Readers {
    path: std::path::PathBuf,
    idle: std::sync::Mutex<Vec<Connection>>,
}

impl Readers {
    /// Runs `f` on a view of one consistent snapshot (a read transaction), on a pooled
    /// connection.
    pub(crate) fn with<T>(&self, f: impl FnOnce(&View<'_>) -> T) -> Result<T, StoreError> {
        let pooled = self
            .idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop();
        let conn = match pooled {
            Some(conn) => conn,
            None => {
                let conn = connect(&self.path)?;
                conn.pragma_update(None, "query_only", true)
                    .map_err(db_error)?;
                conn
            }
        };
        conn.cached_execute("BEGIN", []).map_err(db_error)?;
        // The snapshot begins at the first read: the faults and the domains' presence are read
        // from it, as the checks' other look-ups are (a copy kept across snapshots could pair
        // an admin change's faults with another state's tables).
        let state = view_state(&conn);
        let answer = state.map(|(faults, any_domains)| {
            f(&View {
                conn: &conn,
                faults,
                any_domains,
            })
        });
        let ended = conn.cached_execute("COMMIT", []);
        if ended.is_ok() {
            self.idle
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(conn);
        }
        answer
    }
}

impl View<'_> {
    /// The HTTPS setting of `domain` in `product` with its certificate, if the domain has one.
    pub(crate) fn domain_certificate(
        &self,
        product: Product,
        domain: &str,
    ) -> rusqlite::Result<Option<DomainCertificate>> {
        domain_certificate(self.conn, product, domain)
    }
}

impl Tx<'_> {
    /// The state traits on this transaction.
    pub(crate) fn view(&self) -> View<'_> {
        View {
            conn: &self.tx,
            faults: self.faults,
            any_domains: self.any_domains,
        }
    }
}

impl DomainDirectory for Tx<'_> {
    fn domain(&self, product: Product, domain: &str) -> Result<DomainInfo, StoreError> {
        self.view().domain(product, domain)
    }
}

impl CertificateStore for Tx<'_> {
    fn name_taken(&self, product: Product, name: &str) -> Result<Option<CertKind>, StoreError> {
        self.view().name_taken(product, name)
    }

    fn content_stored(
        &self,
        product: Product,
        fingerprint: &[u8; 32],
    ) -> Result<Option<String>, StoreError> {
        self.view().content_stored(product, fingerprint)
    }

    fn cas_certificate(
        &self,
        product: Product,
        cas: CasRef<'_>,
    ) -> Result<Option<CasStatus>, StoreError> {
        self.view().cas_certificate(product, cas)
    }

    fn save(
        &mut self,
        _product: Product,
        certificate: StoredCertificate,
    ) -> Result<(), StoreError> {
        let details = self.pending.take();
        insert_certificate(&self.tx, &certificate, details.as_ref()).map_err(db_error)
    }
}

impl Faults for Tx<'_> {
    fn authentication_fails(&self) -> bool {
        self.faults.authentication
    }

    fn delete_fails(&self) -> bool {
        self.faults.delete
    }

    fn store_fails(&self) -> bool {
        self.faults.store
    }
}

impl DomainDirectory for View<'_> {
    fn domain(&self, product: Product, domain: &str) -> Result<DomainInfo, StoreError> {
        if !self.any_domains {
            return Ok(DomainInfo::default());
        }
        let row = self
            .conn
            .cached_row(
                // Point lookups in the primary key; the product's own row wins over the row of
                // every product (the bare columns of `min()` come from its row); no row gives
                // one row of NULLs.
                "SELECT state, https_off_forbidden, not_effective, min(product = ?2) FROM domains
                 WHERE product IN (?1, ?2) AND name = ?3",
                params![product.name(), EVERY, domain.to_ascii_lowercase()],
                |r| {
                    Ok(match r.get::<_, Option<String>>(0)? {
                        None => None,
                        Some(state) => Some((state, r.get::<_, bool>(1)?, r.get::<_, bool>(2)?)),
                    })
                },
            )
            .map_err(db_error)?;
        Ok(match row {
            None => DomainInfo {
                status: DomainStatus::NotFound,
                ..DomainInfo::default()
            },
            Some((state, https_off_forbidden, not_effective)) => DomainInfo {
                status: DomainStatus::from_name(&state).ok_or_else(|| {
                    StoreError::new(format!("unknown domain state {state:?} in the database"))
                })?,
                https_off_forbidden,
                not_effective,
            },
        })
    }
}

impl CertificateStore for View<'_> {
    fn name_taken(&self, product: Product, name: &str) -> Result<Option<CertKind>, StoreError> {
        // Two point lookups in the (product, name) index; `kind` is the first stored's (the
        // bare column of a `min()` aggregate comes from the row with the minimum), without
        // sorting the rows as `ORDER BY seq` does; no row gives one row of NULLs.
        let kind: Option<String> = self
            .conn
            .cached_row(
                "SELECT kind, min(seq) FROM certificates WHERE product IN (?1, ?2) AND name = ?3",
                params![product.name(), EVERY, name],
                |r| r.get(0),
            )
            .map_err(db_error)?;
        Ok(kind.map(|k| CertKind::from_name(&k).unwrap_or(CertKind::Upload)))
    }

    fn content_stored(
        &self,
        product: Product,
        fingerprint: &[u8; 32],
    ) -> Result<Option<String>, StoreError> {
        self.conn
            .cached_row(
                "SELECT name FROM certificates WHERE (product = ?1 OR product = ?2)
                 AND fingerprint = ?3 ORDER BY seq LIMIT 1",
                params![product.name(), EVERY, fingerprint.to_vec()],
                |r| r.get(0),
            )
            .optional()
            .map_err(db_error)
    }

    fn cas_certificate(
        &self,
        product: Product,
        cas: CasRef<'_>,
    ) -> Result<Option<CasStatus>, StoreError> {
        let (column, value) = match cas {
            CasRef::Name(name) => ("name", name),
            CasRef::Id(id) => ("cert_id", id),
            #[allow(unreachable_patterns)]
            _ => return Ok(None),
        };
        let status: Option<String> = self
            .conn
            .cached_row(
                &format!(
                    "SELECT status, min(seq) FROM certificates WHERE kind = 'cas'
                     AND product IN (?1, ?2) AND {column} = ?3"
                ),
                params![product.name(), EVERY, value],
                |r| r.get(0),
            )
            .map_err(db_error)?;
        Ok(status.map(|s| CasStatus::from_name(&s)))
    }

    fn save(&mut self, _: Product, _: StoredCertificate) -> Result<(), StoreError> {
        Err(StoreError::new("a read view cannot store"))
    }
}

impl Faults for View<'_> {
    fn authentication_fails(&self) -> bool {
        self.faults.authentication
    }

    fn delete_fails(&self) -> bool {
        self.faults.delete
    }

    fn store_fails(&self) -> bool {
        self.faults.store
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATE: &str = r#"{
        "domains": {
            "a.example.com": {"state": "offline"},
            "b.example.com": {"state": "online", "products": ["live"]}
        },
        "certificates": [{"name": "old", "type": "cas", "status": "expired", "products": ["cdn"]}],
        "faults": {"store": true}
    }"#;

    #[test]
    fn migrations_are_idempotent_and_state_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite");
        {
            let mut store = Store::open(Some(&path)).unwrap();
            store.apply_state(STATE).unwrap();
        }
        let mut store = Store::open(Some(&path)).unwrap();
        let exported = store.export_state().unwrap();
        assert_eq!(exported["domains"]["a.example.com"]["state"], "offline");
        assert_eq!(
            exported["domains"]["b.example.com"]["products"],
            json!(["live"])
        );
        assert_eq!(exported["certificates"][0]["name"], "old");
        assert_eq!(exported["faults"]["store"], true);
        // What it exports, it reads back.
        store.replace_state(&exported.to_string()).unwrap();
        assert_eq!(store.export_state().unwrap(), exported);
        store.reset().unwrap();
        assert_eq!(store.export_state().unwrap(), json!({"certificates": []}));
    }

    #[test]
    fn directory_and_store_on_a_transaction() {
        let mut store = Store::open(None).unwrap();
        {
            let tx = store.begin().unwrap();
            // No domains: every domain is online.
            assert_eq!(
                tx.domain(Product::Cdn, "x.example").unwrap().status,
                DomainStatus::Online
            );
        }
        store.apply_state(STATE).unwrap();
        let mut tx = store.begin().unwrap();
        assert_eq!(
            tx.domain(Product::Cdn, "A.example.com").unwrap().status,
            DomainStatus::Offline
        );
        assert_eq!(
            tx.domain(Product::Cdn, "b.example.com").unwrap().status,
            DomainStatus::NotFound
        );
        assert_eq!(
            tx.domain(Product::Live, "b.example.com").unwrap().status,
            DomainStatus::Online
        );
        assert!(tx.store_fails());
        assert_eq!(
            tx.cas_certificate(Product::Cdn, CasRef::Name("old"))
                .unwrap(),
            Some(CasStatus::Other("expired".into()))
        );
        assert_eq!(
            tx.cas_certificate(Product::Live, CasRef::Name("old"))
                .unwrap(),
            None
        );
        let certificate = StoredCertificate {
            name: "new".into(),
            id: None,
            product: Some(Product::Vod),
            kind: CertKind::Upload,
            status: CasStatus::Issued,
            fingerprint: Some([7; 32]),
        };
        tx.save(Product::Vod, certificate).unwrap();
        assert_eq!(
            tx.name_taken(Product::Vod, "new").unwrap(),
            Some(CertKind::Upload)
        );
        assert_eq!(tx.name_taken(Product::Cdn, "new").unwrap(), None);
        assert_eq!(
            tx.content_stored(Product::Vod, &[7; 32])
                .unwrap()
                .as_deref(),
            Some("new")
        );
        tx.set_https(Product::Vod, "v.example", &Change::On("new".into()))
            .unwrap();
        tx.commit().unwrap();
        let current = store
            .domain_certificate(Product::Vod, "V.example")
            .unwrap()
            .unwrap();
        assert!(current.https);
        assert_eq!(current.cert_name.as_deref(), Some("new"));
    }

    #[test]
    fn the_request_log_is_bounded() {
        let mut store = Store::open(None).unwrap();
        for i in 0..(REQUEST_LOG_CAPACITY + 5) {
            store
                .log_request(&LogEntry {
                    time: "t".into(),
                    access_key_id: None,
                    action: None,
                    domain: None,
                    code: format!("C{i}"),
                    detail: None,
                    millis: 0,
                    request_id: format!("r{i}"),
                    message: None,
                    http_status: 400,
                    warnings: vec![("ExpiresSoon".into(), "renew it".into())],
                })
                .unwrap();
        }
        let all = store.recent_requests(10_000).unwrap();
        assert_eq!(all.len(), usize::try_from(REQUEST_LOG_CAPACITY).unwrap());
        assert_eq!(all[0].code, format!("C{}", REQUEST_LOG_CAPACITY + 4));
        assert_eq!(all[0].request_id, format!("r{}", REQUEST_LOG_CAPACITY + 4));
        assert_eq!(
            all[0].warnings,
            [("ExpiresSoon".to_owned(), "renew it".to_owned())]
        );
    }

    #[test]
    fn pem_details_keep_certificates_only() {
        let pem = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../testdata/rsa2048/fullchain.pem"
        ))
        .unwrap();
        let mut with_key = pem.clone();
        with_key.push_str("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        let details = CertDetails::of_pem(&with_key);
        assert!(!details.pem.contains("PRIVATE"));
        assert!(details.not_after.is_some());
        assert!(details.subject_names.is_some());
    }
}
