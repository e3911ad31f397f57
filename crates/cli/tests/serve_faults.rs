//! `cert-preflight serve` killed: SIGKILL in the middle of a stream of uploads (what was
//! answered 200 is stored, what was refused is not, nothing is half applied, the database
//! passes `PRAGMA integrity_check`), then SIGTERM (exit 0). The endpoint's other faults
//! (trickling clients, connections beyond the bound, a body that never arrives) are tested in
//! `crates/serve/tests/faults.rs`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

mod serve_support;

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

use serve_support::*;

/// How a segment of the upload stream ends.
#[derive(Clone, Copy, Debug)]
enum Kill {
    /// SIGKILL once the segment's last answer is read.
    Idle,
    /// One more accepted upload is written, then SIGKILL after this many milliseconds,
    /// before its answer is read.
    InFlight(u64),
}

/// One upload of the stream: its domain and name are its own.
struct Sent {
    domain: String,
    name: String,
    /// `Some(status)` when an answer reached the client, `None` when it was killed first.
    status: Option<u16>,
    /// Whether the upload is one the service accepts (else a key of another certificate).
    good: bool,
    /// The chain it sent.
    chain: String,
}

/// The SQLite files of `--db FILE` copied aside (the server is dead: nothing changes them),
/// so that checking them does not checkpoint the WAL before the server reopens it.
fn integrity_of_copy(dir: &Path, round: usize) -> String {
    let copy = dir.join(format!("copy-{round}"));
    std::fs::create_dir(&copy).unwrap();
    for suffix in ["", "-wal"] {
        let from = dir.join(format!("db.sqlite{suffix}"));
        if from.exists() {
            std::fs::copy(&from, copy.join(format!("db.sqlite{suffix}"))).unwrap();
        }
    }
    integrity(&copy.join("db.sqlite"))
}

fn integrity(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap()
}

/// The names of the stored certificates (`GET /_preflight/state`).
fn stored_names(port: u16) -> BTreeSet<String> {
    let state = raw(
        port,
        b"GET /_preflight/state HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(state.status, 200, "{}", state.body);
    state.json()["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect()
}

/// The certificate name set on `domain` with HTTPS on and the PEM served, if any
/// (`DescribeDomainCertificateInfo`).
fn set_on(port: u16, domain: &str) -> Option<(String, String)> {
    let read = post(
        port,
        &[
            ("Action", "DescribeDomainCertificateInfo"),
            ("Version", "2018-05-10"),
            ("DomainName", domain),
        ],
        &Signing::new(),
    );
    assert_eq!(read.status, 200, "{}", read.body);
    let body = read.json();
    let info = body["CertInfos"]["CertInfo"].as_array()?.first()?.clone();
    if info["ServerCertificateStatus"] != "on" {
        return None;
    }
    Some((
        info["CertName"].as_str().unwrap_or_default().to_owned(),
        info["ServerCertificate"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    ))
}

/// Every upload answered 200 is stored whole (certificate and domain), every refused one
/// left nothing, every one cut by the kill is stored whole or not at all.
fn check_stored(port: u16, sent: &[Sent]) -> (usize, usize) {
    let names = stored_names(port);
    let (mut kept, mut cut_kept) = (0, 0);
    for upload in sent {
        let on = set_on(port, &upload.domain);
        let whole = on.as_ref() == Some(&(upload.name.clone(), upload.chain.clone()))
            && names.contains(&upload.name);
        let nothing = on.is_none() && !names.contains(&upload.name);
        match upload.status {
            Some(200) => {
                assert!(
                    whole,
                    "{} answered 200 but not stored whole: {on:?}",
                    upload.name
                );
                kept += 1;
            }
            Some(status) => {
                assert!(!upload.good, "{} answered {status}", upload.name);
                assert!(nothing, "{} refused but left {on:?}", upload.name);
            }
            None => {
                assert!(whole || nothing, "{} half applied: {on:?}", upload.name);
                cut_kept += usize::from(whole);
            }
        }
    }
    (kept, cut_kept)
}

#[test]
fn sigkill_loses_no_answered_upload_and_never_corrupts_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let chain = fixture("p256/fullchain.pem");
    let key = fixture("p256/key.sec1.pem");
    let wrong_key = fixture("rsa2048/key.pkcs1.pem");
    let slow_chain = fixture("rsa4096/fullchain.pem");
    let slow_key = fixture("rsa4096/key.pkcs1.pem");
    // Killed after 5, 17 and 40 answered uploads, then six times with one in flight, at
    // different moments of its handling.
    let segments = [
        (5, Kill::Idle),
        (12, Kill::Idle),
        (23, Kill::Idle),
        (2, Kill::InFlight(0)),
        (2, Kill::InFlight(1)),
        (2, Kill::InFlight(3)),
        (2, Kill::InFlight(6)),
        (2, Kill::InFlight(12)),
        (2, Kill::InFlight(25)),
    ];
    let mut sent: Vec<Sent> = Vec::new();
    for (round, (count, kill)) in segments.into_iter().enumerate() {
        let server = Server::start_db(dir.path(), &[]);
        // What the previous runs left is there after the restart.
        check_stored(server.port, &sent);
        for _ in 0..count {
            let i = sent.len();
            let good = i % 3 != 2;
            let domain = format!("d{i}.example.com");
            let name = format!("crash-{i}");
            let params = upload(
                profile("cdn"),
                &domain,
                &name,
                &chain,
                if good { &key } else { &wrong_key },
            );
            let reply = post(server.port, &params, &Signing::new());
            if good {
                assert_eq!(reply.status, 200, "{}", reply.body);
            } else {
                assert_eq!(reply.status, 400, "{}", reply.body);
                assert_eq!(reply.json()["Code"], "Certificate.MissMatch");
            }
            sent.push(Sent {
                domain,
                name,
                status: Some(reply.status),
                good,
                chain: chain.clone(),
            });
        }
        match kill {
            Kill::Idle => {
                server.kill();
            }
            Kill::InFlight(millis) => {
                let i = sent.len();
                let domain = format!("d{i}.example.com");
                let name = format!("crash-{i}");
                // A 4096-bit RSA pair: its checks take longer, so the kill is more often
                // in the middle of them.
                let params = upload(profile("cdn"), &domain, &name, &slow_chain, &slow_key);
                let bytes = post_bytes(server.port, &params, &Signing::new());
                let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
                stream.write_all(&bytes).unwrap();
                std::thread::sleep(Duration::from_millis(millis));
                server.kill();
                // Whatever arrived before the kill is what the client was told.
                stream
                    .set_read_timeout(Some(Duration::from_secs(5)))
                    .unwrap();
                let mut data = Vec::new();
                let _ = stream.read_to_end(&mut data);
                let status = (!data.is_empty()).then(|| parse_reply(&data).status);
                sent.push(Sent {
                    domain,
                    name,
                    status,
                    good: true,
                    chain: slow_chain.clone(),
                });
            }
        }
        assert_eq!(
            integrity_of_copy(dir.path(), round),
            "ok",
            "after kill {round}"
        );
    }
    let server = Server::start_db(dir.path(), &[]);
    let (kept, cut_kept) = check_stored(server.port, &sent);
    let answered_ok = sent.iter().filter(|s| s.status == Some(200)).count();
    let refused = sent
        .iter()
        .filter(|s| s.status.is_some_and(|s| s != 200))
        .count();
    assert_eq!(kept, answered_ok);
    // 40 + 12 answered in order (every third a refused key), 6 in flight at the kill.
    assert!(answered_ok >= 35, "{answered_ok}");
    assert_eq!(refused, 19);
    eprintln!(
        "{} uploads, {answered_ok} answered 200 and all stored, {refused} refused and none \
         stored, {} cut by the kill ({cut_kept} of them stored whole, the rest not at all)",
        sent.len(),
        sent.iter().filter(|s| s.status.is_none()).count()
    );
    for upload in sent.iter().filter(|s| s.chain == slow_chain) {
        eprintln!(
            "in flight at the kill: {} answered {:?}",
            upload.name, upload.status
        );
    }
    assert_eq!(server.stop().code(), Some(0));
    assert_eq!(integrity(&dir.path().join("db.sqlite")), "ok");
}
