//! The operator's log: one line per request — time, AccessKeyId, action, domain, code or `OK`,
//! milliseconds, and for a refusal the library's detail (what is wrong and what to do: the
//! legacy Python SDK shows no more than the code and message) — and the server's own
//! messages, on standard error or appended to a file
//! (`Config::log_file`). Each line is one write. Never a key
//! byte: a value that looks like key material was withheld before it reached the entry.

use std::io::Write;

use crate::store::LogEntry;
use std::sync::{Arc, Mutex};

/// Where log lines go; cheap to clone.
#[derive(Clone)]
pub(crate) struct Log(Arc<Mutex<Sink>>);

enum Sink {
    Stderr,
    File(std::fs::File),
}

impl Log {
    /// Lines on standard error.
    pub(crate) fn stderr() -> Log {
        Log(Arc::new(Mutex::new(Sink::Stderr)))
    }

    /// Lines appended to `file`.
    pub(crate) fn file(file: std::fs::File) -> Log {
        Log(Arc::new(Mutex::new(Sink::File(file))))
    }

    /// Writes `text` and a line end, in one write.
    pub(crate) fn line(&self, text: &str) {
        let mut line = String::with_capacity(text.len() + 1);
        line.push_str(text);
        line.push('\n');
        let mut sink = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let _ = match &mut *sink {
            Sink::Stderr => std::io::stderr().lock().write_all(line.as_bytes()),
            Sink::File(file) => file.write_all(line.as_bytes()),
        };
    }

    /// A message of the server itself (`cert-preflight serve: …`).
    pub(crate) fn note(&self, message: &str) {
        self.line(&format!("cert-preflight serve: {message}"));
    }

    /// A line for a request that was not an API call (a refusal at the door, an admin
    /// endpoint, the page): time, `-`, what it asked for, `-`, code or OK, milliseconds.
    pub(crate) fn request(
        &self,
        access_key_id: Option<&str>,
        action: Option<&str>,
        code: &str,
        millis: u128,
    ) {
        self.line(&format!(
            "{} {} {} - {} {}ms",
            crate::store::rfc3339(time::OffsetDateTime::now_utc()),
            access_key_id.unwrap_or("-"),
            action.unwrap_or("-"),
            code,
            millis
        ));
    }

    /// An API call's line: time, AccessKeyId, action, domain, code or OK, milliseconds, and a
    /// refusal's detail after a colon.
    pub(crate) fn call(&self, entry: &LogEntry, millis: u128) {
        let mut line = format!(
            "{} {} {} {} {} {}ms",
            crate::store::rfc3339(time::OffsetDateTime::now_utc()),
            entry.access_key_id.as_deref().unwrap_or("-"),
            entry.action.as_deref().unwrap_or("-"),
            entry
                .domain
                .as_deref()
                .filter(|d| !d.is_empty())
                .unwrap_or("-"),
            entry.code,
            millis
        );
        if entry.code != "OK"
            && let Some(detail) = &entry.detail
        {
            line.push_str(": ");
            line.push_str(detail);
        }
        self.line(&line);
    }
}
