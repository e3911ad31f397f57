//! The request log: one row per request (time, key id, action, domain, code, detail, warnings;
//! never a key byte), the last [`REQUEST_LOG_CAPACITY`] kept.

use rusqlite::{Connection, params};
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::{Cached, Store, rfc3339};
#[cfg(test)]
use cert_preflight::StoreError;

/// How many requests the log keeps.
pub(crate) const REQUEST_LOG_CAPACITY: i64 = 1000;

impl Store {
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
        recent_requests(&self.conn, limit)
    }
}

/// The last `limit` requests on `conn`, newest first.
pub(super) fn recent_requests(conn: &Connection, limit: i64) -> rusqlite::Result<Vec<LogEntry>> {
    {
        let mut stmt = conn.prepare(
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
pub(super) fn insert_log(conn: &Connection, entry: &LogEntry) -> rusqlite::Result<i64> {
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

    /// As JSON for `GET /_preflight/requests`, with the command line's key names
    /// (`Code`, `Message`, `HttpStatus`, `Detail`, `Warnings` of `{Code, Detail}`).
    pub(crate) fn to_json(&self) -> Value {
        let warnings: Vec<Value> = self
            .warnings
            .iter()
            .map(|(code, detail)| json!({ "Code": code, "Detail": detail }))
            .collect();
        json!({
            "Time": self.time,
            "RequestId": self.request_id,
            "AccessKeyId": self.access_key_id,
            "Action": self.action,
            "Domain": self.domain,
            "Code": self.code,
            "Message": self.message,
            "HttpStatus": self.http_status,
            "Detail": self.detail,
            "Warnings": warnings,
            "Millis": self.millis,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
