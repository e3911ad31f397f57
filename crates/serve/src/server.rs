//! The server: bound from a [`Config`], then run until stopped — the listener, the bound on
//! connections (idle keep-alive ones make room for new ones; see `http`), TLS, signals.
//! Everything with a side effect (sockets, files, the database file) starts here.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use cert_preflight::{CDN, KeyFormat, Options, Request, private_key_der, validate};
use time::OffsetDateTime;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{
    CertificateDer, PrivateKeyDer, PrivatePkcs1KeyDer, PrivatePkcs8KeyDer, PrivateSec1KeyDer,
};

use crate::config::{Config, Tls};
use crate::context::Context;
use crate::http::{Budget, Limits, Slots, serve_connection};
use crate::log::Log;
use crate::store::Store;
use crate::wire::GatewayError;

/// How many connections beyond `--max-connections` may be in the middle of being refused at
/// once (each gets the 503 answer); more are closed without one.
const MAX_REFUSING: usize = 128;

/// How long a refused connection gets to take its 503 answer.
const REFUSE_TIMEOUT: Duration = Duration::from_secs(2);

/// How long shutdown waits for requests in flight.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// How long a TLS handshake may take.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a server could not start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartError(String);

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StartError {}

fn fail(message: impl std::fmt::Display) -> StartError {
    StartError(message.to_string())
}

/// A bound server, not yet serving: [`Server::bind`] opens the store, applies the state
/// document, prepares TLS and binds the listener (connections wait in its backlog); then
/// [`Server::run`] or [`Server::run_until_signal`] serves until a [`Stopper`] stops it.
pub struct Server {
    runtime: tokio::runtime::Runtime,
    listener: std::net::TcpListener,
    local: SocketAddr,
    ctx: Arc<Context>,
    tls: Option<TlsAcceptor>,
    limits: Limits,
    max_connections: u32,
    max_buffered_bytes: usize,
    stop: watch::Sender<bool>,
    notes: Vec<String>,
}

/// Stops a running server (its requests in flight finish first); cheap to clone.
#[derive(Clone)]
pub struct Stopper(watch::Sender<bool>);

impl Stopper {
    /// Asks the server to stop.
    pub fn stop(&self) {
        self.0.send_replace(true);
    }
}

impl Server {
    /// Opens the store, applies the state document, prepares TLS and binds the listener.
    pub fn bind(config: Config) -> Result<Server, StartError> {
        let mut notes = Vec::new();
        let keys = if config.access_keys.is_empty() {
            notes.push(
                "no --access-key given; accepting AccessKeyId \"test\" with secret \"test\""
                    .to_owned(),
            );
            vec![("test".to_owned(), "test".to_owned())]
        } else {
            config.access_keys.clone()
        };
        let mut store = Store::open(config.db.as_deref()).map_err(fail)?;
        if let Some(path) = &config.state {
            let text = std::fs::read_to_string(path)
                .map_err(|e| fail(format!("{}: {e}", path.display())))?;
            store
                .apply_state(&text)
                .map_err(|e| fail(format!("{}: {e}", path.display())))?;
        }
        let tls = tls_config(&config, &mut notes)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| fail(format!("cannot start the runtime: {e}")))?;
        let listener = std::net::TcpListener::bind(config.listen)
            .map_err(|e| fail(format!("cannot listen on {}: {e}", config.listen)))?;
        let local = listener
            .local_addr()
            .map_err(|e| fail(format!("cannot listen on {}: {e}", config.listen)))?;
        listener
            .set_nonblocking(true)
            .map_err(|e| fail(format!("cannot listen on {local}: {e}")))?;
        let log = match &config.log_file {
            None => Log::stderr(),
            Some(path) => Log::file(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)
                    .map_err(|e| fail(format!("{}: {e}", path.display())))?,
            ),
        };
        let mut ctx = Context::new(keys, config.at, store, log);
        ctx.keep_keys = config.keep_keys;
        ctx.guard = crate::guard::Guard::new(local, &config.allow_hosts);
        let ctx = Arc::new(ctx);
        let limits = Limits {
            head_timeout: config.header_timeout,
            body_timeout: config.body_timeout,
            ..Limits::default()
        };
        let (stop, _) = watch::channel(false);
        Ok(Server {
            runtime,
            listener,
            local,
            ctx,
            tls,
            limits,
            max_connections: config.max_connections,
            max_buffered_bytes: config.max_buffered_bytes,
            stop,
            notes,
        })
    }

    /// The address it listens on (the port chosen when the configuration asked for 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }

    /// `http://HOST:PORT` or `https://HOST:PORT`.
    pub fn url(&self) -> String {
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        format!("{scheme}://{}", self.local)
    }

    /// What the start-up wants said to the operator (the default credentials, where the
    /// self-signed CA was written), one line each.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// A handle that stops the server.
    pub fn stopper(&self) -> Stopper {
        Stopper(self.stop.clone())
    }

    /// Serves until a [`Stopper`] stops it; then finishes the requests in flight and closes
    /// the database.
    pub fn run(self) -> Result<(), StartError> {
        self.serve(false)
    }

    /// Serves until SIGINT, SIGTERM or a [`Stopper`].
    pub fn run_until_signal(self) -> Result<(), StartError> {
        self.serve(true)
    }

    fn serve(self, signals: bool) -> Result<(), StartError> {
        let Server {
            runtime,
            listener,
            ctx,
            tls,
            limits,
            max_connections,
            max_buffered_bytes,
            stop,
            ..
        } = self;
        let stopped = stop.subscribe();
        let served = runtime.block_on(async {
            let listener =
                TcpListener::from_std(listener).map_err(|e| fail(format!("cannot listen: {e}")))?;
            let bounds = Bounds {
                limits,
                max_connections,
                max_buffered_bytes,
            };
            serve(listener, ctx.clone(), tls, bounds, stopped, signals).await;
            Ok(())
        });
        runtime.shutdown_timeout(Duration::from_secs(5));
        // Close the database: the last reference to the connection goes here.
        match Arc::try_unwrap(ctx) {
            Ok(ctx) => drop(ctx),
            Err(ctx) => ctx.log.note("requests still running at exit"),
        }
        served
    }
}

/// What bounds the connections and their requests.
#[derive(Clone, Copy)]
struct Bounds {
    limits: Limits,
    max_connections: u32,
    max_buffered_bytes: usize,
}

/// Accepts connections until `stop` (or, with `signals`, SIGINT/SIGTERM), then waits for the
/// connections in flight.
async fn serve(
    listener: TcpListener,
    ctx: Arc<Context>,
    tls: Option<TlsAcceptor>,
    bounds: Bounds,
    mut stop: watch::Receiver<bool>,
    signals: bool,
) {
    let Bounds {
        limits,
        max_connections,
        max_buffered_bytes,
    } = bounds;
    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let slots = Slots::new(usize::try_from(max_connections).unwrap_or(usize::MAX));
    let budget = Budget::new(max_buffered_bytes);
    let refusing = Arc::new(Semaphore::new(MAX_REFUSING));
    let mut signal = std::pin::pin!(shutdown_signal(signals));
    loop {
        // Accept whatever waits: a connection beyond the bound is answered 503 at once
        // rather than left in the listen backlog with no word.
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut signal => break,
            _ = stop.wait_for(|stopped| *stopped) => break,
        };
        let (socket, _) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                ctx.log.note(&format!("accept: {e}"));
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        // A free place, or that of the connection idle longest between requests.
        let Some((slot, evicted)) = slots.admit() else {
            // Refusing takes a task (the answer may wait on a slow reader) but a bounded
            // number of them: beyond that the connection is closed without the answer.
            if let Ok(slot) = refusing.clone().try_acquire_owned() {
                let tls = tls.clone();
                let log = ctx.log.clone();
                tokio::spawn(async move {
                    let refused = refuse_busy(socket, tls, &log);
                    let _ = tokio::time::timeout(REFUSE_TIMEOUT, refused).await;
                    drop(slot);
                });
            }
            continue;
        };
        if let Some(idle) = evicted {
            ctx.log.note(&format!(
                "every place taken: closed the connection idle longest ({} ms) for a new one",
                idle.as_millis()
            ));
        }
        let _ = socket.set_nodelay(true);
        let ctx = ctx.clone();
        let shutdown = shutdown_rx.clone();
        let tls = tls.clone();
        let budget = budget.clone();
        tokio::spawn(async move {
            match tls {
                None => serve_connection(socket, ctx, limits, slot, budget, shutdown).await,
                Some(acceptor) => {
                    if let Ok(Ok(stream)) =
                        tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(socket)).await
                    {
                        serve_connection(stream, ctx, limits, slot, budget, shutdown).await;
                    }
                }
            }
        });
    }
    drop(listener);
    ctx.log.note("shutting down");
    let _ = shutdown_tx.send(true);
    // Every connection holds its place until it ends: wait until all are free.
    let all = tokio::time::timeout(SHUTDOWN_GRACE, slots.all_closed()).await;
    if all.is_err() {
        ctx.log.note("some connections did not finish in time");
    }
}

/// Answers a connection beyond the bound: 503 `ServiceUnavailable` (JSON), then closes it.
async fn refuse_busy(socket: tokio::net::TcpStream, tls: Option<TlsAcceptor>, log: &Log) {
    log.request(None, None, "ServiceUnavailable", 0);
    match tls {
        None => crate::http::refuse_connection(socket, GatewayError::ServiceUnavailable).await,
        Some(acceptor) => {
            if let Ok(stream) = acceptor.accept(socket).await {
                crate::http::refuse_connection(stream, GatewayError::ServiceUnavailable).await;
            }
        }
    }
}

/// Resolves on SIGINT or SIGTERM; never when `signals` is off.
async fn shutdown_signal(signals: bool) {
    if !signals {
        return std::future::pending().await;
    }
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {},
                    _ = term.recv() => {},
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The TLS configuration the settings ask for, if any.
fn tls_config(config: &Config, notes: &mut Vec<String>) -> Result<Option<TlsAcceptor>, StartError> {
    let (chain_pem, key_pem) = match &config.tls {
        Tls::SelfSigned => {
            let (chain, key, ca) = self_signed().map_err(fail)?;
            let ca_path = write_ca(config.db.as_deref(), &ca).map_err(fail)?;
            notes.push(format!(
                "TLS with a new self-signed CA; its certificate is in {}",
                ca_path.display()
            ));
            (chain, key)
        }
        Tls::Files { cert, key } => {
            let chain =
                std::fs::read(cert).map_err(|e| fail(format!("{}: {e}", cert.display())))?;
            let key = std::fs::read(key).map_err(|e| fail(format!("{}: {e}", key.display())))?;
            (chain, key)
        }
        Tls::Off => return Ok(None),
    };
    let (certificates, key) = check_pair(&chain_pem, &key_pem, config.at).map_err(fail)?;
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| fail(format!("TLS: {e}")))?
        .with_no_client_auth()
        .with_single_cert(certificates, key)
        .map_err(|e| fail(format!("TLS: {e}")))?;
    Ok(Some(TlsAcceptor::from(Arc::new(config))))
}

/// Where `--tls-self-signed` writes its CA: beside the database, else in the temporary
/// directory.
///
/// The file is created anew (`O_EXCL`: never through a link someone left at its name, never
/// truncating what a link points to); the one a previous run left beside the database is
/// replaced only when it is a plain file. Without a database it goes in a new directory of
/// its own that only the user can enter (0700), never at a name others can predict.
fn write_ca(db: Option<&Path>, pem: &str) -> Result<PathBuf, String> {
    use std::io::Write as _;
    let path = match db {
        Some(db) => {
            let mut name = db.as_os_str().to_owned();
            name.push(".ca.pem");
            let path = PathBuf::from(name);
            match std::fs::symlink_metadata(&path) {
                Ok(meta) if meta.file_type().is_file() => std::fs::remove_file(&path)
                    .map_err(|e| format!("cannot replace {}: {e}", path.display()))?,
                Ok(_) => {
                    return Err(format!(
                        "{} exists and is not a plain file (a link?): remove it, or give \
                         another --db",
                        path.display()
                    ));
                }
                Err(_) => {}
            }
            path
        }
        None => {
            let dir = std::env::temp_dir().join(format!(
                "cert-preflight-serve-{}",
                uuid::Uuid::new_v4().simple()
            ));
            let mut builder = std::fs::DirBuilder::new();
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder
                .create(&dir)
                .map_err(|e| format!("cannot make the directory {}: {e}", dir.display()))?;
            dir.join("ca.pem")
        }
    };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| format!("cannot write the CA certificate {}: {e}", path.display()))?;
    file.write_all(pem.as_bytes())
        .map_err(|e| format!("cannot write the CA certificate {}: {e}", path.display()))?;
    Ok(path)
}

/// The TLS pair, checked as an upload would be (CDN's rules) at `--at` or now, and read with
/// the library's own readers: the chain's DER as it was checked, the key's DER.
fn check_pair(
    chain: &[u8],
    key: &[u8],
    at: Option<OffsetDateTime>,
) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>), String> {
    let request = Request::new()
        .with_domain("localhost")
        .with_switch("on")
        .with_certificate(chain.to_vec())
        .with_private_key(key.to_vec());
    let options = Options::at(at.unwrap_or_else(OffsetDateTime::now_utc));
    let verdict = validate(&CDN, &request, &options);
    if let Some(finding) = verdict.answer() {
        return Err(format!(
            "the TLS certificate and key are refused: {} ({})",
            finding.code(),
            finding.detail()
        ));
    }
    let upload = verdict
        .upload()
        .ok_or("the TLS certificate and key were not read")?;
    let certificates = upload
        .chain()
        .certificates()
        .iter()
        .map(|c| CertificateDer::from(c.der().to_vec()))
        .collect();
    // Accepted, so the key is text and one readable block.
    let text = std::str::from_utf8(key).map_err(|_| "TLS key: not text")?;
    let key = private_key_der(text).map_err(|e| format!("TLS key: {e}"))?;
    let der = key.der().to_vec();
    let key = match key.format() {
        KeyFormat::Pkcs1 => PrivateKeyDer::from(PrivatePkcs1KeyDer::from(der)),
        KeyFormat::Sec1 => PrivateKeyDer::from(PrivateSec1KeyDer::from(der)),
        _ => PrivateKeyDer::from(PrivatePkcs8KeyDer::from(der)),
    };
    Ok((certificates, key))
}

/// A CA and a leaf for localhost, 127.0.0.1 and *.aliyuncs.com: (chain PEM, key PEM, CA PEM).
fn self_signed() -> Result<(Vec<u8>, Vec<u8>, String), String> {
    use rcgen::{
        BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair,
        KeyUsagePurpose,
    };
    let err = |e: rcgen::Error| format!("cannot make the self-signed certificate: {e}");
    let ca_key = KeyPair::generate().map_err(err)?;
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(err)?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let mut name = DistinguishedName::new();
    name.push(DnType::OrganizationName, "cert-preflight serve");
    name.push(DnType::CommonName, "cert-preflight serve local CA");
    ca_params.distinguished_name = name;
    let ca_cert = ca_params.self_signed(&ca_key).map_err(err)?;
    let issuer = Issuer::new(ca_params, ca_key);
    let leaf_key = KeyPair::generate().map_err(err)?;
    let mut leaf_params = CertificateParams::new(vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "*.aliyuncs.com".to_owned(),
    ])
    .map_err(err)?;
    let mut leaf_name = DistinguishedName::new();
    leaf_name.push(DnType::CommonName, "localhost");
    leaf_params.distinguished_name = leaf_name;
    let leaf = leaf_params.signed_by(&leaf_key, &issuer).map_err(err)?;
    let chain = format!("{}{}", leaf.pem(), ca_cert.pem());
    Ok((
        chain.into_bytes(),
        leaf_key.serialize_pem().into_bytes(),
        ca_cert.pem(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn self_signed_pair_is_accepted_by_the_library() {
        let (chain, key, ca) = self_signed().unwrap();
        assert!(ca.contains("BEGIN CERTIFICATE"));
        let (certificates, _) = check_pair(&chain, &key, None).unwrap();
        assert_eq!(certificates.len(), 2);
    }

    #[test]
    fn fixture_pair_is_checked() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/rsa2048/");
        // The fixtures live in the repository, not in the published crate.
        let Ok(chain) = std::fs::read(format!("{dir}fullchain.pem")) else {
            eprintln!("{dir} is not here (a downloaded crate): skipped");
            return;
        };
        let key = std::fs::read(format!("{dir}key.pkcs1.pem")).unwrap();
        let at = time::macros::datetime!(2026-06-01 0:00 UTC);
        check_pair(&chain, &key, Some(at)).unwrap();
        let late = time::macros::datetime!(2030-06-01 0:00 UTC);
        assert!(check_pair(&chain, &key, Some(late)).is_err());
    }
}
