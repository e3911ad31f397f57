//! The key-match path, side by side with OpenSSL and ring: PEM text of one leaf certificate
//! and its private key, in memory, to a verdict.
//!
//! Groups are the key types (`rsa2048`, `rsa4096`, `p256`, `p384`, `p521`, `ed25519`);
//! functions are `cert_preflight` (the whole check, deep consistency checks on), `openssl`
//! (`X509::from_pem` + `PKey::private_key_from_pem` + `public_eq`, what `X509_check_private_key`
//! does) and `ring` (PEM decode, certificate parse, key load, SPKI compare: rustls'
//! `keys_match`) where ring can load the key. Run: `cargo bench --bench key_match`.
//!
//! At the end the run prints, per key type, cert_preflight's time over ring's: from this run's
//! criterion estimates (the times it printed), and from batches of the two timed in turn after the
//! groups (the median of the rounds' ratios), which a machine shared with other work disturbs
//! less. The goal is at most 1.0 for every type ring loads.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use cert_preflight_testkit::bench as common;
use common::fixture;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use cert_preflight::{CDN, Options, Request, validate};
use criterion::{Criterion, criterion_group};
use time::macros::datetime;

/// OpenSSL: load both, compare the public parts.
fn openssl(cert: &[u8], key: &[u8]) -> bool {
    let cert = openssl::x509::X509::from_pem(cert).unwrap();
    let key = openssl::pkey::PKey::private_key_from_pem(key).unwrap();
    cert.public_key().unwrap().public_eq(&key)
}

#[derive(Clone, Copy)]
enum RingKind {
    Rsa,
    Ecdsa(&'static ring::signature::EcdsaSigningAlgorithm),
    Ed25519,
}

/// ring, as rustls' `CertifiedKey::keys_match` does it: decode, load the key, compare the
/// public key bytes with the certificate's SPKI.
fn ring(cert: &[u8], key: &[u8], kind: RingKind) -> bool {
    use ring::signature::KeyPair;
    use rustls_pki_types::pem::PemObject;
    use x509_parser::prelude::FromDer;
    let cert_der = rustls_pki_types::CertificateDer::from_pem_slice(cert).unwrap();
    let (_, x509) = x509_parser::certificate::X509Certificate::from_der(&cert_der).unwrap();
    let spki: &[u8] = &x509.public_key().subject_public_key.data;
    let key_der = rustls_pki_types::PrivateKeyDer::from_pem_slice(key).unwrap();
    let pkcs8 = key_der.secret_der();
    let rng = ring::rand::SystemRandom::new();
    match kind {
        RingKind::Rsa => {
            let pair = ring::rsa::KeyPair::from_pkcs8(pkcs8).unwrap();
            pair.public_key().as_ref() == spki
        }
        RingKind::Ecdsa(alg) => {
            let pair = ring::signature::EcdsaKeyPair::from_pkcs8(alg, pkcs8, &rng).unwrap();
            pair.public_key().as_ref() == spki
        }
        RingKind::Ed25519 => {
            let pair = ring::signature::Ed25519KeyPair::from_pkcs8_maybe_unchecked(pkcs8).unwrap();
            pair.public_key().as_ref() == spki
        }
    }
}

/// One key type: its name, its certificate and key (the PEM text the checks get), the key
/// OpenSSL loads, and how ring loads it (`None`: ring cannot).
struct Case {
    kind: &'static str,
    cert: Vec<u8>,
    key: Vec<u8>,
    openssl_key: Vec<u8>,
    ring: Option<RingKind>,
}

fn cases() -> Vec<Case> {
    let kinds: [(&str, Option<RingKind>); 6] = [
        ("rsa2048", Some(RingKind::Rsa)),
        ("rsa4096", Some(RingKind::Rsa)),
        (
            "p256",
            Some(RingKind::Ecdsa(
                &ring::signature::ECDSA_P256_SHA256_ASN1_SIGNING,
            )),
        ),
        (
            "p384",
            Some(RingKind::Ecdsa(
                &ring::signature::ECDSA_P384_SHA384_ASN1_SIGNING,
            )),
        ),
        ("p521", None),
        ("ed25519", Some(RingKind::Ed25519)),
    ];
    kinds
        .into_iter()
        .map(|(kind, ring)| {
            let key = fixture(&format!("{kind}/key.pkcs8.pem"));
            // OpenSSL 3.0 cannot load PKCS#8 v2; give it the v1 form of the same key.
            let openssl_key = if kind == "ed25519" {
                fixture("ed25519/key.pkcs8-v1.pem")
            } else {
                key.clone()
            };
            Case {
                kind,
                cert: fixture(&format!("{kind}/cert.pem")),
                key,
                openssl_key,
                ring,
            }
        })
        .collect()
}

fn options() -> Options {
    Options::at(datetime!(2026-06-01 0:00 UTC))
}

/// The whole check of one upload, as the `cert_preflight` function times it.
fn check(case: &Case, options: &Options) -> bool {
    let request = Request::upload(black_box(&case.cert[..]), black_box(&case.key[..]))
        .with_domain("www.example.com");
    black_box(validate(&CDN, &request, options)).is_accepted()
}

fn key_match(c: &mut Criterion) {
    let options = options();
    for case in cases() {
        let kind = case.kind;
        // Each contender accepts the pair, outside the timed loop.
        assert!(check(&case, &options), "{kind}");
        assert!(openssl(&case.cert, &case.openssl_key), "{kind}");
        if let Some(ring_kind) = case.ring {
            assert!(ring(&case.cert, &case.key, ring_kind), "{kind}");
        }

        let mut group = c.benchmark_group(kind);
        group.bench_function("cert_preflight", |b| b.iter(|| check(&case, &options)));
        group.bench_function("openssl", |b| {
            b.iter(|| black_box(openssl(black_box(&case.cert), black_box(&case.openssl_key))))
        });
        if let Some(ring_kind) = case.ring {
            group.bench_function("ring", |b| {
                b.iter(|| black_box(ring(black_box(&case.cert), black_box(&case.key), ring_kind)))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, key_match);

/// Where criterion keeps its estimates: `target/criterion`, next to the `release` directory
/// this binary runs from (`target/release/deps/key_match-…`), or under `CARGO_TARGET_DIR`.
fn criterion_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return Some(PathBuf::from(dir).join("criterion"));
    }
    let exe = std::env::current_exe().ok()?;
    Some(exe.ancestors().nth(3)?.join("criterion"))
}

/// Criterion's estimate of `group/function` in nanoseconds — the slope, the time it prints,
/// else the mean — when it measured it in this run (its estimates file is newer than `since`:
/// a filtered run leaves older groups' files behind).
fn criterion_estimate(dir: &Path, group: &str, function: &str, since: SystemTime) -> Option<f64> {
    let path = dir.join(group).join(function).join("new/estimates.json");
    if std::fs::metadata(&path).ok()?.modified().ok()? < since {
        return None;
    }
    let estimates: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    let point = |name: &str| estimates.get(name)?.get("point_estimate")?.as_f64();
    point("slope").or_else(|| point("mean"))
}

/// Nanoseconds per call of `f` over `batch` calls.
fn per_call(batch: u32, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..batch {
        f();
    }
    start.elapsed().as_secs_f64() * 1e9 / f64::from(batch)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Rounds of the paired measure.
const ROUNDS: usize = 41;

/// cert_preflight and ring timed in turn, a batch of ~2 ms each, `ROUNDS` times: the median
/// time of each and the median of the rounds' ratios. Load that comes and goes hits both.
fn paired(case: &Case, ring_kind: RingKind, options: &Options) -> (f64, f64, f64) {
    let ours = || {
        check(case, options);
    };
    let theirs = || {
        black_box(ring(black_box(&case.cert), black_box(&case.key), ring_kind));
    };
    // Warm up, and size the batches from a first measure.
    let single = per_call(20, ours).max(per_call(20, theirs));
    let batch = (2e6 / single).clamp(1.0, 10_000.0) as u32;
    let (mut a, mut b, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        // Alternate which goes first, so neither always runs on a warmer cache.
        let (x, y) = if round % 2 == 0 {
            let x = per_call(batch, ours);
            (x, per_call(batch, theirs))
        } else {
            let y = per_call(batch, theirs);
            (per_call(batch, ours), y)
        };
        a.push(x);
        b.push(y);
        ratios.push(x / y);
    }
    (median(&mut a), median(&mut b), median(&mut ratios))
}

fn micros(nanos: Option<f64>) -> String {
    nanos.map_or_else(|| "—".to_owned(), |ns| format!("{:.2} µs", ns / 1e3))
}

/// The ratio table, for the key types criterion measured in this run.
fn print_ratios(since: SystemTime) {
    let Some(dir) = criterion_dir() else {
        return;
    };
    let options = options();
    let mut rows = Vec::new();
    for case in cases() {
        let Some(ours) = criterion_estimate(&dir, case.kind, "cert_preflight", since) else {
            continue;
        };
        let theirs = criterion_estimate(&dir, case.kind, "ring", since);
        let openssl = criterion_estimate(&dir, case.kind, "openssl", since);
        let pair = case
            .ring
            .map(|ring_kind| paired(&case, ring_kind, &options));
        rows.push((case.kind, ours, openssl, theirs, pair));
    }
    if rows.is_empty() {
        return;
    }
    println!();
    println!(
        "key match: cert_preflight / ring (criterion: the times this run printed; paired: \
         batches timed in turn after the groups, medians of {ROUNDS} rounds)"
    );
    println!(
        "{:<8} {:>14} {:>12} {:>12} {:>8} | {:>14} {:>12} {:>8}",
        "key", "cert_preflight", "openssl", "ring", "ratio", "cert_preflight", "ring", "paired"
    );
    for (kind, ours, openssl, theirs, pair) in rows {
        let ratio = theirs.map_or_else(|| "—".to_owned(), |t| format!("{:.2}", ours / t));
        let (p_ours, p_theirs, p_ratio) = match pair {
            Some((a, b, r)) => (micros(Some(a)), micros(Some(b)), format!("{r:.2}")),
            None => ("—".to_owned(), "—".to_owned(), "—".to_owned()),
        };
        println!(
            "{:<8} {:>14} {:>12} {:>12} {:>8} | {:>14} {:>12} {:>8}",
            kind,
            micros(Some(ours)),
            micros(openssl),
            micros(theirs),
            ratio,
            p_ours,
            p_theirs,
            p_ratio
        );
    }
}

fn main() {
    // A second earlier: file times can be coarser than the clock.
    let start = SystemTime::now() - Duration::from_secs(1);
    common::main(benches);
    // Only under `cargo bench` (which passes `--bench`), as `common::main` runs the groups.
    if std::env::args().any(|arg| arg == "--bench") {
        print_ratios(start);
    }
}
