//! What the command line's tests of `cert-preflight serve` share: the real binary on a free
//! port (`Server`), and the test kit's HTTP and signing helpers.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};

pub(crate) use cert_preflight_testkit::endpoint::*;

/// A running server; killed (SIGKILL) when dropped unless stopped.
pub(crate) struct Server {
    pub(crate) child: Option<Child>,
    pub(crate) port: u16,
    pub(crate) stderr: PathBuf,
}

impl Server {
    pub(crate) fn start(dir: &Path, args: &[&str]) -> Server {
        static N: AtomicU64 = AtomicU64::new(0);
        let stderr = dir.join(format!("stderr-{}.log", N.fetch_add(1, Ordering::SeqCst)));
        let mut child = Command::new(env!("CARGO_BIN_EXE_cert-preflight"))
            .args(["serve", "--listen", "127.0.0.1:0", "--at", AT])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("listening on http://127.0.0.1:")
            .unwrap_or_else(|| panic!("start-up line {line:?}"))
            .parse()
            .unwrap();
        Server {
            child: Some(child),
            port,
            stderr,
        }
    }

    pub(crate) fn start_db(dir: &Path, args: &[&str]) -> Server {
        let db = dir.join("db.sqlite");
        let mut all = vec!["--db", db.to_str().unwrap()];
        all.extend_from_slice(args);
        Server::start(dir, &all)
    }

    /// SIGTERM, and the exit status.
    pub(crate) fn stop(mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().unwrap();
        Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        child.wait().unwrap()
    }

    /// SIGKILL (`Child::kill` on Unix), and the exit status.
    pub(crate) fn kill(mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().unwrap();
        child.kill().unwrap();
        child.wait().unwrap()
    }

    pub(crate) fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
