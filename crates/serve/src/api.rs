//! One cloud-API request, from what the socket layer read to the response: decode, route,
//! authenticate, then run the library's checks on the database (a `Set*` action) or read a
//! domain's certificate back (a `Describe*` action). No sockets here; the clock is read once
//! per request for the signature window (and for validity unless `--at` fixed it).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use cert_preflight::{Options, Product, Profile, Request, Role, StoreError, record, validate};
use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use crate::store::{CertDetails, Change, DomainCertificate, LogEntry, Store, Tx, View};
use crate::wire::{
    ErrorEnvelope, Format, GatewayError, NonceCache, WireRequest, authenticate, header_values,
    requested_action, route, success_json, success_xml,
};
use crate::writer::Writer;

/// The shape of a read-back answer: the SDK models differ in field names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// CDN and VOD: `ServerCertificate`, `ServerCertificateStatus`, `CertStartTime`, ….
    Cdn,
    /// Live: `SSLPub`, `SSLProtocol`.
    Live,
    /// DCDN: Live's fields plus `CertId` and `CertRegion`.
    Dcdn,
}

/// What an (Action, Version) pair does.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// A certificate upload checked by the library.
    Set(&'static Profile),
    /// A read-back of the domains' certificates.
    Describe(Product, Shape),
}

/// The read-back APIs: action, version, product and shape.
const DESCRIBE: [(&str, &str, Product, Shape); 4] = [
    (
        "DescribeDomainCertificateInfo",
        "2018-05-10",
        Product::Cdn,
        Shape::Cdn,
    ),
    (
        "DescribeLiveDomainCertificateInfo",
        "2016-11-01",
        Product::Live,
        Shape::Live,
    ),
    (
        "DescribeDcdnDomainCertificateInfo",
        "2018-01-15",
        Product::Dcdn,
        Shape::Dcdn,
    ),
    (
        "DescribeVodDomainCertificateInfo",
        "2017-03-21",
        Product::Vod,
        Shape::Cdn,
    ),
];

/// The message of a `500 InternalError`, as the service writes it.
const INTERNAL_ERROR: &str =
    "The request processing has failed due to some unknown error, exception or failure.";

/// Everything a request is answered with, shared by the connections.
pub(crate) struct Context {
    keys: Vec<(String, String)>,
    at: Option<OffsetDateTime>,
    nonces: Mutex<NonceCache>,
    /// The database: written by the writer thread in batches, by the admin endpoints between
    /// them.
    pub(crate) store: Arc<Mutex<Store>>,
    /// The thread that commits the API requests' changes and log entries (group commit).
    writer: Writer,
    /// Read connections to the same file, for checks beside the writer (`None` in memory).
    readers: Option<crate::store::Readers>,
    /// Bumped by every change of domains, faults or certificate-service entries (the admin
    /// endpoints): a check on an older snapshot is then done again under the write lock.
    pub(crate) state_version: Arc<AtomicU64>,
    routes: Vec<(&'static str, &'static str, Target)>,
}

impl Context {
    /// A context with these credentials, validity time and store.
    pub(crate) fn new(
        keys: Vec<(String, String)>,
        at: Option<OffsetDateTime>,
        store: Store,
    ) -> Self {
        let mut routes: Vec<(&'static str, &'static str, Target)> = Profile::ALL
            .iter()
            .map(|p| (p.action(), p.version(), Target::Set(p)))
            .collect();
        routes.extend(
            DESCRIBE
                .iter()
                .map(|&(a, v, product, shape)| (a, v, Target::Describe(product, shape))),
        );
        let readers = store.readers();
        let store = Arc::new(Mutex::new(store));
        Context {
            keys,
            at,
            nonces: Mutex::new(NonceCache::default()),
            readers,
            writer: Writer::start(store.clone()),
            store,
            routes,
            state_version: Arc::new(AtomicU64::new(0)),
        }
    }

    fn secret(&self, id: &str) -> Option<&str> {
        self.keys
            .iter()
            .find(|(k, _)| k == id)
            .map(|(_, s)| s.as_str())
    }
}

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
pub(crate) fn shown(bytes: &[u8], max: usize) -> String {
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

/// The product a gateway error's `Recommend` names when the request was not routed.
fn product_of_version(version: Option<&[u8]>) -> &'static str {
    Profile::ALL
        .iter()
        .find(|p| Some(p.version().as_bytes()) == version)
        .map_or("Cdn", |p| p.product().code())
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

/// True when a request to `/` is a person's (a GET with no `Action`): it gets the page.
pub(crate) fn wants_page(incoming: &Incoming) -> bool {
    incoming.method == "GET"
        && incoming.path == "/"
        && !incoming
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("x-acs-action"))
        && crate::wire::decode_form(&incoming.query)
            .is_ok_and(|params| params.get("Action").is_none())
}

/// The page at `/` (`crate::page`), read from the store.
pub(crate) fn page(ctx: &Context, incoming: &Incoming) -> Response {
    let now = OffsetDateTime::now_utc();
    let filter = crate::page::Filter::from_query(&incoming.query);
    let store = match ctx.store.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    };
    match store.page(now, ctx.at.unwrap_or(now), filter) {
        Ok(page) => Response {
            status: 200,
            content_type: "text/html; charset=utf-8",
            headers: vec![("cache-control", "no-store".to_owned())],
            body: crate::page::render(&page).into_bytes(),
        },
        Err(e) => {
            let id = request_id();
            Response::json(
                500,
                format!(
                    "{{\"RequestId\":\"{id}\",\"Code\":\"InternalError\",\"Message\":\"{}\"}}",
                    crate::page::escape(&format!("the store cannot be read: {e}"))
                ),
            )
        }
    }
}

/// Who an answer is for: what a refusal or an internal error needs.
#[derive(Debug, Clone)]
pub(crate) struct Addressee {
    id: String,
    host: String,
    product: Product,
    format: Format,
}

/// A write's work in the writer's transaction (under a savepoint of its own), given the
/// request's log entry and whom it answers: the answer, or a store error, on which its
/// changes are rolled back and the answer is `InternalError`.
pub(crate) type Work =
    Box<dyn FnOnce(&mut Tx<'_>, &mut LogEntry, &Addressee) -> Result<Response, StoreError> + Send>;

/// What is left of a request once it is decoded, routed, authenticated and checked on a
/// snapshot: the writer's part ([`crate::writer`]).
pub(crate) struct Prepared {
    started: Instant,
    log: LogEntry,
    step: Step,
}

/// The writer's part of a request.
enum Step {
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
                    product: Product::Cdn,
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
    pub(crate) fn run(self, tx: &mut Tx<'_>) -> Ran {
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
            eprintln!("cert-preflight serve: cannot write the request log: {e}");
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

/// Answers one request to `/`: [`prepare`] here, the rest in the writer's next transaction.
pub(crate) async fn handle(ctx: &Context, incoming: &Incoming) -> Handled {
    // A check that panics (a bug) is answered InternalError rather than dropping the
    // connection without a word.
    let prepared =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| prepare(ctx, incoming)));
    match prepared {
        Ok(prepared) => ctx.writer.submit(prepared).await,
        Err(_) => {
            let error = StoreError::new("the request's check panicked");
            let handled = Handled::lost(request_id(), &error);
            eprintln!(
                "cert-preflight serve: {error} (request {})",
                handled.log.request_id
            );
            handled
        }
    }
}

/// Decodes, routes and authenticates one request to `/`, and checks an upload on a snapshot
/// (where the store is a file): what is left is the writer's.
pub(crate) fn prepare(ctx: &Context, incoming: &Incoming) -> Prepared {
    let started = Instant::now();
    let id = request_id();
    let host = incoming.host();
    let headers: Vec<(&str, &[u8])> = incoming
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_slice()))
        .collect();
    let wire = WireRequest {
        method: &incoming.method,
        path: &incoming.path,
        query: &incoming.query,
        headers: &headers,
        body: &incoming.body,
    };
    let mut log = LogEntry::new(id.clone());
    let gateway = |error: GatewayError, product: &str, format: Format, log: &mut LogEntry| {
        log.code = error.code().to_owned();
        // The log never holds the string to sign: it carries the request's parameters.
        log.message = Some(match &error {
            GatewayError::SignatureDoesNotMatch { .. } => {
                "Specified signature is not matched with our calculation.".to_owned()
            }
            other => other.message().into_owned(),
        });
        Step::Answered(gateway_response(&error, &id, &host, product, format))
    };
    let step = 'answer: {
        let params = match wire.params() {
            Ok(params) => params,
            Err(e) => {
                log.detail = Some(format!("{e}"));
                break 'answer gateway(
                    GatewayError::MalformedRequest,
                    "Cdn",
                    Format::Json,
                    &mut log,
                );
            }
        };
        let format = Format::from_params(&params);
        log.action = requested_action(&params, &headers).map(|a| shown(a, 64));
        log.domain = params.get("DomainName").map(|d| shown(d, 255));
        let version = crate::wire::requested_version(&params, &headers);
        let table: Vec<(&str, &str)> = ctx.routes.iter().map(|&(a, v, _)| (a, v)).collect();
        let routed = match route(&table, &params, &headers) {
            Ok(routed) => routed,
            Err(error) => {
                break 'answer gateway(error, product_of_version(version), format, &mut log);
            }
        };
        let Some(&(action, _, target)) = ctx.routes.get(routed.index) else {
            break 'answer gateway(GatewayError::InvalidActionNotFound, "Cdn", format, &mut log);
        };
        let product = match target {
            Target::Set(profile) => profile.product(),
            Target::Describe(product, _) => product,
        };
        let identity = {
            let mut nonces = match ctx.nonces.lock() {
                Ok(guard) => guard,
                Err(poisoned) => poisoned.into_inner(),
            };
            authenticate(
                &wire,
                &params,
                |k| ctx.secret(k),
                OffsetDateTime::now_utc(),
                &mut nonces,
            )
        };
        match identity {
            Ok(identity) => log.access_key_id = Some(identity.access_key_id),
            Err(error) => {
                // The claimed id, for the log only (never the signature or its string).
                log.access_key_id = params.get("AccessKeyId").map(|a| shown(a, 64));
                break 'answer gateway(error, product.code(), format, &mut log);
            }
        }
        let to = Addressee {
            id: id.clone(),
            host: host.clone(),
            product,
            format,
        };
        let pairs = params.iter().map(|p| (p.name, p.value));
        match target {
            Target::Set(profile) => {
                let request = Request::from_pairs(profile, pairs);
                set(ctx, profile, request, action, to, &mut log)
            }
            Target::Describe(product, shape) => {
                let domains = params.get_str("DomainName").unwrap_or_default().to_owned();
                describe(ctx, product, shape, domains, action, to, &mut log)
            }
        }
    };
    Prepared { started, log, step }
}

/// A success body in the requested format.
fn success(action: &str, id: &str, fields: &[(&str, Value)], format: Format) -> Response {
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

/// An error with a code and message that are not the gateway's.
fn refusal(
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
        product: to.product.code(),
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

fn internal_error(error: &StoreError, to: &Addressee, log: &mut LogEntry) -> Response {
    log_internal_error(log, error);
    refusal(500, "InternalError", INTERNAL_ERROR, None, to)
}

/// What the log says of a request answered `InternalError` because of `error`.
fn log_internal_error(log: &mut LogEntry, error: &StoreError) {
    log.code = "InternalError".to_owned();
    log.detail = Some(error.to_string());
    log.message = Some(INTERNAL_ERROR.to_owned());
}

/// The check's warnings as (code, text), for the log.
fn warnings(verdict: &cert_preflight::Verdict) -> Vec<(String, String)> {
    verdict
        .warnings()
        .iter()
        .map(|w| (w.code().to_owned(), w.to_string()))
        .collect()
}

/// A `Set*` action. The checks run here, beside the other requests, on a snapshot of a read
/// connection: they are where the time goes (PEM, X.509, the key match). A refusal changes
/// nothing and is the answer; an acceptance is confirmed and stored by the writer, in its next
/// transaction.
fn set(
    ctx: &Context,
    profile: &'static Profile,
    request: Request,
    action: &'static str,
    to: Addressee,
    log: &mut LogEntry,
) -> Step {
    let now = ctx.at.unwrap_or_else(OffsetDateTime::now_utc);
    let version = ctx.state_version.load(Ordering::SeqCst);
    let snapshot = ctx.readers.as_ref().and_then(|readers| {
        readers
            .with(|view| {
                let options = Options::at(now)
                    .with_domains(view)
                    .with_store(view)
                    .with_faults(view);
                validate(profile, &request, &options)
            })
            .ok()
            .and_then(Result::ok)
    });
    if let Some(verdict) = &snapshot
        && let Some(finding) = verdict.answer()
    {
        log.warnings = warnings(verdict);
        return Step::Answered(refused(finding, &to, log));
    }
    // The public details stored beside the certificate, parsed here rather than in the writer.
    let details = snapshot
        .as_ref()
        .and_then(cert_preflight::Verdict::upload)
        .map(|upload| details_of(&request, upload));
    let state_version = ctx.state_version.clone();
    let work = move |tx: &mut Tx<'_>,
                     log: &mut LogEntry,
                     to: &Addressee|
          -> Result<Response, StoreError> {
        // Accepted on the snapshot: under the write lock, only what a concurrent change could
        // have turned is checked again (the name and the content now stored, and any change
        // of domains, faults or certificate-service entries); otherwise the full check.
        let verdict = match snapshot {
            Some(verdict)
                if state_version.load(Ordering::SeqCst) == version
                    && still_clear(tx, profile, &verdict)? =>
            {
                verdict
            }
            _ => {
                let options = Options::at(now)
                    .with_domains(&*tx)
                    .with_store(&*tx)
                    .with_faults(&*tx);
                validate(profile, &request, &options)?
            }
        };
        log.warnings = warnings(&verdict);
        if let Some(finding) = verdict.answer() {
            return Ok(refused(finding, to, log));
        }
        let value = |role: Role| text(&request, role);
        let domain = value(Role::Domain).unwrap_or_default();
        let change = if value(Role::Switch).as_deref() == Some("on") {
            let name = match verdict.upload() {
                Some(upload) => {
                    let details = details.unwrap_or_else(|| details_of(&request, upload));
                    tx.set_pending(details);
                    record(to.product, &verdict, tx)?;
                    upload.name()
                }
                None => value(Role::CertName)
                    .or_else(|| value(Role::CertId))
                    .unwrap_or_default(),
            };
            Change::On(name)
        } else {
            Change::Off
        };
        tx.set_https(to.product, &domain, &change)?;
        log.code = "OK".to_owned();
        Ok(success(action, &to.id, &[], to.format))
    };
    Step::Write {
        work: Box::new(work),
        to,
    }
}

/// A parameter's value as text (invalid UTF-8 replaced).
fn text(request: &Request, role: Role) -> Option<String> {
    request
        .get(role)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// The public details of an accepted upload's chain, stored beside it.
fn details_of(request: &Request, upload: &cert_preflight::Upload) -> CertDetails {
    let pem = text(request, Role::Certificate).unwrap_or_default();
    CertDetails::of_chain(&pem, upload.leaf_der())
}

/// The answer to a refused `Set*` request, logged.
fn refused(finding: &cert_preflight::Finding, to: &Addressee, log: &mut LogEntry) -> Response {
    let detail = finding.detail();
    log.code = finding.code().to_owned();
    log.detail = Some(detail.clone());
    log.message = Some(finding.message().to_owned());
    refusal(
        finding.http_status(),
        finding.code(),
        finding.message(),
        Some(&detail),
        to,
    )
}

/// Whether an upload accepted on a snapshot is still free to store: the name its check looked
/// at is not taken and, where the API checks content, its leaf is not stored — the only
/// answers another upload committed since can have changed.
fn still_clear(
    tx: &Tx<'_>,
    profile: &Profile,
    verdict: &cert_preflight::Verdict,
) -> Result<bool, StoreError> {
    use cert_preflight::CertificateStore;
    let Some(upload) = verdict.upload() else {
        return Ok(true);
    };
    let product = profile.product();
    if let Some(name) = upload.name_checked()
        && tx.name_taken(product, name)?.is_some()
    {
        return Ok(false);
    }
    if profile.codes.content_duplicated.is_some()
        && tx.content_stored(product, &upload.fingerprint())?.is_some()
    {
        return Ok(false);
    }
    Ok(true)
}

/// Whole months from `start` to `end` (RFC 3339 texts), as `"N months"`.
fn cert_life(start: Option<&str>, end: Option<&str>) -> String {
    use time::format_description::well_known::Rfc3339;
    let parse = |t: Option<&str>| t.and_then(|t| OffsetDateTime::parse(t, &Rfc3339).ok());
    match (parse(start), parse(end)) {
        (Some(s), Some(e)) if e > s => {
            let days = (e - s).whole_days();
            let months = (days + 15) / 30;
            if months == 1 {
                "1 month".to_owned()
            } else {
                format!("{months} months")
            }
        }
        _ => String::new(),
    }
}

/// One `CertInfo` of a read-back answer.
fn cert_info(shape: Shape, domain: &str, current: Option<&DomainCertificate>) -> Value {
    let cert = current.and_then(|c| c.certificate.as_ref());
    let text = |v: Option<&String>| Value::String(v.cloned().unwrap_or_default());
    let on = current.is_some_and(|c| c.https);
    let switch = Value::String(if on { "on" } else { "off" }.to_owned());
    let pem = text(cert.and_then(|c| c.pem.as_ref()));
    let cert_domain = cert
        .and_then(|c| c.subject_names.as_deref())
        .and_then(|n| n.split(',').next())
        .unwrap_or_default();
    let mut info = Map::new();
    info.insert("DomainName".into(), Value::String(domain.to_owned()));
    info.insert(
        "CertName".into(),
        text(current.and_then(|c| c.cert_name.as_ref())),
    );
    info.insert("CertType".into(), text(cert.map(|c| &c.kind)));
    info.insert(
        "CertDomainName".into(),
        Value::String(cert_domain.to_owned()),
    );
    info.insert(
        "CertExpireTime".into(),
        text(cert.and_then(|c| c.not_after.as_ref())),
    );
    info.insert(
        "CertLife".into(),
        Value::String(cert_life(
            cert.and_then(|c| c.not_before.as_deref()),
            cert.and_then(|c| c.not_after.as_deref()),
        )),
    );
    info.insert(
        "CertOrg".into(),
        text(cert.and_then(|c| c.issuer_org.as_ref())),
    );
    info.insert(
        "Status".into(),
        Value::String(if on { "success" } else { "" }.to_owned()),
    );
    let region = if cert.is_some_and(|c| c.kind == "cas") {
        "cn-hangzhou"
    } else {
        ""
    };
    match shape {
        Shape::Cdn => {
            info.insert("ServerCertificateStatus".into(), switch);
            info.insert("ServerCertificate".into(), pem);
            info.insert("CertId".into(), text(cert.and_then(|c| c.id.as_ref())));
            info.insert("CertRegion".into(), Value::String(region.to_owned()));
            info.insert(
                "CertStartTime".into(),
                text(cert.and_then(|c| c.not_before.as_ref())),
            );
            info.insert("CertUpdateTime".into(), text(current.map(|c| &c.updated)));
            info.insert("DomainCnameStatus".into(), Value::String("ok".to_owned()));
        }
        Shape::Live | Shape::Dcdn => {
            info.insert("SSLProtocol".into(), switch);
            info.insert("SSLPub".into(), pem);
            if shape == Shape::Dcdn {
                info.insert("CertId".into(), text(cert.and_then(|c| c.id.as_ref())));
                info.insert("CertRegion".into(), Value::String(region.to_owned()));
            }
        }
    }
    Value::Object(info)
}

/// A `Describe*DomainCertificateInfo` action: every listed domain with an HTTPS setting, read
/// on a snapshot (or, on an in-memory store, in the writer's transaction).
fn describe(
    ctx: &Context,
    product: Product,
    shape: Shape,
    domains: String,
    action: &'static str,
    to: Addressee,
    log: &mut LogEntry,
) -> Step {
    if domains.trim().is_empty() {
        const MISSING: &str = "The input parameter DomainName that is mandatory for processing \
                               this request is not supplied.";
        log.code = "MissingParameter".to_owned();
        log.message = Some(MISSING.to_owned());
        return Step::Answered(refusal(400, "MissingParameter", MISSING, None, &to));
    }
    let read = move |view: &View<'_>, to: &Addressee, log: &mut LogEntry| {
        let mut infos = Vec::new();
        // Each name once: a list repeating one domain would otherwise repeat its chain in
        // the answer as often as the request names it.
        let mut seen = std::collections::HashSet::new();
        for domain in domains
            .split(',')
            .map(str::trim)
            .filter(|d| !d.is_empty() && seen.insert(d.to_ascii_lowercase()))
        {
            let current = view
                .domain_certificate(product, domain)
                .map_err(|e| StoreError::new(format!("SQLite: {e}")))?;
            if let Some(current) = current {
                infos.push(cert_info(shape, domain, Some(&current)));
            }
        }
        log.code = "OK".to_owned();
        Ok(success(
            action,
            &to.id,
            &[("CertInfos", json!({ "CertInfo": infos }))],
            to.format,
        ))
    };
    match &ctx.readers {
        Some(readers) => {
            let answer = readers
                .with(|view| read(view, &to, log))
                .and_then(|read| read);
            Step::Answered(answer.unwrap_or_else(|e| internal_error(&e, &to, log)))
        }
        None => Step::Write {
            work: Box::new(move |tx, log, to| read(&tx.view(), to, log)),
            to,
        },
    }
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
    fn cert_life_in_months() {
        assert_eq!(
            cert_life(Some("2026-01-01T00:00:00Z"), Some("2026-04-01T00:00:00Z")),
            "3 months"
        );
        assert_eq!(cert_life(None, Some("2026-04-01T00:00:00Z")), "");
    }

    #[test]
    fn shown_escapes() {
        assert_eq!(shown(b"a b\n%", 10), "a b%0A%25");
        assert_eq!(shown(b"abcdef", 3), "abc…");
    }

    #[test]
    fn unsigned_request_is_incomplete_signature() {
        let ctx = Context::new(
            vec![("test".into(), "test".into())],
            None,
            Store::open(None).unwrap(),
        );
        let incoming = Incoming {
            method: "GET".into(),
            path: "/".into(),
            query: b"Action=SetDomainServerCertificate&Version=2018-05-10".to_vec(),
            headers: vec![("Host".into(), b"h".to_vec())],
            body: Vec::new(),
        };
        let handled = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(handle(&ctx, &incoming));
        assert_eq!(handled.response.status, 400);
        let body = String::from_utf8(handled.response.body).unwrap();
        assert!(body.contains(r#""Code":"IncompleteSignature""#), "{body}");
        assert!(body.contains(r#""HostId":"h""#), "{body}");
        assert!(body.contains("product=Cdn"), "{body}");
    }
}
