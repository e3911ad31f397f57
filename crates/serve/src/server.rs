//! `cert-preflight serve`: the command line, the listener, TLS, signals. Everything with a
//! side effect (sockets, files, the clock, the database file) starts here.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use cert_preflight::{CDN, Options, Request, validate};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::api::Context;
use crate::http::{Limits, serve_connection};
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

/// The arguments of `cert-preflight serve`.
#[derive(clap::Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:18911")]
    listen: SocketAddr,
    /// SQLite database holding the state (created when absent); without it, in memory.
    #[arg(long, value_name = "FILE")]
    db: Option<PathBuf>,
    /// State document (contract section 7) applied at start: its domains and faults replace
    /// the stored ones, its certificates are added.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Accepted credentials (repeatable); default test:test.
    #[arg(long = "access-key", value_name = "ID:SECRET", value_parser = parse_key)]
    access_keys: Vec<(String, String)>,
    /// Judge certificate validity at this time (RFC 3339); default: the clock at each request.
    #[arg(long, value_name = "RFC3339", value_parser = parse_time)]
    at: Option<OffsetDateTime>,
    /// Serve HTTPS with a new CA and a certificate for localhost, 127.0.0.1 and
    /// *.aliyuncs.com (the CA's PEM is written where the start-up message says).
    #[arg(long, conflicts_with_all = ["tls_cert", "tls_key"])]
    tls_self_signed: bool,
    /// Serve HTTPS with this certificate chain (PEM).
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert (PEM).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// The most connections served at once; each one beyond is answered 503
    /// `ServiceUnavailable` (JSON) and closed.
    #[arg(long, value_name = "N", default_value_t = 256,
          value_parser = clap::value_parser!(u32).range(1..=65536))]
    max_connections: u32,
    /// Seconds a client may take to send a request's head (line and headers), from its
    /// first byte; a slower client is dropped without an answer.
    #[arg(long, value_name = "SECS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    header_timeout_secs: u64,
    /// Seconds a client may take to send a request's body once its head is in; a slower
    /// client is answered 408 `RequestTimeout` (JSON) and the connection closed.
    #[arg(long, value_name = "SECS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    body_timeout_secs: u64,
}

fn parse_key(text: &str) -> Result<(String, String), String> {
    match text.split_once(':') {
        Some((id, secret)) if !id.is_empty() && !secret.is_empty() => {
            Ok((id.to_owned(), secret.to_owned()))
        }
        _ => Err("expected ID:SECRET, both non-empty".to_owned()),
    }
}

fn parse_time(text: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(text, &Rfc3339)
        .map_err(|e| format!("not an RFC 3339 time ({e}); e.g. 2026-06-01T00:00:00Z"))
}

/// A start-up failure: message on standard error, exit status 2.
fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("cert-preflight serve: {message}");
    ExitCode::from(2)
}

/// Runs the server until SIGINT or SIGTERM: exit 0 then, 2 when it cannot start.
pub fn run(args: ServeArgs) -> ExitCode {
    let keys = if args.access_keys.is_empty() {
        eprintln!(
            "cert-preflight serve: no --access-key given; accepting AccessKeyId \"test\" with \
             secret \"test\""
        );
        vec![("test".to_owned(), "test".to_owned())]
    } else {
        args.access_keys.clone()
    };
    let mut store = match Store::open(args.db.as_deref()) {
        Ok(store) => store,
        Err(e) => return fail(e),
    };
    if let Some(path) = &args.state {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => return fail(format!("{}: {e}", path.display())),
        };
        if let Err(e) = store.apply_state(&text) {
            return fail(format!("{}: {e}", path.display()));
        }
    }
    let tls = match tls_config(&args) {
        Ok(tls) => tls,
        Err(e) => return fail(e),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return fail(format!("cannot start the runtime: {e}")),
    };
    let ctx = Arc::new(Context::new(keys, args.at, store));
    let limits = Limits {
        head_timeout: Duration::from_secs(args.header_timeout_secs),
        body_timeout: Duration::from_secs(args.body_timeout_secs),
        ..Limits::default()
    };
    let code = runtime.block_on(serve(
        args.listen,
        ctx.clone(),
        tls,
        limits,
        args.max_connections,
    ));
    runtime.shutdown_timeout(Duration::from_secs(5));
    // Close the database: the last reference to the connection goes here.
    match Arc::try_unwrap(ctx) {
        Ok(ctx) => drop(ctx),
        Err(_) => eprintln!("cert-preflight serve: requests still running at exit"),
    }
    code
}

async fn serve(
    listen: SocketAddr,
    ctx: Arc<Context>,
    tls: Option<TlsAcceptor>,
    limits: Limits,
    max_connections: u32,
) -> ExitCode {
    let listener = match TcpListener::bind(listen).await {
        Ok(listener) => listener,
        Err(e) => return fail(format!("cannot listen on {listen}: {e}")),
    };
    let local = match listener.local_addr() {
        Ok(local) => local,
        Err(e) => return fail(format!("cannot listen on {listen}: {e}")),
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "listening on {scheme}://{local}");
        let _ = stdout.flush();
    }
    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let permits = Arc::new(Semaphore::new(max_connections as usize));
    let refusing = Arc::new(Semaphore::new(MAX_REFUSING));
    let mut stop = std::pin::pin!(shutdown_signal());
    loop {
        // Accept whatever waits: a connection beyond the bound is answered 503 at once
        // rather than left in the listen backlog with no word.
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut stop => break,
        };
        let (socket, _) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                eprintln!("cert-preflight serve: accept: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            // Refusing takes a task (the answer may wait on a slow reader) but a bounded
            // number of them: beyond that the connection is closed without the answer.
            if let Ok(slot) = refusing.clone().try_acquire_owned() {
                let tls = tls.clone();
                tokio::spawn(async move {
                    let _ = tokio::time::timeout(REFUSE_TIMEOUT, refuse_busy(socket, tls)).await;
                    drop(slot);
                });
            }
            continue;
        };
        let _ = socket.set_nodelay(true);
        let ctx = ctx.clone();
        let shutdown = shutdown_rx.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                None => serve_connection(socket, ctx, limits, shutdown).await,
                Some(acceptor) => {
                    if let Ok(Ok(stream)) =
                        tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(socket)).await
                    {
                        serve_connection(stream, ctx, limits, shutdown).await;
                    }
                }
            }
            drop(permit);
        });
    }
    drop(listener);
    eprintln!("cert-preflight serve: shutting down");
    let _ = shutdown_tx.send(true);
    // Every connection holds a permit until it ends: wait until all are back.
    let all = tokio::time::timeout(SHUTDOWN_GRACE, permits.acquire_many(max_connections)).await;
    if all.is_err() {
        eprintln!("cert-preflight serve: some connections did not finish in time");
    }
    ExitCode::SUCCESS
}

/// Answers a connection beyond the bound: 503 `ServiceUnavailable` (JSON), then closes it.
async fn refuse_busy(socket: tokio::net::TcpStream, tls: Option<TlsAcceptor>) {
    crate::http::log_line(None, None, "ServiceUnavailable", 0);
    match tls {
        None => crate::http::refuse_connection(socket, GatewayError::ServiceUnavailable).await,
        Some(acceptor) => {
            if let Ok(stream) = acceptor.accept(socket).await {
                crate::http::refuse_connection(stream, GatewayError::ServiceUnavailable).await;
            }
        }
    }
}

/// Resolves on SIGINT or SIGTERM.
async fn shutdown_signal() {
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

/// The TLS configuration the arguments ask for, if any.
fn tls_config(args: &ServeArgs) -> Result<Option<TlsAcceptor>, String> {
    let (chain_pem, key_pem) = if args.tls_self_signed {
        let (chain, key, ca) = self_signed()?;
        let ca_path = ca_path(args.db.as_deref());
        std::fs::write(&ca_path, ca)
            .map_err(|e| format!("cannot write the CA certificate {}: {e}", ca_path.display()))?;
        eprintln!(
            "cert-preflight serve: TLS with a new self-signed CA; its certificate is in {}",
            ca_path.display()
        );
        (chain, key)
    } else if let (Some(cert), Some(key)) = (&args.tls_cert, &args.tls_key) {
        let chain = std::fs::read(cert).map_err(|e| format!("{}: {e}", cert.display()))?;
        let key = std::fs::read(key).map_err(|e| format!("{}: {e}", key.display()))?;
        check_pair(&chain, &key, args.at)?;
        (chain, key)
    } else {
        return Ok(None);
    };
    let certificates: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&chain_pem)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("TLS certificate: {e}"))?;
    let key = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|_| {
        "TLS key: no usable PRIVATE KEY block (PKCS#8, PKCS#1 or SEC1 PEM)".to_owned()
    })?;
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))?
        .with_no_client_auth()
        .with_single_cert(certificates, key)
        .map_err(|e| format!("TLS: {e}"))?;
    Ok(Some(TlsAcceptor::from(Arc::new(config))))
}

/// Where `--tls-self-signed` writes its CA: beside the database, else in the temporary
/// directory.
fn ca_path(db: Option<&Path>) -> PathBuf {
    match db {
        Some(db) => {
            let mut name = db.as_os_str().to_owned();
            name.push(".ca.pem");
            PathBuf::from(name)
        }
        None => std::env::temp_dir().join(format!(
            "cert-preflight-serve-{}-ca.pem",
            std::process::id()
        )),
    }
}

/// The TLS pair is checked as an upload would be (CDN's rules), at `--at` or now.
fn check_pair(chain: &[u8], key: &[u8], at: Option<OffsetDateTime>) -> Result<(), String> {
    let request = Request::new()
        .with_domain("localhost")
        .with_switch("on")
        .with_certificate(chain.to_vec())
        .with_private_key(key.to_vec());
    let options = Options::at(at.unwrap_or_else(OffsetDateTime::now_utc));
    let verdict = validate(&CDN, &request, &options).map_err(|e| e.to_string())?;
    match verdict.answer() {
        None => Ok(()),
        Some(finding) => Err(format!(
            "the TLS certificate and key are refused: {} ({})",
            finding.code(),
            finding.detail()
        )),
    }
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
    fn keys_and_times() {
        assert_eq!(parse_key("a:b:c"), Ok(("a".into(), "b:c".into())));
        assert!(parse_key("a").is_err());
        assert!(parse_key(":b").is_err());
        assert!(parse_time("2026-06-01T00:00:00Z").is_ok());
        assert!(parse_time("yesterday").is_err());
    }

    #[test]
    fn self_signed_pair_is_accepted_by_the_library() {
        let (chain, key, ca) = self_signed().unwrap();
        assert!(ca.contains("BEGIN CERTIFICATE"));
        check_pair(&chain, &key, None).unwrap();
    }

    #[test]
    fn fixture_pair_is_checked() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/rsa2048/");
        let chain = std::fs::read(format!("{dir}fullchain.pem")).unwrap();
        let key = std::fs::read(format!("{dir}key.pkcs1.pem")).unwrap();
        let at = parse_time("2026-06-01T00:00:00Z").unwrap();
        check_pair(&chain, &key, Some(at)).unwrap();
        let late = parse_time("2030-06-01T00:00:00Z").unwrap();
        assert!(check_pair(&chain, &key, Some(late)).is_err());
    }
}
