//! Uploads per second through `cert-preflight serve`, beside the in-process check of the same
//! pairs, in one run on the same cores.
//!
//! Starts `serve --db FILE` on a free port, pre-signs N RPC v1 uploads (HMAC-SHA1, the form body
//! as pop-core and acme.sh send it) of the RSA-2048 and P-256 test pairs under distinct names
//! (signing is outside the timed part), sends them over 1, 8 and 64 keep-alive connections and
//! prints uploads/s and p50/p99 latency for each; then `validate` of the same pairs in this
//! process, on one thread and on every core, and the ratio of the server's best rate to the
//! in-process rate on every core.
//!
//! Run: `cargo bench -p cert-preflight-cli --bench serve_load` (`-- --uploads N` to change the
//! number of uploads per round, default 4,000). `cargo test` builds and starts it; without
//! `--bench` it returns at once.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use cert_preflight::time::OffsetDateTime;
use cert_preflight::time::format_description::well_known::Rfc3339;
use cert_preflight::time::macros::datetime;
use cert_preflight::{CDN, Options, Request, validate};
use cert_preflight_serve::wire::{Params, percent_encode, rpc_signature, rpc_string_to_sign};
use cert_preflight_testkit::bench::fixture;

const BIN: &str = env!("CARGO_BIN_EXE_cert-preflight");
const PAIRS: [(&str, &str, &str); 2] = [
    ("rsa2048", "rsa2048/fullchain.pem", "rsa2048/key.pkcs1.pem"),
    ("p256", "p256/fullchain.pem", "p256/key.sec1.pem"),
];

/// The server, killed when dropped.
struct Server {
    child: Child,
    address: String,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("load.sqlite");
    let mut child = Command::new(BIN)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--at",
            "2026-06-01T00:00:00Z",
        ])
        .args(["--access-key", "load:secret", "--db"])
        .arg(&db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let address = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected start-up line {line:?}"))
        .to_owned();
    Server {
        child,
        address,
        _dir: dir,
    }
}

/// One signed upload as raw HTTP/1.1 bytes (keep-alive).
fn signed_upload(address: &str, chain: &[u8], key: &[u8], name: &str, nonce: usize) -> Vec<u8> {
    let timestamp = OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap()
        .format(&Rfc3339)
        .unwrap();
    let pairs: Vec<(&str, String)> = vec![
        ("AccessKeyId", "load".to_owned()),
        ("Action", "SetDomainServerCertificate".to_owned()),
        ("CertName", name.to_owned()),
        ("CertType", "upload".to_owned()),
        ("DomainName", "www.example.com".to_owned()),
        ("Format", "JSON".to_owned()),
        ("PrivateKey", String::from_utf8(key.to_vec()).unwrap()),
        (
            "ServerCertificate",
            String::from_utf8(chain.to_vec()).unwrap(),
        ),
        ("ServerCertificateStatus", "on".to_owned()),
        ("SignatureMethod", "HMAC-SHA1".to_owned()),
        ("SignatureNonce", format!("load-{nonce:016}")),
        ("SignatureVersion", "1.0".to_owned()),
        ("Timestamp", timestamp),
        ("Version", "2018-05-10".to_owned()),
    ];
    let body: String = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", percent_encode(v.as_bytes())))
        .collect::<Vec<_>>()
        .join("&");
    let params = Params::from_query_and_body(b"", Some(body.as_bytes())).unwrap();
    let signature = rpc_signature("secret", &rpc_string_to_sign("POST", &params));
    let target = format!("/?Signature={}", percent_encode(signature.as_bytes()));
    format!(
        "POST {target} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Reads one response; returns its status and body.
fn read_response(reader: &mut BufReader<TcpStream>) -> (u16, Vec<u8>) {
    let mut status_line = String::new();
    reader.read_line(&mut status_line).unwrap();
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let mut length = 0;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).unwrap();
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    (status, body)
}

/// Sends `requests` over `connections` keep-alive connections; returns the wall time and each
/// request's latency.
fn round(address: &str, requests: &[Vec<u8>], connections: usize) -> (Duration, Vec<Duration>) {
    let next = AtomicUsize::new(0);
    let start = Instant::now();
    let latencies: Vec<Duration> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..connections)
            .map(|_| {
                scope.spawn(|| {
                    let stream = TcpStream::connect(address).unwrap();
                    stream.set_nodelay(true).unwrap();
                    let mut writer = stream.try_clone().unwrap();
                    let mut reader = BufReader::new(stream);
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(request) = requests.get(i) else {
                            break;
                        };
                        let sent = Instant::now();
                        writer.write_all(request).unwrap();
                        let (status, body) = read_response(&mut reader);
                        mine.push(sent.elapsed());
                        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    (start.elapsed(), latencies)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn main() {
    if !std::env::args().any(|arg| arg == "--bench") {
        return;
    }
    let uploads: usize = std::env::args()
        .skip_while(|a| a != "--uploads")
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(4_000);
    let pairs: Vec<(Vec<u8>, Vec<u8>)> = PAIRS
        .iter()
        .map(|(_, chain, key)| (fixture(chain), fixture(key)))
        .collect();

    println!(
        "serve load: {uploads} uploads per round, RSA-2048 and P-256 pairs alternating, cdn SetDomainServerCertificate, {} cores",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!("{:<28} {:>12} {:>10} {:>10}", "", "uploads/s", "p50", "p99");
    let server = start();
    let mut best = 0.0_f64;
    let mut serial = 0;
    for connections in [1, 8, 64] {
        // Signed just before the round: the server refuses timestamps 15 minutes old.
        let requests: Vec<Vec<u8>> = (0..uploads)
            .map(|i| {
                serial += 1;
                let (chain, key) = &pairs[i % pairs.len()];
                signed_upload(
                    &server.address,
                    chain,
                    key,
                    &format!("load-{serial}"),
                    serial,
                )
            })
            .collect();
        let (wall, mut latencies) = round(&server.address, &requests, connections);
        latencies.sort();
        let rate = uploads as f64 / wall.as_secs_f64();
        best = best.max(rate);
        println!(
            "{:<28} {:>12.0} {:>10.2?} {:>10.2?}",
            format!("serve, {connections} connection(s)"),
            rate,
            percentile(&latencies, 0.50),
            percentile(&latencies, 0.99)
        );
    }
    drop(server);

    // The same pairs, checked in this process.
    let at = datetime!(2026-06-01 0:00 UTC);
    let check = |i: usize| {
        let (chain, key) = &pairs[i % pairs.len()];
        let request = Request::upload(&chain[..], &key[..])
            .with_domain("www.example.com")
            .with_cert_name(format!("inproc-{i}"));
        assert!(
            validate(&CDN, &request, &Options::at(at))
                .unwrap()
                .is_accepted()
        );
    };
    let start = Instant::now();
    (0..uploads).for_each(check);
    let one = uploads as f64 / start.elapsed().as_secs_f64();
    println!("{:<28} {:>12.0}", "validate, 1 thread", one);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let next = AtomicUsize::new(0);
    let start = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= uploads {
                        break;
                    }
                    check(i);
                }
            });
        }
    });
    let all = uploads as f64 / start.elapsed().as_secs_f64();
    println!(
        "{:<28} {:>12.0}",
        format!("validate, {threads} threads"),
        all
    );
    println!(
        "ratio: serve's best / validate on {threads} threads = {:.2} (goal: at least 0.5)",
        best / all
    );
}
