//! `cert-preflight serve`: the command line of the local endpoint. It builds the serve crate's
//! [`Config`], binds the [`Server`], prints `listening on URL` (one line on standard output,
//! once connections are accepted) and serves until SIGINT or SIGTERM.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use cert_preflight::time::OffsetDateTime;
use cert_preflight::time::format_description::well_known::Rfc3339;
use cert_preflight_serve::{Config, Server, Tls};

/// The arguments of `cert-preflight serve`.
#[derive(clap::Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:18911")]
    listen: SocketAddr,
    /// SQLite database holding the state (created when absent); without it, in memory.
    #[arg(long, value_name = "FILE")]
    db: Option<PathBuf>,
    /// State document (docs/state-file.md) applied at start: its domains and faults replace
    /// the stored ones, its certificates are added.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Accepted credentials (repeatable). The secret is visible to other users in `ps`:
    /// prefer --access-key-file or ALIBABA_CLOUD_ACCESS_KEY_ID and
    /// ALIBABA_CLOUD_ACCESS_KEY_SECRET (the SDKs' names). With none of them, test:test.
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
    /// Keep the private keys uploaded to the certificate service (UploadUserCertificate) in
    /// the database, so GetUserCertificateDetail answers with Key as the service does (for
    /// clients that read it back, such as Terraform); without it no key is kept anywhere.
    #[arg(long)]
    keep_keys: bool,
    /// Accepted credentials from a file, one ID:SECRET a line (blank lines and lines starting
    /// with # are skipped).
    #[arg(long, value_name = "FILE")]
    access_key_file: Option<PathBuf>,
    /// Answer requests addressed to this Host name too (repeatable; `*.example.test` for a
    /// domain's names). Others than the listen address, localhost, loopback and
    /// *.aliyuncs.com are refused: a web page could make its own name resolve to 127.0.0.1.
    #[arg(long = "allow-host", value_name = "NAME")]
    allow_hosts: Vec<String>,
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

/// The credentials in the environment, under the SDKs' names, when both are set.
fn environment_key() -> Option<(String, String)> {
    let id = std::env::var("ALIBABA_CLOUD_ACCESS_KEY_ID").ok()?;
    let secret = std::env::var("ALIBABA_CLOUD_ACCESS_KEY_SECRET").ok()?;
    parse_key(&format!("{id}:{secret}")).ok()
}

/// The credentials of an --access-key-file.
fn file_keys(path: &std::path::Path) -> Result<Vec<(String, String)>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .enumerate()
        .map(|(n, line)| (n, line.trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
        .map(|(n, line)| {
            parse_key(line).map_err(|e| format!("{} line {}: {e}", path.display(), n + 1))
        })
        .collect()
}

impl ServeArgs {
    /// The server's settings.
    fn config(self) -> Result<Config, String> {
        let mut config = Config::default();
        config.listen = self.listen;
        config.db = self.db;
        config.state = self.state;
        config.access_keys = self.access_keys;
        if let Some(path) = &self.access_key_file {
            config.access_keys.extend(file_keys(path)?);
        }
        config.access_keys.extend(environment_key());
        config.allow_hosts = self.allow_hosts;
        config.at = self.at;
        config.tls = match (self.tls_self_signed, self.tls_cert, self.tls_key) {
            (true, _, _) => Tls::SelfSigned,
            (false, Some(cert), Some(key)) => Tls::Files { cert, key },
            _ => Tls::Off,
        };
        config.max_connections = self.max_connections;
        config.header_timeout = Duration::from_secs(self.header_timeout_secs);
        config.body_timeout = Duration::from_secs(self.body_timeout_secs);
        config.keep_keys = self.keep_keys;
        Ok(config)
    }
}

/// Runs the server until SIGINT or SIGTERM: exit 0 then, 2 when it cannot start.
pub(crate) fn serve(args: ServeArgs) -> ExitCode {
    let fail = |e: &dyn std::fmt::Display| {
        eprintln!("cert-preflight serve: {e}");
        ExitCode::from(2)
    };
    let config = match args.config() {
        Ok(config) => config,
        Err(e) => return fail(&e),
    };
    let server = match Server::bind(config) {
        Ok(server) => server,
        Err(e) => return fail(&e),
    };
    for note in server.notes() {
        eprintln!("cert-preflight serve: {note}");
    }
    {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "listening on {}", server.url());
        let _ = stdout.flush();
    }
    match server.run_until_signal() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
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
}
