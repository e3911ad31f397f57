//! The `serve` command as a user runs it: the real binary, its start-up line, TLS from the
//! command line, a pair it refuses. (The endpoint's own behaviour is tested in
//! `crates/serve/tests`, on a server in the test's process.)
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

mod serve_support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serve_support::*;
#[test]
fn tls_self_signed_serves_https() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tls.sqlite");
    let mut child = Command::new(env!("CARGO_BIN_EXE_cert-preflight"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--tls-self-signed",
            "--db",
        ])
        .arg(&db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(
        line.starts_with("listening on https://127.0.0.1:"),
        "{line}"
    );
    let port = line.trim().rsplit(':').next().unwrap().to_owned();
    let ca = dir.path().join("tls.sqlite.ca.pem");
    assert!(
        std::fs::read_to_string(&ca)
            .unwrap()
            .contains("BEGIN CERTIFICATE")
    );
    let out = Command::new("curl")
        .args(["-s", "--cacert"])
        .arg(&ca)
        .arg(format!("https://127.0.0.1:{port}/_preflight/health"))
        .output();
    let _ = child.kill();
    let _ = child.wait();
    if let Ok(out) = out {
        let body = String::from_utf8_lossy(&out.stdout);
        assert!(body.contains(r#""status":"ok""#), "{body}");
    }
}

#[test]
fn a_refused_tls_pair_stops_the_start() {
    let dir = repo().join("testdata");
    let output = Command::new(env!("CARGO_BIN_EXE_cert-preflight"))
        .args(["serve", "--listen", "127.0.0.1:0", "--at", AT, "--tls-cert"])
        .arg(dir.join("rsa4096/fullchain.pem"))
        .arg("--tls-key")
        .arg(dir.join("rsa2048/key.pkcs1.pem"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Certificate.MissMatch"), "{stderr}");
    assert!(output.stdout.is_empty());
}
