//! HTTP/1.1 on any byte stream (TCP or TLS), written here rather than taken from hyper so that
//! the service's limits hold: a request line up to 1 MiB (the legacy SDK puts the whole PEM
//! in the URL; `http::Uri` stops at 64 KiB), and every malformed, oversized or truncated
//! request is answered with the JSON error envelope before the connection closes — never an
//! empty 4xx or a reset. Requests are parsed by `httparse`, answered with `Content-Length`
//! bodies, and connections are kept alive as HTTP/1.1 says.
//!
//! # What is refused, and why
//!
//! Framing is read strictly: where two readings of a request are possible (this server's and
//! a proxy's in front of it), the request is refused rather than guessed at. Every refusal is
//! the JSON envelope, written to the log, and followed by closing the connection (the next
//! request's first byte cannot be found reliably after a framing error).
//!
//! - **Sizes**: a request line over `max_url` is 414, headers over 64 KiB or 256 lines 431, a
//!   body (after chunked decoding) over `max_body` 413.
//! - **`Host`** (RFC 9112 §3.2): an HTTP/1.1 request without one, any request with two, or one
//!   whose value is not `host[:port]` characters is 400 `MalformedRequest` (a MUST). An empty
//!   value is allowed (§3.2), and HTTP/1.0 may leave it out.
//! - **`Content-Length`** (RFC 9112 §6.3): not digits, or several differing values, is 400.
//! - **`Transfer-Encoding`** (RFC 9112 §6.1, §6.3): only `chunked` is decoded, compared without
//!   regard to case (§7), empty list elements ignored (RFC 9110 §5.6.1). `chunked` not the final
//!   coding (`chunked, gzip`, `gzip` alone, an empty value) is 400: the body's length cannot be
//!   determined (§6.3, a MUST); `chunked` twice is 400 (§6.1: never applied more than once);
//!   `Transfer-Encoding` beside `Content-Length` is 400 (§6.1, the request-smuggling case), and
//!   in an HTTP/1.0 request 400 (§6.1: its framing is faulty). Any other coding before a final
//!   `chunked` (`gzip, chunked`) is 501 `NotImplemented` (§6.1: a coding not understood).
//! - **Chunked bodies** (RFC 9112 §7.1): a chunk-size is 1 to 16 hex digits (16 make 64 bits,
//!   so no overflow; `ffffffffffffffff` is simply over the limit, 413) — no sign, no `0x`, no
//!   padding; only the whitespace the grammar allows before `;` (BWS). Chunk extensions are
//!   skipped, not interpreted, but hold no control byte but HTAB; a chunk-size line is at most
//!   1 KiB, checked whether it arrives in one read or many, and a body's extensions together
//!   at most 16 KiB, so that the wire bytes of a body stay within a fixed multiple of its
//!   decoded size. Every line of a chunked body ends in CRLF and chunk data is followed by CRLF:
//!   a bare LF is 400 (the lone-LF leniency of §2.2 is for the head; in chunk framing it is a
//!   known way for two parsers to disagree). Trailer lines must be `name: value` without control
//!   bytes, at most `max_headers` together (431); they are read past, not kept.
//! - **`Expect`** (RFC 9110 §10.1.1): any expectation other than `100-continue` is 417
//!   `ExpectationFailed`; `100-continue` is answered `100 Continue` before the body is read, in
//!   HTTP/1.1 only (an HTTP/1.0 request's is ignored, a MUST).
//! - **`HEAD`** (RFC 9110 §9.3.2; RFC 9112 §6.3 item 1): never has a body, so that a pipelining
//!   client stays in step. On the page and the admin endpoints it is answered as `GET` would be
//!   (same status and headers, the `Content-Length` of `GET`'s body); on `/` naming an action
//!   it runs nothing (`HEAD` is safe, while the API's `GET`s may write) and is the 404
//!   `InvalidAction.NotFound` every method the API does not take gets. A refused `HEAD` has no
//!   body either.
//!
//! Chunked decoding takes linear time in the bytes received: the read buffer ([`ReadBuf`]) is
//! consumed by moving an offset, and its consumed front is dropped only when it is at least as
//! long as what remains, so every byte is moved at most once per byte consumed; chunk data is
//! copied once, into the body, as it arrives.
//!
//! # Connections and memory
//!
//! - **Places** ([`Slots`]): at most `max_connections` at once. When a connection arrives and
//!   every place is taken, the connection idle longest *between requests* (answered at least
//!   once, waiting for its next request, nothing of it received) is closed and its place given
//!   to the newcomer; a keep-alive close is a race every HTTP client handles (RFC 9112 §9.3.1,
//!   §9.6). A connection in the middle of a request — its head or body arriving, being handled,
//!   being answered — is never closed for another, nor one that has not sent its first
//!   request yet (it is about to; it is dropped at the idle deadline if it never does). When no
//!   connection is idle, the newcomer is answered 503 `ServiceUnavailable` as before.
//! - **Bytes** ([`Budget`]): what every connection holds for its request — the read buffer, the
//!   decoded body, the request's copy of target, headers and body — is taken from one shared
//!   budget (`max_buffered_bytes`, 64 MiB by default) before it is allocated, and given back
//!   once the request is answered; an idle connection holds nothing. A connection that needs
//!   more than the budget has left is answered 503 `ServiceUnavailable` at once and closed
//!   (clients retry a 503; waiting instead would let the holders of the budget hold the
//!   waiters too). The handlers' own working copies are not counted: they are bounded by the
//!   per-request limits.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::{Notify, watch};

use crate::api;
use crate::context::Context;
use crate::request::{self, Incoming, Response};
use crate::wire::{Format, GatewayError};

/// The longest chunk-size line (size, extensions, CRLF).
const MAX_CHUNK_LINE: usize = 1024;

/// The most hex digits of a chunk size (64 bits).
const MAX_CHUNK_DIGITS: usize = 16;

/// The most bytes of chunk extensions in one body.
const MAX_EXTENSIONS: usize = 16 << 10;

/// The smallest read buffer, and the first read of a request.
const MIN_BUF: usize = 8192;

/// The room made before each read of the head or of chunked framing.
const READ_ROOM: usize = 16384;

/// The limits of one request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// The request target (path and query), in bytes.
    pub(crate) max_url: usize,
    /// The body, in bytes (after chunked decoding).
    pub(crate) max_body: usize,
    /// The header lines, in bytes (also the trailer lines of a chunked body).
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
#[derive(Debug)]
enum Stop {
    /// Answer with this error, then close.
    Refuse(GatewayError),
    /// Close without an answer (the peer went away or was idle).
    Close,
    /// A deadline passed while reading: the head's drops the connection, the body's is
    /// answered 408 (the client has spoken HTTP and may be waiting for a word).
    Late,
}

/// The bytes buffered by all connections: one budget, shared.
#[derive(Debug)]
pub(crate) struct Budget {
    limit: usize,
    used: AtomicUsize,
}

impl Budget {
    /// A budget of `limit` bytes.
    pub(crate) fn new(limit: usize) -> Arc<Budget> {
        Arc::new(Budget {
            limit,
            used: AtomicUsize::new(0),
        })
    }

    /// Takes `n` bytes if that many are left.
    fn try_take(&self, n: usize) -> bool {
        self.used
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |used| {
                used.checked_add(n).filter(|total| *total <= self.limit)
            })
            .is_ok()
    }

    /// Takes `n` bytes whatever is left (an allocation that came out larger than asked).
    fn force(&self, n: usize) {
        let _ = self
            .used
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |used| {
                Some(used.saturating_add(n))
            });
    }

    fn give(&self, n: usize) {
        let _ = self
            .used
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |used| {
                Some(used.saturating_sub(n))
            });
    }

    /// The bytes taken now.
    #[cfg(test)]
    fn used(&self) -> usize {
        self.used.load(Ordering::SeqCst)
    }
}

/// What one connection holds of the [`Budget`]; given back when dropped.
struct Held {
    budget: Arc<Budget>,
    bytes: usize,
}

impl Held {
    fn new(budget: Arc<Budget>) -> Held {
        Held { budget, bytes: 0 }
    }

    /// Takes `n` more bytes, or refuses the request 503.
    fn take(&mut self, n: usize) -> Result<(), Stop> {
        if self.budget.try_take(n) {
            self.bytes = self.bytes.saturating_add(n);
            Ok(())
        } else {
            Err(Stop::Refuse(GatewayError::ServiceUnavailable))
        }
    }

    fn force(&mut self, n: usize) {
        self.budget.force(n);
        self.bytes = self.bytes.saturating_add(n);
    }

    fn give(&mut self, n: usize) {
        let n = n.min(self.bytes);
        self.budget.give(n);
        self.bytes = self.bytes.saturating_sub(n);
    }

    /// Holds exactly `bytes` from now on.
    fn settle(&mut self, bytes: usize) {
        if bytes < self.bytes {
            self.budget.give(self.bytes.saturating_sub(bytes));
        } else {
            self.budget.force(bytes.saturating_sub(self.bytes));
        }
        self.bytes = bytes;
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        self.budget.give(self.bytes);
    }
}

/// Makes room in `vec` for `additional` more bytes, taken from the budget first: the capacity
/// doubles (so copies stay linear), never past `limit` unless the bytes themselves need it.
fn grow(vec: &mut Vec<u8>, additional: usize, limit: usize, held: &mut Held) -> Result<(), Stop> {
    let needed = vec.len().saturating_add(additional);
    let capacity = vec.capacity();
    if needed <= capacity {
        return Ok(());
    }
    let doubled = capacity.saturating_mul(2).max(MIN_BUF).min(limit);
    let target = needed.max(doubled);
    held.take(target.saturating_sub(capacity))?;
    vec.reserve_exact(target.saturating_sub(vec.len()));
    held.force(vec.capacity().saturating_sub(target));
    Ok(())
}

/// Bytes read from a connection and not yet consumed: `data[start..]`. Consuming moves
/// `start`; the consumed front is dropped (the rest moved to the front) only when it is at
/// least as long as the rest, so the bytes moved never exceed the bytes consumed.
#[derive(Default)]
struct ReadBuf {
    data: Vec<u8>,
    start: usize,
    /// Bytes moved to the front so far (the linearity test counts them).
    moved: usize,
}

impl ReadBuf {
    fn bytes(&self) -> &[u8] {
        self.data.get(self.start..).unwrap_or_default()
    }

    fn len(&self) -> usize {
        self.data.len().saturating_sub(self.start)
    }

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn consume(&mut self, n: usize) {
        self.start = self.start.saturating_add(n).min(self.data.len());
        if self.start == self.data.len() {
            self.data.clear();
            self.start = 0;
        }
    }

    /// Drops the consumed front if it is at least as long as the rest.
    fn compact(&mut self) {
        let rest = self.len();
        if self.start > 0 && self.start >= rest {
            self.data.copy_within(self.start.., 0);
            self.data.truncate(rest);
            self.moved = self.moved.saturating_add(rest);
            self.start = 0;
        }
    }

    /// Room for `additional` more bytes at the end.
    fn reserve(&mut self, additional: usize, held: &mut Held) -> Result<(), Stop> {
        self.compact();
        grow(&mut self.data, additional, usize::MAX, held)
    }

    fn append(&mut self, bytes: &[u8], held: &mut Held) -> Result<(), Stop> {
        self.reserve(bytes.len(), held)?;
        self.data.extend_from_slice(bytes);
        Ok(())
    }

    /// Frees the memory when nothing is left to read (an idle connection holds none).
    fn release_if_empty(&mut self, held: &mut Held) {
        if self.is_empty() {
            held.give(self.data.capacity());
            self.data = Vec::new();
            self.start = 0;
        }
    }
}

/// The server's places for connections: how many are open (at most `max`), and which wait,
/// idle between requests, to be closed for a newcomer.
pub(crate) struct Slots {
    max: usize,
    table: Mutex<Table>,
    open: watch::Sender<usize>,
}

struct Table {
    open: usize,
    next_id: u64,
    /// The idle connections, oldest first: (idle since, id) → the signal that closes it.
    idle: BTreeMap<(Instant, u64), Arc<Notify>>,
}

impl Slots {
    /// Places for `max` connections.
    pub(crate) fn new(max: usize) -> Arc<Slots> {
        Arc::new(Slots {
            max,
            table: Mutex::new(Table {
                open: 0,
                next_id: 0,
                idle: BTreeMap::new(),
            }),
            open: watch::Sender::new(0),
        })
    }

    /// A place for a new connection: a free one, else that of the connection idle longest
    /// between requests (which is told to close; how long it was idle is returned too);
    /// `None` when every connection is in the middle of a request or not yet started.
    pub(crate) fn admit(self: &Arc<Self>) -> Option<(Slot, Option<Duration>)> {
        let mut table = self.table.lock().unwrap_or_else(PoisonError::into_inner);
        let evicted = if table.open < self.max {
            table.open = table.open.saturating_add(1);
            self.open.send_replace(table.open);
            None
        } else {
            let ((since, _), signal) = table.idle.pop_first()?;
            // The place passes to the newcomer: `open` does not change.
            signal.notify_one();
            Some(since.elapsed())
        };
        let id = table.next_id;
        table.next_id = table.next_id.wrapping_add(1);
        let slot = Slot {
            slots: self.clone(),
            id,
            idle: None,
            evict: Arc::new(Notify::new()),
            handed_over: false,
        };
        Some((slot, evicted))
    }

    /// Resolves when every place is free (the connections have ended).
    pub(crate) async fn all_closed(&self) {
        let mut open = self.open.subscribe();
        let _ = open.wait_for(|n| *n == 0).await;
    }
}

/// One connection's place among the [`Slots`]; freed when dropped.
pub(crate) struct Slot {
    slots: Arc<Slots>,
    id: u64,
    /// Its key in the idle table while it waits between requests.
    idle: Option<(Instant, u64)>,
    evict: Arc<Notify>,
    /// Closed for a newcomer, who has the place now.
    handed_over: bool,
}

impl Slot {
    /// Waits between requests: a newcomer may close it from now on.
    fn idle(&mut self) {
        let key = (Instant::now(), self.id);
        let mut table = self
            .slots
            .table
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        table.idle.insert(key, self.evict.clone());
        self.idle = Some(key);
    }

    /// A request began: it cannot be closed for a newcomer now. False when it was, just
    /// before (the connection must close).
    fn busy(&mut self) -> bool {
        let Some(key) = self.idle.take() else {
            return true;
        };
        let mut table = self
            .slots
            .table
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if table.idle.remove(&key).is_none() {
            self.handed_over = true;
            return false;
        }
        true
    }

    /// Resolves when a newcomer has taken this place.
    async fn evicted(&self) {
        self.evict.notified().await;
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut table = self
            .slots
            .table
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(key) = self.idle.take()
            && table.idle.remove(&key).is_none()
        {
            self.handed_over = true;
        }
        if !self.handed_over {
            table.open = table.open.saturating_sub(1);
            self.slots.open.send_replace(table.open);
        }
    }
}

/// How a request's body is framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    /// No body.
    None,
    /// `Content-Length` bytes.
    Length(usize),
    /// `Transfer-Encoding: chunked`.
    Chunked,
}

/// A request's head, as read.
struct Head {
    incoming: Incoming,
    keep_alive: bool,
    http10: bool,
}

/// What the checks of a head found: how to read the body, and whether to say
/// `100 Continue` first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Checked {
    framing: Framing,
    expect_continue: bool,
}

/// Serves requests on `stream` until the peer closes, a framing error, an eviction or
/// shutdown; `slot` is its place among the server's connections, `budget` the bytes all of
/// them may buffer.
pub(crate) async fn serve_connection<S>(
    mut stream: S,
    ctx: Arc<Context>,
    limits: Limits,
    mut slot: Slot,
    budget: Arc<Budget>,
    mut shutdown: watch::Receiver<bool>,
) where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut buf = ReadBuf::default();
    let mut held = Held::new(budget);
    let mut answered = false;
    loop {
        if *shutdown.borrow() {
            return;
        }
        // Wait for the first byte of the next request (idle: cancellable by shutdown, and by
        // a newcomer once this connection has been answered).
        if buf.is_empty() {
            if answered {
                slot.idle();
            }
            let mut chunk = [0u8; MIN_BUF];
            let read = tokio::select! {
                r = tokio::time::timeout(limits.idle_timeout, stream.read(&mut chunk)) => r,
                _ = shutdown.changed() => return,
                () = slot.evicted() => {
                    let _ = stream.shutdown().await;
                    return;
                }
            };
            let n = match read {
                Ok(Ok(n)) if n > 0 => n,
                _ => return,
            };
            if !slot.busy() {
                let _ = stream.shutdown().await;
                return;
            }
            if let Err(stop) = buf.append(chunk.get(..n).unwrap_or_default(), &mut held) {
                finish(&mut stream, &ctx, stop, Instant::now(), false).await;
                return;
            }
        }
        let started = Instant::now();
        let head = match read_head(&mut stream, &mut buf, &mut held, &limits).await {
            Ok(head) => head,
            Err(stop) => {
                finish(&mut stream, &ctx, stop, started, false).await;
                return;
            }
        };
        let is_head = head.incoming.method == "HEAD";
        let keep_alive = head.keep_alive;
        let checked = match check_head(&head, &limits) {
            Ok(checked) => checked,
            Err(error) => {
                finish(&mut stream, &ctx, Stop::Refuse(error), started, is_head).await;
                return;
            }
        };
        let body = read_body(&mut stream, &mut buf, &mut held, &limits, head, checked);
        let incoming = match body.await {
            Ok(incoming) => incoming,
            Err(stop) => {
                let stop = match stop {
                    Stop::Late => Stop::Refuse(GatewayError::RequestTimeout),
                    other => other,
                };
                finish(&mut stream, &ctx, stop, started, is_head).await;
                return;
            }
        };
        buf.release_if_empty(&mut held);
        let keep_alive = keep_alive && !*shutdown.borrow();
        let response = dispatch(ctx.clone(), incoming, started).await;
        // The request is gone (dispatch consumed it): its bytes go back to the budget before
        // the answer is written, so a client that sends its next request on reading the answer
        // finds them there.
        held.settle(buf.data.capacity());
        let written = write_response(&mut stream, &response, keep_alive, is_head).await;
        drop(response);
        if written.is_err() || !keep_alive {
            let _ = stream.shutdown().await;
            return;
        }
        answered = true;
    }
}

/// Ends a connection whose request stopped: a refusal is logged and answered, then the
/// connection closed; the rest just close.
async fn finish<S>(stream: &mut S, ctx: &Context, stop: Stop, started: Instant, is_head: bool)
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    match stop {
        Stop::Close | Stop::Late => {}
        Stop::Refuse(error) => {
            let id = request::request_id();
            let response = request::gateway_response(&error, &id, "", "Cdn", Format::Json);
            ctx.log
                .request(None, None, error.code(), started.elapsed().as_millis());
            let _ = write_response(stream, &response, false, is_head).await;
            drain_and_close(stream).await;
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
    let _ = write_response(&mut stream, &response, false, false).await;
    drain_and_close(&mut stream).await;
}

/// Routes a request: the cloud API on `/`, the admin endpoints under `/_preflight/`, the
/// page. An API request is decoded, authenticated and checked right here on the runtime's
/// thread (tens of microseconds of work; a WAL reader does not wait for the writer), then
/// finished by the writer thread; the admin endpoints and the page wait on the store's lock,
/// so they run on the blocking pool. A `HEAD` is routed as a `GET`, except that it never
/// reaches the API (the caller drops the body).
async fn dispatch(ctx: Arc<Context>, mut incoming: Incoming, started: Instant) -> Response {
    if let Err(error) = ctx.guard.check(&incoming) {
        ctx.log
            .request(None, None, error.code(), started.elapsed().as_millis());
        let id = request::request_id();
        return request::gateway_response(&error, &id, &incoming.host(), "Cdn", Format::Json);
    }
    let is_head = incoming.method == "HEAD";
    if is_head {
        "GET".clone_into(&mut incoming.method);
    }
    if incoming.path == "/"
        && matches!(incoming.method.as_str(), "GET" | "POST")
        && !api::wants_page(&incoming)
        && !is_head
    {
        let handled = api::handle(&ctx, &incoming).await;
        ctx.log.call(&handled.log, started.elapsed().as_millis());
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

/// Reads more bytes into `buf` (taking room from the budget first). The stream ending in the
/// middle of a request is a malformed request (answered: a client that half-closed still
/// reads); an error drops the connection; the deadline passing is `Stop::Late`.
async fn fill<S: AsyncRead + Unpin>(
    stream: &mut S,
    buf: &mut ReadBuf,
    held: &mut Held,
    deadline: tokio::time::Instant,
) -> Result<(), Stop> {
    buf.reserve(READ_ROOM, held)?;
    match tokio::time::timeout_at(deadline, stream.read_buf(&mut buf.data)).await {
        Ok(Ok(n)) if n > 0 => Ok(()),
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

/// The values of every header named `name`.
fn values<'a>(headers: &'a [(String, Vec<u8>)], name: &'a str) -> impl Iterator<Item = &'a [u8]> {
    headers
        .iter()
        .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_slice())
}

/// The members of the comma-separated list in every header named `name`, trimmed, empty
/// ones left out (RFC 9110 §5.6.1).
fn members<'a>(headers: &'a [(String, Vec<u8>)], name: &'a str) -> impl Iterator<Item = &'a [u8]> {
    values(headers, name)
        .flat_map(|v| v.split(|&b| b == b','))
        .map(<[u8]>::trim_ascii)
        .filter(|m| !m.is_empty())
}

/// `Host` (RFC 9112 §3.2): exactly one in HTTP/1.1, at most one in HTTP/1.0, and only the
/// characters of `uri-host [ ":" port ]` (RFC 3986 §3.2.2: reg-name, IPv4, IP-literal).
fn check_host(headers: &[(String, Vec<u8>)], http10: bool) -> Result<(), GatewayError> {
    let mut hosts = values(headers, "host");
    let host = match (hosts.next(), hosts.next()) {
        (None, _) if http10 => return Ok(()),
        (Some(host), None) => host,
        _ => return Err(GatewayError::MalformedRequest),
    };
    let allowed = |b: &u8| b.is_ascii_alphanumeric() || b"-._~%!$&'()*+,;=:[]".contains(b);
    if host.iter().all(allowed) {
        Ok(())
    } else {
        Err(GatewayError::MalformedRequest)
    }
}

/// How the body is framed (RFC 9112 §6.1, §6.3); see the module's documentation.
fn framing(
    headers: &[(String, Vec<u8>)],
    http10: bool,
    max_body: usize,
) -> Result<Framing, GatewayError> {
    let mut lengths = values(headers, "content-length");
    let content_length = match lengths.next() {
        None => None,
        Some(first) => {
            if lengths.any(|v| v != first) {
                return Err(GatewayError::MalformedRequest);
            }
            let text = std::str::from_utf8(first)
                .ok()
                .map(str::trim)
                .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()));
            match text.map(str::parse::<u64>) {
                Some(Ok(n)) => Some(n),
                Some(Err(_)) => return Err(GatewayError::BodyTooLarge),
                None => return Err(GatewayError::MalformedRequest),
            }
        }
    };
    if values(headers, "transfer-encoding").next().is_some() {
        if http10 || content_length.is_some() {
            return Err(GatewayError::MalformedRequest);
        }
        let codings: Vec<&[u8]> = members(headers, "transfer-encoding").collect();
        let chunked = |c: &&[u8]| c.eq_ignore_ascii_case(b"chunked");
        return match codings.split_last() {
            Some((last, before)) if chunked(last) => {
                if before.iter().any(chunked) {
                    Err(GatewayError::MalformedRequest)
                } else if before.is_empty() {
                    Ok(Framing::Chunked)
                } else {
                    Err(GatewayError::NotImplemented)
                }
            }
            _ => Err(GatewayError::MalformedRequest),
        };
    }
    match content_length {
        None | Some(0) => Ok(Framing::None),
        Some(n) => match usize::try_from(n) {
            Ok(n) if n <= max_body => Ok(Framing::Length(n)),
            _ => Err(GatewayError::BodyTooLarge),
        },
    }
}

/// `Expect` (RFC 9110 §10.1.1): true when the client waits for `100 Continue`.
fn expectation(headers: &[(String, Vec<u8>)], http10: bool) -> Result<bool, GatewayError> {
    let mut expects_continue = false;
    for member in members(headers, "expect") {
        if member.eq_ignore_ascii_case(b"100-continue") {
            expects_continue = true;
        } else {
            return Err(GatewayError::ExpectationFailed);
        }
    }
    Ok(expects_continue && !http10)
}

/// Reads one request's head from `stream`, `buf` holding what was read already; leaves in
/// `buf` the bytes after it. What can be refused before the method is known is refused
/// here; the rest in [`check_head`].
async fn read_head<S>(
    stream: &mut S,
    buf: &mut ReadBuf,
    held: &mut Held,
    limits: &Limits,
) -> Result<Head, Stop>
where
    S: AsyncRead + Unpin,
{
    let head_deadline = tokio::time::Instant::now() + limits.head_timeout;
    // The request line: method, target (at most max_url) and version.
    let line_max = limits.max_url.saturating_add(64);
    let mut scanned = 0;
    let line_end = loop {
        if let Some(end) = find(buf.bytes(), b"\n", scanned) {
            break end;
        }
        scanned = buf.len();
        if buf.len() > line_max {
            return Err(Stop::Refuse(GatewayError::UriTooLong));
        }
        fill(stream, buf, held, head_deadline).await?;
    };
    if line_end > line_max {
        return Err(Stop::Refuse(GatewayError::UriTooLong));
    }
    // The header lines, up to the empty line.
    let mut scanned = line_end;
    let head_end = loop {
        let crlf = find(buf.bytes(), b"\n\r\n", scanned).map(|p| p + 3);
        let lf = find(buf.bytes(), b"\n\n", scanned).map(|p| p + 2);
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
        fill(stream, buf, held, head_deadline).await?;
    };
    if head_end.saturating_sub(line_end) > limits.max_headers.saturating_add(4) {
        return Err(Stop::Refuse(GatewayError::HeadersTooLarge));
    }
    let mut header_slots = vec![httparse::EMPTY_HEADER; limits.max_header_count];
    let mut request = httparse::Request::new(&mut header_slots);
    let head = buf.bytes().get(..head_end).unwrap_or_default();
    match request.parse(head) {
        Ok(httparse::Status::Complete(_)) => {}
        Err(httparse::Error::TooManyHeaders) => {
            return Err(Stop::Refuse(GatewayError::HeadersTooLarge));
        }
        _ => return Err(Stop::Refuse(GatewayError::MalformedRequest)),
    }
    let target = request.path.unwrap_or_default();
    if target.len() > limits.max_url {
        return Err(Stop::Refuse(GatewayError::UriTooLong));
    }
    // The request's own copy of target and headers is held from the budget too.
    let copied = request.headers.iter().fold(target.len(), |sum, h| {
        sum.saturating_add(h.name.len())
            .saturating_add(h.value.len())
    });
    held.take(copied)?;
    let method = request.method.unwrap_or_default().to_owned();
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
    buf.consume(head_end);
    buf.release_if_empty(held);
    let incoming = Incoming {
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
    Ok(Head {
        incoming,
        keep_alive,
        http10,
    })
}

/// The checks of a parsed head: `Host`, the body's framing, `Expect`.
fn check_head(head: &Head, limits: &Limits) -> Result<Checked, GatewayError> {
    let headers = &head.incoming.headers;
    check_host(headers, head.http10)?;
    let framing = framing(headers, head.http10, limits.max_body)?;
    let expect_continue = expectation(headers, head.http10)?;
    Ok(Checked {
        framing,
        expect_continue,
    })
}

/// Reads the body `head` announces; leaves in `buf` the bytes after it (a pipelined next
/// request).
async fn read_body<S>(
    stream: &mut S,
    buf: &mut ReadBuf,
    held: &mut Held,
    limits: &Limits,
    head: Head,
    checked: Checked,
) -> Result<Incoming, Stop>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut incoming = head.incoming;
    let Checked {
        framing,
        expect_continue,
    } = checked;
    if framing != Framing::None && expect_continue {
        stream
            .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
            .await
            .map_err(|_| Stop::Close)?;
    }
    let deadline = tokio::time::Instant::now() + limits.body_timeout;
    match framing {
        Framing::None => {}
        Framing::Chunked => {
            incoming.body = read_chunked(stream, buf, held, limits, deadline).await?;
        }
        Framing::Length(length) => {
            incoming.body = read_length(stream, buf, held, length, deadline).await?;
        }
    }
    Ok(incoming)
}

/// Reads a body of `length` bytes: first what `buf` holds, then straight from the stream.
async fn read_length<S: AsyncRead + Unpin>(
    stream: &mut S,
    buf: &mut ReadBuf,
    held: &mut Held,
    length: usize,
    deadline: tokio::time::Instant,
) -> Result<Vec<u8>, Stop> {
    let mut body = Vec::new();
    let buffered = buf.len().min(length);
    grow(&mut body, buffered, length, held)?;
    body.extend_from_slice(buf.bytes().get(..buffered).unwrap_or_default());
    buf.consume(buffered);
    while body.len() < length {
        let left = length.saturating_sub(body.len());
        grow(&mut body, left.min(READ_ROOM), length, held)?;
        let limit = u64::try_from(left).unwrap_or(u64::MAX);
        let mut limited = (&mut *stream).take(limit);
        match tokio::time::timeout_at(deadline, limited.read_buf(&mut body)).await {
            Ok(Ok(n)) if n > 0 => {}
            Ok(Ok(_)) => return Err(Stop::Refuse(GatewayError::MalformedRequest)),
            Ok(Err(_)) => return Err(Stop::Close),
            Err(_) => return Err(Stop::Late),
        }
    }
    Ok(body)
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

/// Waits until `buf` holds a whole line ending in CRLF, at most `max` bytes with the CRLF
/// (else `too_long`); returns its length without the CRLF. A line ending in a bare LF is
/// malformed.
async fn crlf_line<S: AsyncRead + Unpin>(
    stream: &mut S,
    buf: &mut ReadBuf,
    held: &mut Held,
    max: usize,
    too_long: GatewayError,
    deadline: tokio::time::Instant,
) -> Result<usize, Stop> {
    let mut scanned = 0;
    let end = loop {
        if let Some(end) = find(buf.bytes(), b"\n", scanned) {
            break end;
        }
        scanned = buf.len();
        if buf.len() >= max {
            return Err(Stop::Refuse(too_long));
        }
        fill(stream, buf, held, deadline).await?;
    };
    if end >= max {
        return Err(Stop::Refuse(too_long));
    }
    match end.checked_sub(1) {
        Some(content) if buf.bytes().get(content) == Some(&b'\r') => Ok(content),
        _ => Err(Stop::Refuse(GatewayError::MalformedRequest)),
    }
}

/// A chunk-size line without its CRLF (RFC 9112 §7.1: `1*HEXDIG [ chunk-ext ]`): the size
/// and the length of the extensions.
fn chunk_size(line: &[u8]) -> Result<(u64, usize), GatewayError> {
    let digits = line.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    if digits == 0 || digits > MAX_CHUNK_DIGITS {
        return Err(GatewayError::MalformedRequest);
    }
    let size = line
        .get(..digits)
        .unwrap_or_default()
        .iter()
        .try_fold(0u64, |size, &b| {
            let digit = char::from(b).to_digit(16)?;
            size.checked_mul(16)?.checked_add(u64::from(digit))
        })
        .ok_or(GatewayError::MalformedRequest)?;
    let rest = line.get(digits..).unwrap_or_default();
    if rest.is_empty() {
        return Ok((size, 0));
    }
    // chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS value ] ): whitespace only before `;`.
    let extensions = rest.trim_ascii_start();
    let whitespace = |b: &u8| *b == b' ' || *b == b'\t';
    let bws = rest.len().saturating_sub(extensions.len());
    let clean = |b: &u8| *b == b'\t' || (*b >= 0x20 && *b != 0x7f);
    if rest.get(..bws).is_some_and(|w| w.iter().all(whitespace))
        && extensions.first() == Some(&b';')
        && extensions.iter().all(clean)
    {
        Ok((size, rest.len()))
    } else {
        Err(GatewayError::MalformedRequest)
    }
}

/// Decodes a chunked body of at most `limits.max_body` bytes, in time linear in the bytes
/// received (see [`ReadBuf`]).
async fn read_chunked<S: AsyncRead + Unpin>(
    stream: &mut S,
    buf: &mut ReadBuf,
    held: &mut Held,
    limits: &Limits,
    deadline: tokio::time::Instant,
) -> Result<Vec<u8>, Stop> {
    let max = limits.max_body;
    let mut body = Vec::new();
    let mut extensions: usize = 0;
    loop {
        let length = crlf_line(
            stream,
            buf,
            held,
            MAX_CHUNK_LINE,
            GatewayError::MalformedRequest,
            deadline,
        )
        .await?;
        let (size, extension) =
            chunk_size(buf.bytes().get(..length).unwrap_or_default()).map_err(Stop::Refuse)?;
        extensions = extensions.saturating_add(extension);
        if extensions > MAX_EXTENSIONS {
            return Err(Stop::Refuse(GatewayError::MalformedRequest));
        }
        buf.consume(length.saturating_add(2));
        if size == 0 {
            read_trailers(stream, buf, held, limits.max_headers, deadline).await?;
            return Ok(body);
        }
        let size = match usize::try_from(size) {
            Ok(size) if body.len().saturating_add(size) <= max => size,
            _ => return Err(Stop::Refuse(GatewayError::BodyTooLarge)),
        };
        // The chunk's data, copied into the body as it arrives.
        let mut left = size;
        while left > 0 {
            if buf.is_empty() {
                fill(stream, buf, held, deadline).await?;
            }
            let take = left.min(buf.len());
            grow(&mut body, take, max, held)?;
            body.extend_from_slice(buf.bytes().get(..take).unwrap_or_default());
            buf.consume(take);
            left = left.saturating_sub(take);
        }
        while buf.len() < 2 {
            fill(stream, buf, held, deadline).await?;
        }
        if buf.bytes().get(..2) != Some(b"\r\n") {
            return Err(Stop::Refuse(GatewayError::MalformedRequest));
        }
        buf.consume(2);
    }
}

/// Reads past the trailer section up to its empty line: `name: value` lines, at most `max`
/// bytes together.
async fn read_trailers<S: AsyncRead + Unpin>(
    stream: &mut S,
    buf: &mut ReadBuf,
    held: &mut Held,
    max: usize,
    deadline: tokio::time::Instant,
) -> Result<(), Stop> {
    let mut total: usize = 0;
    loop {
        let room = max.saturating_sub(total).saturating_add(2);
        let length = crlf_line(
            stream,
            buf,
            held,
            room,
            GatewayError::HeadersTooLarge,
            deadline,
        )
        .await?;
        let line = buf.bytes().get(..length).unwrap_or_default();
        if line.is_empty() {
            buf.consume(2);
            return Ok(());
        }
        let clean = |b: &u8| *b == b'\t' || (*b >= 0x20 && *b != 0x7f);
        let named = line.iter().position(|&b| b == b':').is_some_and(|p| p > 0);
        if !named || !line.iter().all(clean) {
            return Err(Stop::Refuse(GatewayError::MalformedRequest));
        }
        total = total.saturating_add(length.saturating_add(2));
        buf.consume(length.saturating_add(2));
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
        417 => "Expectation Failed",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
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

/// Writes `response`; to a `HEAD` (`is_head`) without its body, `Content-Length` still that
/// of the body (RFC 9110 §9.3.2).
async fn write_response<S: AsyncWrite + Unpin>(
    stream: &mut S,
    response: &Response,
    keep_alive: bool,
    is_head: bool,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nDate: {}\r\nConnection: {}\r\n\
         X-Content-Type-Options: nosniff\r\n",
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
    if !is_head {
        message.extend_from_slice(&response.body);
    }
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
    // On the heap, and only here: a connection's task need not carry it.
    let mut chunk = vec![0u8; 16384];
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
    use std::pin::Pin;
    use std::task::{Context as TaskContext, Poll};

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

    /// A stream that hands out at most `step` bytes per read.
    struct Trickle {
        data: Vec<u8>,
        at: usize,
        step: usize,
    }

    impl AsyncRead for Trickle {
        fn poll_read(
            mut self: Pin<&mut Self>,
            _: &mut TaskContext<'_>,
            out: &mut tokio::io::ReadBuf<'_>,
        ) -> Poll<std::io::Result<()>> {
            let n = self
                .step
                .min(out.remaining())
                .min(self.data.len() - self.at);
            let at = self.at;
            out.put_slice(&self.data[at..at + n]);
            self.at += n;
            Poll::Ready(Ok(()))
        }
    }

    fn one_byte_chunks(body: &[u8]) -> Vec<u8> {
        let mut wire = Vec::new();
        for b in body {
            wire.extend(b"1\r\n");
            wire.push(*b);
            wire.extend(b"\r\n");
        }
        wire.extend(b"0\r\n\r\n");
        wire
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
    }

    /// Decodes `wire` read `step` bytes at a time: the body and the bytes moved in the buffer.
    fn decode(wire: Vec<u8>, step: usize) -> (Vec<u8>, usize, usize) {
        let budget = Budget::new(usize::MAX);
        let mut held = Held::new(budget);
        let mut stream = Trickle {
            data: wire,
            at: 0,
            step,
        };
        let mut buf = ReadBuf::default();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(600);
        let body = runtime()
            .block_on(read_chunked(
                &mut stream,
                &mut buf,
                &mut held,
                &Limits::default(),
                deadline,
            ))
            .unwrap();
        assert!(buf.is_empty());
        (body, buf.moved, stream.at)
    }

    #[test]
    fn chunked_decoding_moves_each_byte_at_most_once() {
        // 1 MiB in 1-byte chunks (6 MiB on the wire), read 16 KiB and 1000 bytes at a time:
        // draining the front per chunk moved ~8 KiB per chunk (8 GiB in all); the offset
        // moves at most what was consumed, and in practice far less.
        let body: Vec<u8> = (0..(1u32 << 20)).map(|i| b'a' + (i % 26) as u8).collect();
        let wire = one_byte_chunks(&body);
        for step in [READ_ROOM, 1000] {
            let (decoded, moved, read) = decode(wire.clone(), step);
            assert_eq!(decoded, body);
            assert_eq!(read, wire.len());
            assert!(
                moved <= wire.len(),
                "step {step}: moved {moved} of {}",
                wire.len()
            );
        }
        // Reads that end inside chunk lines.
        let small = one_byte_chunks(&body[..64 << 10]);
        let (decoded, moved, _) = decode(small.clone(), 7);
        assert_eq!(decoded, &body[..64 << 10]);
        assert!(moved <= small.len(), "moved {moved} of {}", small.len());
        // Twice the body, at most twice the moves: linear, not quadratic.
        let (_, moved_half, _) = decode(one_byte_chunks(&body[..1 << 19]), 1000);
        let (_, moved_full, _) = decode(wire, 1000);
        assert!(
            moved_full <= 2 * moved_half + 4096,
            "{moved_half} → {moved_full}"
        );
    }

    #[test]
    fn the_read_buffer_compacts_only_when_the_front_outweighs_the_rest() {
        let mut held = Held::new(Budget::new(usize::MAX));
        let mut buf = ReadBuf::default();
        buf.append(b"abcdef", &mut held).unwrap();
        buf.consume(2);
        buf.compact();
        assert_eq!((buf.start, buf.moved), (2, 0));
        buf.consume(1);
        buf.compact();
        assert_eq!((buf.bytes(), buf.start, buf.moved), (&b"def"[..], 0, 3));
        buf.consume(3);
        assert_eq!((buf.data.len(), buf.start), (0, 0));
    }

    #[test]
    fn chunk_size_lines() {
        let malformed = Err(GatewayError::MalformedRequest);
        for (line, expected) in [
            (&b"1"[..], Ok((1, 0))),
            (b"aF", Ok((0xaf, 0))),
            (b"0000000000000010", Ok((16, 0))),
            (b"ffffffffffffffff", Ok((u64::MAX, 0))),
            (b"1;a=b", Ok((1, 4))),
            (b"1 ;a", Ok((1, 3))),
            (b"1\t; a = \"b c\"", Ok((1, 12))),
            (b"", malformed.clone()),
            (b"+1", malformed.clone()),
            (b"-1", malformed.clone()),
            (b" 1", malformed.clone()),
            (b"1 ", malformed.clone()),
            (b"0x1", malformed.clone()),
            (b"1 2", malformed.clone()),
            (b"g", malformed.clone()),
            (b"00000000000000001", malformed.clone()),
            (b"1;a\rb", malformed.clone()),
            (b"1;a\x00", malformed.clone()),
            (b"1;\x7f", malformed.clone()),
        ] {
            assert_eq!(
                chunk_size(line),
                expected,
                "{}",
                String::from_utf8_lossy(line)
            );
        }
    }

    fn headers(list: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
        list.iter()
            .map(|(n, v)| ((*n).to_owned(), v.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn framing_follows_rfc_9112() {
        let malformed = Err(GatewayError::MalformedRequest);
        let te = |v: &str| headers(&[("Transfer-Encoding", v)]);
        let max = 1 << 20;
        assert_eq!(framing(&te("chunked"), false, max), Ok(Framing::Chunked));
        assert_eq!(framing(&te("CHUNKED"), false, max), Ok(Framing::Chunked));
        assert_eq!(framing(&te(" , chunked"), false, max), Ok(Framing::Chunked));
        assert_eq!(
            framing(&te("gzip, chunked"), false, max),
            Err(GatewayError::NotImplemented)
        );
        assert_eq!(framing(&te("chunked, gzip"), false, max), malformed);
        assert_eq!(framing(&te("gzip"), false, max), malformed);
        assert_eq!(framing(&te(""), false, max), malformed);
        assert_eq!(framing(&te("chunked, chunked"), false, max), malformed);
        assert_eq!(framing(&te("chunked"), true, max), malformed);
        let both = headers(&[("Transfer-Encoding", "chunked"), ("Content-Length", "1")]);
        assert_eq!(framing(&both, false, max), malformed);
        let length = |v: &str| headers(&[("Content-Length", v)]);
        assert_eq!(framing(&length("0"), false, max), Ok(Framing::None));
        assert_eq!(framing(&length("5"), true, max), Ok(Framing::Length(5)));
        assert_eq!(framing(&length("+5"), false, max), malformed);
        assert_eq!(
            framing(&length("1048577"), false, max),
            Err(GatewayError::BodyTooLarge)
        );
        assert_eq!(framing(&[], false, max), Ok(Framing::None));
    }

    #[test]
    fn host_and_expect() {
        assert_eq!(check_host(&[], true), Ok(()));
        assert_eq!(check_host(&[], false), Err(GatewayError::MalformedRequest));
        assert_eq!(check_host(&headers(&[("Host", "")]), false), Ok(()));
        assert_eq!(check_host(&headers(&[("host", "[::1]:80")]), false), Ok(()));
        for bad in ["a b", "a/b", "a@b", "a\tb"] {
            assert_eq!(
                check_host(&headers(&[("Host", bad)]), false),
                Err(GatewayError::MalformedRequest),
                "{bad}"
            );
        }
        let two = headers(&[("Host", "a"), ("HOST", "a")]);
        assert_eq!(check_host(&two, true), Err(GatewayError::MalformedRequest));
        let expect = |v: &str| headers(&[("Expect", v)]);
        assert_eq!(expectation(&expect("100-continue"), false), Ok(true));
        assert_eq!(expectation(&expect("100-Continue"), true), Ok(false));
        assert_eq!(expectation(&expect(""), false), Ok(false));
        assert_eq!(
            expectation(&expect("200-ok"), false),
            Err(GatewayError::ExpectationFailed)
        );
    }

    #[test]
    fn the_budget_is_shared_and_given_back() {
        let budget = Budget::new(100);
        let mut a = Held::new(budget.clone());
        let mut b = Held::new(budget.clone());
        assert!(a.take(60).is_ok());
        assert!(b.take(50).is_err());
        assert!(b.take(40).is_ok());
        assert_eq!(budget.used(), 100);
        a.settle(10);
        assert_eq!(budget.used(), 50);
        drop(a);
        drop(b);
        assert_eq!(budget.used(), 0);
        // Growing a vector takes its new capacity (doubling) before allocating.
        let mut held = Held::new(budget.clone());
        let mut vec = Vec::new();
        assert!(grow(&mut vec, 10, 100, &mut held).is_ok());
        assert_eq!(budget.used(), vec.capacity());
        assert!(grow(&mut vec, 200, usize::MAX, &mut held).is_err());
    }

    #[test]
    fn an_idle_slot_is_handed_to_a_newcomer_and_a_busy_one_never() {
        let slots = Slots::new(2);
        let (mut a, none) = slots.admit().unwrap();
        assert!(none.is_none());
        let (mut b, _) = slots.admit().unwrap();
        // Neither has been answered yet: nothing to evict.
        assert!(slots.admit().is_none());
        a.idle();
        b.idle();
        assert!(b.busy());
        // a idle, b busy: the newcomer takes a's place.
        let (c, evicted) = slots.admit().unwrap();
        assert!(evicted.is_some());
        assert!(!a.busy(), "a was evicted");
        assert!(slots.admit().is_none());
        drop(a);
        assert_eq!(*slots.open.borrow(), 2);
        drop(b);
        drop(c);
        assert_eq!(*slots.open.borrow(), 0);
    }
}
