//! The endpoint's integration tests: a server in this process on a free port (`Server`), and
//! the test kit's HTTP and signing helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use cert_preflight_serve::{Config, Stopper};
pub(crate) use cert_preflight_testkit::endpoint::*;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A server running in this process, on a thread of its own, on a free port, judging
/// validity at [`AT`], its log lines in a file; stopped when dropped.
pub(crate) struct Server {
    pub(crate) port: u16,
    pub(crate) log: PathBuf,
    pub(crate) notes: Vec<String>,
    stopper: Stopper,
    thread: Option<std::thread::JoinHandle<Result<(), cert_preflight_serve::StartError>>>,
}

impl Server {
    /// Starts a server with the defaults (in memory) changed by `configure`.
    pub(crate) fn start(dir: &Path, configure: impl FnOnce(&mut Config)) -> Server {
        static N: AtomicU64 = AtomicU64::new(0);
        let log = dir.join(format!("log-{}.txt", N.fetch_add(1, Ordering::SeqCst)));
        let mut config = Config::default();
        config.listen = "127.0.0.1:0".parse().unwrap();
        config.at = Some(OffsetDateTime::parse(AT, &Rfc3339).unwrap());
        config.log_file = Some(log.clone());
        configure(&mut config);
        let server = cert_preflight_serve::Server::bind(config).unwrap();
        let port = server.local_addr().port();
        let notes = server.notes().to_vec();
        let stopper = server.stopper();
        let thread = std::thread::spawn(move || server.run());
        Server {
            port,
            log,
            notes,
            stopper,
            thread: Some(thread),
        }
    }

    /// Starts a server on the database `db.sqlite` in `dir`.
    pub(crate) fn start_db(dir: &Path, configure: impl FnOnce(&mut Config)) -> Server {
        let db = dir.join("db.sqlite");
        Server::start(dir, |config| {
            config.db = Some(db);
            configure(config);
        })
    }

    /// Stops it (the requests in flight finish, the database is closed) and waits.
    pub(crate) fn stop(mut self) {
        self.stopper.stop();
        if let Some(thread) = self.thread.take() {
            thread.join().unwrap().unwrap();
        }
    }

    /// Its log so far.
    pub(crate) fn stderr(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stopper.stop();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Installs the real clients (`clients/install.sh`, under `target/clients/`) and answers the
/// repository's root; `None` (the test is skipped) only when there is no network.
pub(crate) fn install_clients() -> Option<PathBuf> {
    install_clients_with(&[])
}

/// `clients/install.sh` with these arguments (`--browser` adds Debian's chromium).
pub(crate) fn install_clients_with(args: &[&str]) -> Option<PathBuf> {
    let root = repo();
    let output = std::process::Command::new("bash")
        .arg(root.join("clients/install.sh"))
        .args(args)
        .current_dir(&root)
        .output()
        .unwrap();
    if output.status.success() {
        return Some(root);
    }
    let log = String::from_utf8_lossy(&output.stderr);
    let offline = [
        "Temporary failure in name resolution",
        "Could not resolve",
        "Network is unreachable",
        "ENOTFOUND",
        "EAI_AGAIN",
        "No matching distribution",
        "connection",
    ]
    .iter()
    .any(|s| log.contains(s));
    if offline {
        eprintln!("SKIPPED: clients/install.sh failed for lack of network:\n{log}");
        return None;
    }
    panic!("clients/install.sh failed:\n{log}");
}
