//! HTTP/1.1 on any byte stream (TCP or TLS), written here rather than taken from hyper so that
//! the service's limits hold: a request line up to 1 MiB (the legacy SDK puts the whole PEM
//! in the URL; `http::Uri` stops at 64 KiB), and every malformed, oversized or truncated
//! request is answered with the JSON error envelope before the connection closes — never an
//! empty 4xx or a reset. Requests are parsed by `httparse`, answered with `Content-Length`
//! bodies, and connections are kept alive as HTTP/1.1 says.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::watch;

use crate::api;
use crate::context::Context;
use crate::request::{self, Incoming, Response};
use crate::wire::{Format, GatewayError};

/// The limits of one request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// The request target (path and query), in bytes.
    pub(crate) max_url: usize,
    /// The body, in bytes (after chunked decoding).
    pub(crate) max_body: usize,
    /// The header lines, in bytes.
    pub(crate) max_headers: usize,
    /// The most header lines.
    pub(crate) max_header_count: usize,
    /// How long a client may take to send the request head, from its first byte.
    pub(crate) head_timeout: Duration,
    /// How long an idle kept-alive connection waits for a request.
    pub(crate) idle_timeout: Duration,
    /// How long a client may take to send the body.
    pub(crate) body_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_url: 1 << 20,
            max_body: 1 << 20,
            max_headers: 64 << 10,
            max_header_count: 256,
            head_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            body_timeout: Duration::from_secs(60),
        }
    }
}

/// Why a connection stops reading requests.
enum Stop {
    /// Answer with this error, then close.
    Refuse(GatewayError),
    /// Close without an answer (the peer went away or was idle).
    Close,
    /// A deadline passed while reading: the head's drops the connection, the body's is
    /// answered 408 (the client has spoken HTTP and may be waiting for a word).
    Late,
}

/// What one request's read produced.
struct Parsed {
    incoming: Incoming,
    keep_alive: bool,
}

/// Serves requests on `stream` until the peer closes, a framing error, or shutdown.
pub(crate) async fn serve_connection<S>(
    mut stream: S,
    ctx: Arc<Context>,
    limits: Limits,
    mut shutdown: watch::Receiver<bool>,
) where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut buf: Vec<u8> = Vec::new();
    loop {
        if *shutdown.borrow() {
            return;
        }
        // Wait for the first byte of the next request (idle, cancellable by shutdown).
        if buf.is_empty() {
            let mut chunk = [0u8; 8192];
            let read = tokio::select! {
                r = tokio::time::timeout(limits.idle_timeout, stream.read(&mut chunk)) => r,
                _ = shutdown.changed() => return,
            };
            match read {
                Ok(Ok(n)) if n > 0 => buf.extend_from_slice(chunk.get(..n).unwrap_or_default()),
                _ => return,
            }
        }
        let started = Instant::now();
        let parsed = read_request(&mut stream, &mut buf, &limits).await;
        let parsed = match parsed {
            Ok(parsed) => parsed,
            Err(Stop::Close | Stop::Late) => return,
            Err(Stop::Refuse(error)) => {
                let id = request::request_id();
                let response = request::gateway_response(&error, &id, "", "Cdn", Format::Json);
                ctx.log
                    .request(None, None, error.code(), started.elapsed().as_millis());
                let _ = write_response(&mut stream, &response, false).await;
                drain_and_close(&mut stream).await;
                return;
            }
        };
        let keep_alive = parsed.keep_alive && !*shutdown.borrow();
        let response = dispatch(ctx.clone(), parsed.incoming, started).await;
        if write_response(&mut stream, &response, keep_alive)
            .await
            .is_err()
            || !keep_alive
        {
            let _ = stream.shutdown().await;
            return;
        }
    }
}

/// Answers `error` on a connection that gets no request served (one beyond the server's
/// bound), then closes it.
pub(crate) async fn refuse_connection<S>(mut stream: S, error: GatewayError)
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let id = request::request_id();
    let response = request::gateway_response(&error, &id, "", "Cdn", Format::Json);
    let _ = write_response(&mut stream, &response, false).await;
    drain_and_close(&mut stream).await;
}

/// Routes a request: the cloud API on `/`, the admin endpoints under `/_preflight/`, the
/// page. An API request is decoded, authenticated and checked right here on the runtime's
/// thread (tens of microseconds of work; a WAL reader does not wait for the writer), then
/// finished by the writer thread; the admin endpoints and the page wait on the store's lock,
/// so they run on the blocking pool.
async fn dispatch(ctx: Arc<Context>, incoming: Incoming, started: Instant) -> Response {
    if incoming.path == "/"
        && matches!(incoming.method.as_str(), "GET" | "POST")
        && !api::wants_page(&incoming)
    {
        let handled = api::handle(&ctx, &incoming).await;
        let log = &handled.log;
        ctx.log.request(
            log.access_key_id.as_deref(),
            log.action.as_deref(),
            &log.code,
            started.elapsed().as_millis(),
        );
        return handled.response;
    }
    let task = tokio::task::spawn_blocking(move || {
        if incoming.path.starts_with("/_preflight/") {
            let (response, code) = crate::admin::handle(&ctx, &incoming);
            ctx.log.request(
                None,
                Some(&incoming.path),
                &code,
                started.elapsed().as_millis(),
            );
            return response;
        }
        if api::wants_page(&incoming) {
            ctx.log
                .request(None, Some("page"), "OK", started.elapsed().as_millis());
            return api::page(&ctx, &incoming);
        }
        let error = GatewayError::InvalidActionNotFound;
        let id = request::request_id();
        ctx.log
            .request(None, None, error.code(), started.elapsed().as_millis());
        request::gateway_response(&error, &id, &incoming.host(), "Cdn", Format::Json)
    });
    match task.await {
        Ok(response) => response,
        Err(_) => Response::internal_error(&request::request_id()),
    }
}

/// Reads more bytes into `buf`. The stream ending in the middle of a request is a malformed
/// request (answered: a client that half-closed still reads); an error drops the
/// connection; the deadline passing is `Stop::Late`.
async fn fill<S: AsyncRead + Unpin>(
    stream: &mut S,
    buf: &mut Vec<u8>,
    deadline: tokio::time::Instant,
) -> Result<(), Stop> {
    let mut chunk = [0u8; 16384];
    match tokio::time::timeout_at(deadline, stream.read(&mut chunk)).await {
        Ok(Ok(n)) if n > 0 => {
            buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
            Ok(())
        }
        Ok(Ok(_)) => Err(Stop::Refuse(GatewayError::MalformedRequest)),
        Ok(Err(_)) => Err(Stop::Close),
        Err(_) => Err(Stop::Late),
    }
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p.saturating_add(from))
}

/// Reads one request (head and body) from `stream`, `buf` holding what was read already;
/// leaves in `buf` the bytes after it (a pipelined next request).
async fn read_request<S>(stream: &mut S, buf: &mut Vec<u8>, limits: &Limits) -> Result<Parsed, Stop>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let head_deadline = tokio::time::Instant::now() + limits.head_timeout;
    // The request line: method, target (at most max_url) and version.
    let line_max = limits.max_url.saturating_add(64);
    let mut scanned = 0;
    let line_end = loop {
        if let Some(end) = find(buf, b"\n", scanned) {
            break end;
        }
        scanned = buf.len();
        if buf.len() > line_max {
            return Err(Stop::Refuse(GatewayError::UriTooLong));
        }
        fill(stream, buf, head_deadline).await?;
    };
    if line_end > line_max {
        return Err(Stop::Refuse(GatewayError::UriTooLong));
    }
    // The header lines, up to the empty line.
    let mut scanned = line_end;
    let head_end = loop {
        let crlf = find(buf, b"\n\r\n", scanned).map(|p| p + 3);
        let lf = find(buf, b"\n\n", scanned).map(|p| p + 2);
        if let Some(end) = match (crlf, lf) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        } {
            break end;
        }
        scanned = buf.len().saturating_sub(2).max(line_end);
        if buf.len().saturating_sub(line_end) > limits.max_headers {
            return Err(Stop::Refuse(GatewayError::HeadersTooLarge));
        }
        fill(stream, buf, head_deadline).await?;
    };
    if head_end.saturating_sub(line_end) > limits.max_headers.saturating_add(4) {
        return Err(Stop::Refuse(GatewayError::HeadersTooLarge));
    }
    let mut header_slots = vec![httparse::EMPTY_HEADER; limits.max_header_count];
    let mut request = httparse::Request::new(&mut header_slots);
    let head = buf.get(..head_end).unwrap_or_default();
    match request.parse(head) {
        Ok(httparse::Status::Complete(_)) => {}
        Err(httparse::Error::TooManyHeaders) => {
            return Err(Stop::Refuse(GatewayError::HeadersTooLarge));
        }
        _ => return Err(Stop::Refuse(GatewayError::MalformedRequest)),
    }
    let method = request.method.unwrap_or_default().to_owned();
    let target = request.path.unwrap_or_default();
    if target.len() > limits.max_url {
        return Err(Stop::Refuse(GatewayError::UriTooLong));
    }
    let http10 = request.version == Some(0);
    let target = strip_authority(target);
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path.to_owned(), query.as_bytes().to_vec()),
        None => (target.to_owned(), Vec::new()),
    };
    let path = if path.is_empty() {
        "/".to_owned()
    } else {
        path
    };
    let headers: Vec<(String, Vec<u8>)> = request
        .headers
        .iter()
        .map(|h| (h.name.to_owned(), h.value.to_vec()))
        .collect();
    let mut incoming = Incoming {
        method,
        path,
        query,
        headers,
        body: Vec::new(),
    };
    let connection_close = request::header_is(&incoming, "connection", "close");
    let connection_keep = request::header_is(&incoming, "connection", "keep-alive");
    let keep_alive = if http10 {
        connection_keep
    } else {
        !connection_close
    };
    let chunked = request::header_is(&incoming, "transfer-encoding", "chunked");
    let has_te = incoming
        .headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("transfer-encoding"));
    let lengths: Vec<&[u8]> = incoming
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .map(|(_, v)| v.as_slice())
        .collect();
    let content_length = match lengths.split_first() {
        None => None,
        Some((first, rest)) => {
            if rest.iter().any(|v| v != first) {
                return Err(Stop::Refuse(GatewayError::MalformedRequest));
            }
            let text = std::str::from_utf8(first)
                .ok()
                .map(str::trim)
                .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()));
            match text.map(str::parse::<u64>) {
                Some(Ok(n)) => Some(n),
                Some(Err(_)) => return Err(Stop::Refuse(GatewayError::BodyTooLarge)),
                None => return Err(Stop::Refuse(GatewayError::MalformedRequest)),
            }
        }
    };
    if has_te && (!chunked || content_length.is_some()) {
        return Err(Stop::Refuse(GatewayError::MalformedRequest));
    }
    let max_body = u64::try_from(limits.max_body).unwrap_or(u64::MAX);
    if content_length.is_some_and(|n| n > max_body) {
        return Err(Stop::Refuse(GatewayError::BodyTooLarge));
    }
    let wants_body = chunked || content_length.is_some_and(|n| n > 0);
    buf.drain(..head_end);
    if wants_body && request::header_is(&incoming, "expect", "100-continue") {
        stream
            .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
            .await
            .map_err(|_| Stop::Close)?;
    }
    let body_deadline = tokio::time::Instant::now() + limits.body_timeout;
    let late_body = |stop| match stop {
        Stop::Late => Stop::Refuse(GatewayError::RequestTimeout),
        other => other,
    };
    if chunked {
        incoming.body = read_chunked(stream, buf, limits.max_body, body_deadline)
            .await
            .map_err(late_body)?;
    } else if let Some(length) = content_length {
        let length = usize::try_from(length).unwrap_or(usize::MAX);
        while buf.len() < length {
            fill(stream, buf, body_deadline).await.map_err(late_body)?;
        }
        incoming.body = buf.drain(..length).collect();
    }
    Ok(Parsed {
        incoming,
        keep_alive,
    })
}

/// `http://host:port/path?q` → `/path?q` (absolute-form, as a proxy-aware client may send).
fn strip_authority(target: &str) -> &str {
    for scheme in ["http://", "https://"] {
        if let Some(rest) = target.strip_prefix(scheme) {
            return match rest.find(['/', '?']) {
                Some(i) if rest.get(i..i + 1) == Some("?") => rest.get(i..).unwrap_or("/"),
                Some(i) => rest.get(i..).unwrap_or("/"),
                None => "/",
            };
        }
    }
    target
}

/// Decodes a chunked body of at most `max` bytes.
async fn read_chunked<S: AsyncRead + Unpin>(
    stream: &mut S,
    buf: &mut Vec<u8>,
    max: usize,
    deadline: tokio::time::Instant,
) -> Result<Vec<u8>, Stop> {
    let mut body = Vec::new();
    loop {
        let line_end = loop {
            if let Some(end) = find(buf, b"\n", 0) {
                break end;
            }
            if buf.len() > 1024 {
                return Err(Stop::Refuse(GatewayError::MalformedRequest));
            }
            fill(stream, buf, deadline).await?;
        };
        let line = buf.get(..line_end).unwrap_or_default();
        let size_text = line
            .split(|&b| b == b';')
            .next()
            .unwrap_or_default()
            .trim_ascii();
        let size = std::str::from_utf8(size_text)
            .ok()
            .filter(|t| !t.is_empty() && t.len() <= 16)
            .and_then(|t| usize::from_str_radix(t, 16).ok())
            .ok_or(Stop::Refuse(GatewayError::MalformedRequest))?;
        buf.drain(..=line_end);
        if size == 0 {
            // Trailers, up to an empty line.
            loop {
                let end = loop {
                    if let Some(end) = find(buf, b"\n", 0) {
                        break end;
                    }
                    if buf.len() > 8192 {
                        return Err(Stop::Refuse(GatewayError::MalformedRequest));
                    }
                    fill(stream, buf, deadline).await?;
                };
                let empty = buf.get(..end).unwrap_or_default().trim_ascii().is_empty();
                buf.drain(..=end);
                if empty {
                    return Ok(body);
                }
            }
        }
        if body.len().saturating_add(size) > max {
            return Err(Stop::Refuse(GatewayError::BodyTooLarge));
        }
        let needed = size.saturating_add(2);
        while buf.len() < needed {
            fill(stream, buf, deadline).await?;
        }
        body.extend_from_slice(buf.get(..size).unwrap_or_default());
        if buf.get(size..needed) != Some(b"\r\n") {
            return Err(Stop::Refuse(GatewayError::MalformedRequest));
        }
        buf.drain(..needed);
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Payload Too Large",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

fn http_date() -> String {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::OffsetDateTime::now_utc()
        .format(format)
        .unwrap_or_default()
}

async fn write_response<S: AsyncWrite + Unpin>(
    stream: &mut S,
    response: &Response,
    keep_alive: bool,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nDate: {}\r\nConnection: {}\r\n",
        response.status,
        reason(response.status),
        response.content_type,
        response.body.len(),
        http_date(),
        if keep_alive { "keep-alive" } else { "close" },
    );
    for (name, value) in &response.headers {
        // Values are made printable ASCII by their makers; never let a line break through.
        let value: String = value.chars().filter(|c| !c.is_control()).collect();
        head.push_str(name);
        head.push_str(": ");
        head.push_str(&value);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    // One write: two would be two packets (the socket has no Nagle delay).
    let mut message = head.into_bytes();
    message.extend_from_slice(&response.body);
    stream.write_all(&message).await?;
    stream.flush().await
}

/// After an error answer: stop writing, read (and drop) what the client is still sending
/// for a short while, so that closing does not reset the connection before the client has
/// read the answer.
async fn drain_and_close<S: AsyncRead + AsyncWrite + Unpin>(stream: &mut S) {
    let _ = stream.flush().await;
    let _ = stream.shutdown().await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
    let mut chunk = [0u8; 65536];
    let mut total: usize = 0;
    while total < (16 << 20) {
        match tokio::time::timeout_at(deadline, stream.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => total = total.saturating_add(n),
            _ => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_form_targets() {
        assert_eq!(strip_authority("http://h:1/?a=b"), "/?a=b");
        assert_eq!(strip_authority("http://h:1?a=b"), "?a=b");
        assert_eq!(strip_authority("https://h"), "/");
        assert_eq!(strip_authority("/x"), "/x");
    }

    #[test]
    fn find_from() {
        assert_eq!(find(b"ab\r\n\r\n", b"\r\n\r\n", 0), Some(2));
        assert_eq!(find(b"ab", b"\r\n\r\n", 5), None);
    }
}
