//! Uploads per second through `cert-preflight serve`, beside the in-process check of the same
//! pairs, in one run on the same cores.
//!
//! Starts the server (this bench's own binary, run again as the server: a process of its own,
//! so its CPU time is its own) on a free port with a database file, pre-signs N RPC v1 uploads (HMAC-SHA1, the form body
//! as pop-core and acme.sh send it) of the RSA-2048 and P-256 test pairs under distinct names
//! (signing is outside the timed part), sends them over 1, 8 and 64 keep-alive connections (all
//! driven by one event-loop thread) and prints uploads/s, p50/p99 latency and the CPU time the
//! server and this client spent per upload (from `/proc`) for each; then `validate` of the same
//! pairs in this process, on one thread and on every core, and the ratio of the server's best
//! rate to each.
//!
//! Run: `cargo bench -p cert-preflight-serve --bench serve_load` (`-- --uploads N` to change the
//! number of uploads per round, default 8,000). `cargo test` builds and starts it; without
//! `--bench` it returns at once.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use cert_preflight::time::OffsetDateTime;
use cert_preflight::time::format_description::well_known::Rfc3339;
use cert_preflight::time::macros::datetime;
use cert_preflight::{CDN, Options, Request, validate};
use cert_preflight_serve::Config;
use cert_preflight_serve::wire::{Params, percent_encode, rpc_signature, rpc_string_to_sign};
use cert_preflight_testkit::bench::fixture;

/// Set (to the database path) in the environment of this binary run again as the server.
const SERVER_ENV: &str = "CERT_PREFLIGHT_SERVE_LOAD_DB";
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
    let mut child = Command::new(std::env::current_exe().unwrap())
        .env(SERVER_ENV, &db)
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

/// This binary run again as the server: what `cert-preflight serve --db FILE --at … --access-key
/// load:secret` does, until killed.
fn serve(db: PathBuf) {
    let mut config = Config::default();
    config.listen = "127.0.0.1:0".parse().unwrap();
    config.db = Some(db);
    config.at = Some(datetime!(2026-06-01 0:00 UTC));
    config.access_keys = vec![("load".to_owned(), "secret".to_owned())];
    let server = cert_preflight_serve::Server::bind(config).unwrap();
    println!("listening on {}", server.url());
    server.run_until_signal().unwrap();
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

/// Reads one response from `stream` (`buf` keeps what was read beyond it); returns its
/// status and body.
async fn read_response(stream: &mut tokio::net::TcpStream, buf: &mut Vec<u8>) -> (u16, Vec<u8>) {
    use tokio::io::AsyncReadExt;
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "the server closed the connection");
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = std::str::from_utf8(&buf[..head_end]).unwrap().to_owned();
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {head:?}"));
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().unwrap())
        })
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "the server closed the connection");
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = buf[head_end..head_end + length].to_vec();
    buf.drain(..head_end + length);
    (status, body)
}

/// Sends `requests` over `connections` keep-alive connections, all driven by one thread (an
/// event loop, so that the load generator takes as little of the cores as it can); returns
/// the wall time and each request's latency.
fn round(address: &str, requests: &[Vec<u8>], connections: usize) -> (Duration, Vec<Duration>) {
    use tokio::io::AsyncWriteExt;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let next = AtomicUsize::new(0);
    runtime.block_on(async {
        let mut streams = Vec::new();
        for _ in 0..connections {
            let stream = tokio::net::TcpStream::connect(address).await.unwrap();
            stream.set_nodelay(true).unwrap();
            streams.push(stream);
        }
        let start = Instant::now();
        let workers = streams.into_iter().map(|mut stream| {
            let next = &next;
            async move {
                let mut mine = Vec::new();
                let mut buf = Vec::new();
                while let Some(request) = requests.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let sent = Instant::now();
                    stream.write_all(request).await.unwrap();
                    let (status, body) = read_response(&mut stream, &mut buf).await;
                    mine.push(sent.elapsed());
                    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
                }
                mine
            }
        });
        let latencies: Vec<Duration> = futures_join_all(workers)
            .await
            .into_iter()
            .flatten()
            .collect();
        (start.elapsed(), latencies)
    })
}

/// Runs the futures concurrently on the current task (a small `join_all`).
async fn futures_join_all<F: Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    let mut set = Vec::new();
    for future in futures {
        set.push(Box::pin(future));
    }
    let mut outputs: Vec<Option<F::Output>> = set.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, output) in set.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(value) => *output = Some(value),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().map(Option::unwrap).collect()
}

/// The CPU time (user and system) process `pid` has used, from `/proc` (zero where there is
/// none).
fn cpu_time(pid: u32) -> Duration {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return Duration::ZERO;
    };
    // The fields after the command name (which may hold spaces) end with ')'.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name; the clock
    // ticks 100 times a second on Linux.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn main() {
    if let Some(db) = std::env::var_os(SERVER_ENV) {
        return serve(PathBuf::from(db));
    }
    if !std::env::args().any(|arg| arg == "--bench") {
        return;
    }
    let uploads: usize = std::env::args()
        .skip_while(|a| a != "--uploads")
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(8_000);
    let pairs: Vec<(Vec<u8>, Vec<u8>)> = PAIRS
        .iter()
        .map(|(_, chain, key)| (fixture(chain), fixture(key)))
        .collect();

    println!(
        "serve load: {uploads} uploads per round, RSA-2048 and P-256 pairs alternating, cdn SetDomainServerCertificate, {} cores",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!(
        "{:<28} {:>12} {:>10} {:>10} {:>14} {:>14}",
        "", "uploads/s", "p50", "p99", "server CPU/up", "client CPU/up"
    );
    let server = start();
    let mut best = 0.0_f64;
    let mut server_cpu_at_64 = Duration::ZERO;
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
        let server_cpu = cpu_time(server.child.id());
        let client_cpu = cpu_time(std::process::id());
        let (wall, mut latencies) = round(&server.address, &requests, connections);
        let per_upload = |before: Duration, pid: u32| (cpu_time(pid) - before) / uploads as u32;
        let server_cpu = per_upload(server_cpu, server.child.id());
        let client_cpu = per_upload(client_cpu, std::process::id());
        latencies.sort();
        let rate = uploads as f64 / wall.as_secs_f64();
        best = best.max(rate);
        if connections == 64 {
            server_cpu_at_64 = server_cpu;
        }
        println!(
            "{:<28} {:>12.0} {:>10.2?} {:>10.2?} {:>14.1?} {:>14.1?}",
            format!("serve, {connections} connection(s)"),
            rate,
            percentile(&latencies, 0.50),
            percentile(&latencies, 0.99),
            server_cpu,
            client_cpu,
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
        assert!(validate(&CDN, &request, &Options::at(at)).is_accepted());
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
    // The restated goal: the server's CPU per upload against one in-process check of the
    // same pairs, on one thread (what the check itself costs).
    let check = Duration::from_secs_f64(1.0 / one);
    println!(
        "ratio: server CPU per upload at 64 connections / validate on 1 thread = {:?} / {:?} = \
         {:.1}x (goal: at most 5x)",
        server_cpu_at_64,
        check,
        server_cpu_at_64.as_secs_f64() / check.as_secs_f64()
    );
    println!(
        "      uploads/s: serve's best / validate on {threads} threads = {:.2}; / validate on 1 \
         thread = {:.2}",
        best / all,
        best / one
    );
}
