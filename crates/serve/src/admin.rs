//! The admin endpoints under `/_preflight/` (not part of the cloud API, not signed): health,
//! the state as a state document (the `--state` file's shape) (read, replace, empty) and the last
//! requests. No answer carries a key: the state holds certificate chains and fingerprints
//! only, the log codes and the library's details.

use serde_json::{Value, json};

use crate::context::Context;
use crate::request::{Incoming, Response};
use crate::wire::decode_form;

/// The largest `limit` of `GET /_preflight/requests`.
const MAX_LIMIT: i64 = crate::store::REQUEST_LOG_CAPACITY;

fn error(status: u16, code: &str, message: &str) -> (Response, String) {
    (
        Response::json(
            status,
            json!({"Code": code, "Message": message}).to_string(),
        ),
        code.to_owned(),
    )
}

fn ok(value: &Value) -> (Response, String) {
    (Response::json(200, value.to_string()), "OK".to_owned())
}

/// Answers one admin request; also returns the code for the log line.
pub(crate) fn handle(ctx: &Context, incoming: &Incoming) -> (Response, String) {
    let mut store = ctx.lock_store();
    match (incoming.method.as_str(), incoming.path.as_str()) {
        ("GET", "/_preflight/health") => ok(&json!({
            "status": "ok",
            "version": env!("CARGO_PKG_VERSION"),
        })),
        ("GET", "/_preflight/state") => match store.export_state() {
            Ok(state) => ok(&state),
            Err(e) => error(500, "InternalError", &format!("SQLite: {e}")),
        },
        ("PUT", "/_preflight/state") => {
            let Ok(text) = std::str::from_utf8(&incoming.body) else {
                return error(400, "InvalidState", "the state document is not UTF-8");
            };
            let replaced = store.replace_state(text);
            ctx.state_version
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            match replaced {
                Ok(()) => match store.export_state() {
                    Ok(state) => ok(&state),
                    Err(e) => error(500, "InternalError", &format!("SQLite: {e}")),
                },
                Err(message) => error(400, "InvalidState", &message),
            }
        }
        ("POST", "/_preflight/reset") => {
            let reset = store.reset();
            ctx.state_version
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            match reset {
                Ok(()) => ok(&json!({"status": "ok"})),
                Err(message) => error(500, "InternalError", &message),
            }
        }
        ("GET", "/_preflight/requests") => {
            // `limit`: a whole number (more than the log keeps is the whole log); anything
            // else is refused rather than ignored.
            let limit = match decode_form(&incoming.query) {
                Err(_) => Err("the query is not a valid query string".to_owned()),
                Ok(params) => match params.get_str("limit") {
                    None => Ok(100),
                    Some(text) => text.trim().parse::<i64>().ok().filter(|l| *l >= 0).ok_or_else(
                        || {
                            format!(
                                "limit is {:?}; it must be a whole number (at most {MAX_LIMIT} are kept)",
                                crate::request::shown(text.as_bytes(), 64)
                            )
                        },
                    ),
                },
            };
            let limit = match limit {
                Ok(limit) => limit.min(MAX_LIMIT),
                Err(message) => return error(400, "InvalidParameter", &message),
            };
            match store.recent_requests(limit) {
                Ok(entries) => ok(&json!({
                    "Requests": entries.iter().map(|e| e.to_json()).collect::<Vec<_>>()
                })),
                Err(e) => error(500, "InternalError", &format!("SQLite: {e}")),
            }
        }
        (
            _,
            "/_preflight/health"
            | "/_preflight/state"
            | "/_preflight/reset"
            | "/_preflight/requests",
        ) => error(405, "MethodNotAllowed", "this method is not allowed here"),
        _ => error(404, "NotFound", "no such admin endpoint"),
    }
}
