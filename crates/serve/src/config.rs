//! What a server is started with: plain data, built by the command line (`cert-preflight
//! serve`) or by a program or test that runs a `Server` itself.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use time::OffsetDateTime;

/// How the server speaks TLS.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Tls {
    /// Plain HTTP.
    #[default]
    Off,
    /// HTTPS with a new CA and a certificate for `localhost`, `127.0.0.1` and
    /// `*.aliyuncs.com`; the CA's PEM is written to a file the start-up notes name.
    SelfSigned,
    /// HTTPS with this certificate chain and key (PEM files), checked with the library first.
    Files {
        /// The certificate chain.
        cert: PathBuf,
        /// Its private key.
        key: PathBuf,
    },
}

/// A server's settings. `Config::default()` is `cert-preflight serve` without options.
#[derive(Clone)]
#[non_exhaustive]
pub struct Config {
    /// The address to listen on; port 0 picks a free port.
    pub listen: SocketAddr,
    /// The SQLite database holding the state (created when absent); `None`: in memory.
    pub db: Option<PathBuf>,
    /// A state document applied at start: its domains and faults replace the stored ones, its
    /// certificates are added.
    pub state: Option<PathBuf>,
    /// The accepted credentials, `(AccessKeyId, secret)`; empty: `test`/`test`.
    pub access_keys: Vec<(String, String)>,
    /// The time certificate validity is judged at; `None`: the clock at each request.
    pub at: Option<OffsetDateTime>,
    /// TLS.
    pub tls: Tls,
    /// The most connections served at once. When all are taken, a new one takes the place of
    /// the connection idle longest between requests; when none is idle, it is answered 503.
    pub max_connections: u32,
    /// The most bytes all connections together may buffer for the requests they read and
    /// handle (read buffers, bodies, the requests' copies); a request that needs more than is
    /// left is answered 503. One request at the default limits needs up to about 4 MiB.
    pub max_buffered_bytes: usize,
    /// How long a client may take to send a request's head.
    pub header_timeout: Duration,
    /// How long a client may take to send a request's body.
    pub body_timeout: Duration,
    /// Where the log lines go (appended); `None`: standard error.
    pub log_file: Option<PathBuf>,
    /// Keep the private keys uploaded to the certificate service (in the database's
    /// `certificates.private_key`), so that `GetUserCertificateDetail` answers with `Key` as
    /// the service does; off by default, when no key is kept anywhere.
    pub keep_keys: bool,
    /// More `Host` names the endpoint answers (`name` or `*.suffix`), beside the listen
    /// address, `localhost`, loopback and `*.aliyuncs.com`.
    pub allow_hosts: Vec<String>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 18911)),
            db: None,
            state: None,
            access_keys: Vec::new(),
            at: None,
            tls: Tls::Off,
            max_connections: 256,
            max_buffered_bytes: 64 << 20,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(60),
            log_file: None,
            keep_keys: false,
            allow_hosts: Vec::new(),
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids: Vec<&str> = self.access_keys.iter().map(|(id, _)| id.as_str()).collect();
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("db", &self.db)
            .field("state", &self.state)
            .field("access_key_ids", &ids)
            .field("at", &self.at)
            .field("tls", &self.tls)
            .field("max_connections", &self.max_connections)
            .field("max_buffered_bytes", &self.max_buffered_bytes)
            .field("header_timeout", &self.header_timeout)
            .field("body_timeout", &self.body_timeout)
            .field("log_file", &self.log_file)
            .field("keep_keys", &self.keep_keys)
            .field("allow_hosts", &self.allow_hosts)
            .finish_non_exhaustive()
    }
}
