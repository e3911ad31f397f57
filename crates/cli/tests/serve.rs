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

/// Credentials from a file and from the SDKs' environment variables, not only from argv
/// (where `ps` shows them to other users).
#[test]
fn credentials_come_from_a_file_and_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    std::fs::write(&keys, "# team keys\nfileid:filesecret\n\n").unwrap();
    let describe = [
        ("Action", "DescribeDomainCertificateInfo"),
        ("Version", "2018-05-10"),
        ("DomainName", "www.example.com"),
    ];
    // The variables are set for the child only (through Command), not in this process.
    let server = {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cert-preflight"))
            .args(["serve", "--listen", "127.0.0.1:0", "--access-key-file"])
            .arg(&keys)
            .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "envid")
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "envsecret")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port: u16 = line
            .trim()
            .strip_prefix("listening on http://127.0.0.1:")
            .unwrap()
            .parse()
            .unwrap();
        (child, port)
    };
    let (mut child, port) = server;
    for (ak, secret) in [("fileid", "filesecret"), ("envid", "envsecret")] {
        let signing = Signing {
            ak,
            secret,
            ..Signing::new()
        };
        let reply = post(port, &describe, &signing);
        assert_eq!(reply.status, 200, "{ak}: {}", reply.body);
    }
    // test:test is not accepted once credentials are given.
    let reply = post(port, &describe, &Signing::new());
    assert_eq!(reply.json()["Code"], "InvalidAccessKeyId.NotFound");
    let _ = child.kill();
    let _ = child.wait();
    // A line that is not ID:SECRET stops the start, naming the line.
    std::fs::write(&keys, "fileid:filesecret\nnot a key\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_cert-preflight"))
        .args(["serve", "--listen", "127.0.0.1:0", "--access-key-file"])
        .arg(&keys)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("keys line 2: expected ID:SECRET, both non-empty"),
        "{stderr}"
    );
}

/// The self-signed CA's file is never written through a link left at its name, and without a
/// database it goes in a new directory only the user can enter.
#[test]
fn the_ca_file_is_made_anew_and_never_through_a_link() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tls.sqlite");
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "precious").unwrap();
    std::os::unix::fs::symlink(&victim, dir.path().join("tls.sqlite.ca.pem")).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_cert-preflight"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--tls-self-signed",
            "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("tls.sqlite.ca.pem exists and is not a plain file (a link?)"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    // Without --db: a directory of its own, 0700.
    let mut child = Command::new(env!("CARGO_BIN_EXE_cert-preflight"))
        .args(["serve", "--listen", "127.0.0.1:0", "--tls-self-signed"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let path = stderr
        .lines()
        .find_map(|l| l.split("its certificate is in ").nth(1))
        .unwrap_or_else(|| panic!("{stderr}"));
    let path = std::path::Path::new(path.trim());
    let mode = std::fs::metadata(path.parent().unwrap())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o700, "{}", path.display());
    assert!(
        std::fs::read_to_string(path)
            .unwrap()
            .contains("BEGIN CERTIFICATE")
    );
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}
