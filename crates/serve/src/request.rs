//! A request's life, from what the socket layer read to what the writer answers: the
//! [`Incoming`] request, its [`Prepared`] last [`Step`] (answered already, or a [`Work`] for
//! the writer's transaction), [`Ran`] in a transaction not yet committed, and [`Handled`]: the
//! [`Response`] and its log entry. The bodies every action answers with are made here too
//! (success, refusal, `InternalError`, the gateway's errors), so an action file holds only
//! its own API.

use std::time::Instant;

use cert_preflight::StoreError;
use serde_json::Value;

use crate::log::Log;
use crate::store::{LogEntry, Tx};
use crate::wire::{ErrorEnvelope, Format, GatewayError, header_values, success_json, success_xml};

/// The message of a `500 InternalError`, as the service writes it.
const INTERNAL_ERROR: &str =
    "The request processing has failed due to some unknown error, exception or failure.";

/// A request as read from the socket.
#[derive(Default)]
pub(crate) struct Incoming {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: Vec<u8>,
    pub(crate) headers: Vec<(String, Vec<u8>)>,
    pub(crate) body: Vec<u8>,
}

impl Incoming {
    /// The `Host` header, for `HostId`.
    pub(crate) fn host(&self) -> String {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("host"))
            .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
            .unwrap_or_default()
    }
}

/// A response to write.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) content_type: &'static str,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Vec<u8>,
}

impl Response {
    /// A JSON response.
    pub(crate) fn json(status: u16, body: String) -> Response {
        Response {
            status,
            content_type: Format::Json.content_type(),
            headers: Vec::new(),
            body: body.into_bytes(),
        }
    }

    /// `500 InternalError` with the service's message, JSON, for a request whose answer was
    /// lost to a bug or a stopped thread.
    pub(crate) fn internal_error(request_id: &str) -> Response {
        Response::json(
            500,
            format!(
                "{{\"RequestId\":\"{request_id}\",\"Code\":\"InternalError\",\"Message\":\"{INTERNAL_ERROR}\"}}"
            ),
        )
    }
}

/// The answer and what the log says of it.
pub(crate) struct Handled {
    pub(crate) response: Response,
    pub(crate) log: LogEntry,
}

/// A new request id: an upper-case UUID, as the service writes them.
pub(crate) fn request_id() -> String {
    uuid::Uuid::new_v4().to_string().to_ascii_uppercase()
}

/// A value made safe for a log or a header: printable ASCII, others escaped, cut to `max`.
/// A value that looks like key material (PEM armour, a long base64 run: a key sent in the
/// wrong parameter) is never kept or shown: a note of what was withheld stands for it.
pub(crate) fn shown(bytes: &[u8], max: usize) -> String {
    if cert_preflight::looks_like_key_material(bytes) {
        return cert_preflight::withheld(bytes.len());
    }
    let mut out = String::new();
    for &b in bytes.iter().take(max) {
        if (0x20..0x7f).contains(&b) && b != b'%' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if bytes.len() > max {
        out.push('…');
    }
    out
}

/// A gateway refusal (also used by the socket layer for framing errors).
pub(crate) fn gateway_response(
    error: &GatewayError,
    request_id: &str,
    host: &str,
    product: &str,
    format: Format,
) -> Response {
    let message = error.message();
    let envelope = ErrorEnvelope {
        request_id,
        host_id: host,
        code: error.code(),
        message: &message,
        product,
        detail: None,
    };
    Response {
        status: error.http_status(),
        content_type: format.content_type(),
        headers: vec![("x-acs-request-id", request_id.to_owned())],
        body: envelope.render(format).into_bytes(),
    }
}

/// Who an answer is for: what a refusal or an internal error needs.
#[derive(Debug, Clone)]
pub(crate) struct Addressee {
    /// The answer's `RequestId`.
    pub(crate) id: String,
    /// The `Host` header, for `HostId`.
    pub(crate) host: String,
    /// The product code of `Recommend` links (`Cdn`, `live`, `cas`, …).
    pub(crate) product: &'static str,
    /// JSON or XML.
    pub(crate) format: Format,
}

/// A write's work in the writer's transaction (under a savepoint of its own), given the
/// request's log entry and whom it answers: the answer, or a store error, on which its
/// changes are rolled back and the answer is `InternalError`.
pub(crate) type Work =
    Box<dyn FnOnce(&mut Tx<'_>, &mut LogEntry, &Addressee) -> Result<Response, StoreError> + Send>;

/// What is left of a request once it is decoded, routed, authenticated and checked on a
/// snapshot: the writer's part (the `writer` module).
pub(crate) struct Prepared {
    started: Instant,
    log: LogEntry,
    step: Step,
}

/// The writer's part of a request.
pub(crate) enum Step {
    /// Answered already: only its log entry is left to write.
    Answered(Response),
    /// A change (or, on an in-memory store, a read) done in the write transaction.
    Write { work: Work, to: Addressee },
}

/// A request run in a transaction not yet committed.
pub(crate) struct Ran {
    handled: Handled,
    /// Set when the answer depends on the commit.
    to: Option<Addressee>,
}

impl Prepared {
    /// A request's last step, with its log entry and when it came in.
    pub(crate) fn new(started: Instant, log: LogEntry, step: Step) -> Prepared {
        Prepared { started, log, step }
    }

    /// A write with this request id (JSON answers, CDN): for the writer's tests.
    #[cfg(test)]
    pub(crate) fn write(id: &str, work: Work) -> Prepared {
        Prepared {
            started: Instant::now(),
            log: LogEntry::new(id.to_owned()),
            step: Step::Write {
                work,
                to: Addressee {
                    id: id.to_owned(),
                    host: "localhost".to_owned(),
                    product: "Cdn",
                    format: Format::Json,
                },
            },
        }
    }

    /// The answer's `RequestId`.
    pub(crate) fn request_id(&self) -> &str {
        &self.log.request_id
    }

    /// Runs in the writer's transaction: the work under a savepoint, then the log entry.
    pub(crate) fn run(self, tx: &mut Tx<'_>, log_to: &Log) -> Ran {
        let Prepared {
            started,
            mut log,
            step,
        } = self;
        let (response, to) = match step {
            Step::Answered(response) => (response, None),
            Step::Write { work, to } => {
                let outcome = match tx.mark() {
                    Err(e) => Err(e),
                    Ok(()) => {
                        match work(tx, &mut log, &to).and_then(|r| tx.release_mark().map(|()| r)) {
                            Ok(response) => Ok(response),
                            Err(e) => {
                                let _ = tx.rollback_to_mark();
                                Err(e)
                            }
                        }
                    }
                };
                let response = outcome.unwrap_or_else(|e| internal_error(&e, &to, &mut log));
                (response, Some(to))
            }
        };
        let handled = finish(response, log, started);
        if let Err(e) = tx.log(&handled.log) {
            log_to.note(&format!("cannot write the request log: {e}"));
        }
        Ran { handled, to }
    }

    /// The answer when the transaction could not start: a write's is `InternalError`; an
    /// answer already given stands (its log entry is lost).
    pub(crate) fn not_written(self, error: &StoreError) -> Handled {
        let mut log = self.log;
        let response = match self.step {
            Step::Answered(response) => response,
            Step::Write { to, .. } => internal_error(error, &to, &mut log),
        };
        finish(response, log, self.started)
    }
}

impl Ran {
    /// An answer that does not depend on the commit.
    pub(crate) fn failed(handled: Handled) -> Ran {
        Ran { handled, to: None }
    }

    /// The answer, the transaction being committed.
    pub(crate) fn into_answer(self) -> Handled {
        self.handled
    }

    /// The answer when the transaction did not commit: a write's is `InternalError`.
    pub(crate) fn rolled_back(self, error: &StoreError) -> Handled {
        match self.to {
            None => self.handled,
            Some(to) => {
                let mut log = self.handled.log;
                let response = internal_error(error, &to, &mut log);
                stamp(response, log)
            }
        }
    }
}

impl Handled {
    /// The answer when the writer went away before answering.
    pub(crate) fn lost(request_id: String, error: &StoreError) -> Handled {
        let response = Response::internal_error(&request_id);
        let mut log = LogEntry::new(request_id);
        log_internal_error(&mut log, error);
        stamp(response, log)
    }
}

/// The answer with its `x-acs-request-id` header, and the log entry with its status and time.
fn finish(response: Response, mut log: LogEntry, started: Instant) -> Handled {
    log.millis = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    stamp(response, log)
}

/// The answer with its `x-acs-request-id` header, the log entry with its status.
fn stamp(mut response: Response, mut log: LogEntry) -> Handled {
    if !response
        .headers
        .iter()
        .any(|(n, _)| *n == "x-acs-request-id")
    {
        response
            .headers
            .push(("x-acs-request-id", log.request_id.clone()));
    }
    log.http_status = i64::from(response.status);
    Handled { response, log }
}

/// A success body in the requested format.
pub(crate) fn success(
    action: &str,
    id: &str,
    fields: &[(&str, Value)],
    format: Format,
) -> Response {
    let body = match format {
        Format::Xml => success_xml(action, id, fields),
        _ => success_json(id, fields),
    };
    Response {
        status: 200,
        content_type: format.content_type(),
        headers: Vec::new(),
        body: body.into_bytes(),
    }
}

/// The answer to an accepted upload: the success body, and where the check found something
/// the service would not say (`ExpiresSoon`, `DomainNotCovered`, …) a `PreflightWarnings`
/// field of `{Code, Detail}` objects (clients ignore fields they do not know, as they do
/// `PreflightDetail`) and an `x-preflight-warnings` header with the codes.
pub(crate) fn accepted(
    action: &str,
    to: &Addressee,
    fields: &[(&str, Value)],
    warnings: &[(String, String)],
) -> Response {
    if warnings.is_empty() {
        return success(action, &to.id, fields, to.format);
    }
    let listed: Vec<Value> = warnings
        .iter()
        .map(|(code, detail)| serde_json::json!({ "Code": code, "Detail": detail }))
        .collect();
    let mut all = fields.to_vec();
    all.push(("PreflightWarnings", Value::Array(listed)));
    let mut response = success(action, &to.id, &all, to.format);
    let codes: Vec<&str> = warnings.iter().map(|(code, _)| code.as_str()).collect();
    response
        .headers
        .push(("x-preflight-warnings", codes.join(", ")));
    response
}

/// An error with a code and message that are not the gateway's.
pub(crate) fn refusal(
    status: u16,
    code: &str,
    message: &str,
    detail: Option<&str>,
    to: &Addressee,
) -> Response {
    let envelope = ErrorEnvelope {
        request_id: &to.id,
        host_id: &to.host,
        code,
        message,
        product: to.product,
        detail,
    };
    let mut headers = Vec::new();
    if let Some(detail) = detail {
        headers.push(("x-preflight-detail", shown(detail.as_bytes(), 2048)));
    }
    Response {
        status,
        content_type: to.format.content_type(),
        headers,
        body: envelope.render(to.format).into_bytes(),
    }
}

pub(crate) fn internal_error(error: &StoreError, to: &Addressee, log: &mut LogEntry) -> Response {
    log_internal_error(log, error);
    refusal(500, "InternalError", INTERNAL_ERROR, None, to)
}

/// What the log says of a request answered `InternalError` because of `error`.
pub(crate) fn log_internal_error(log: &mut LogEntry, error: &StoreError) {
    log.code = "InternalError".to_owned();
    log.detail = Some(error.to_string());
    log.message = Some(INTERNAL_ERROR.to_owned());
}

/// Whether a header named `name` has the value `value` (ASCII case-insensitive).
pub(crate) fn header_is(incoming: &Incoming, name: &str, value: &str) -> bool {
    let headers: Vec<(&str, &[u8])> = incoming
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_slice()))
        .collect();
    header_values(&headers, name).any(|v| {
        v.split(|&b| b == b',')
            .any(|t| t.trim_ascii().eq_ignore_ascii_case(value.as_bytes()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_escapes() {
        assert_eq!(shown(b"a b\n%", 10), "a b%0A%25");
        assert_eq!(shown(b"abcdef", 3), "abc…");
        let key = b"-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBx";
        assert_eq!(
            shown(key, 255),
            "[42 bytes withheld: they look like key material]"
        );
        let bare = "MHcCAQEEIBxq".repeat(6);
        assert_eq!(
            shown(bare.as_bytes(), 64),
            "[72 bytes withheld: they look like key material]"
        );
        assert_eq!(
            shown(b"LTAI5tXXXXXXXXXXXXXXXXXX", 64),
            "LTAI5tXXXXXXXXXXXXXXXXXX"
        );
    }
}
