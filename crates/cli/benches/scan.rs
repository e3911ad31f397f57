//! Pairs per second of `cert-preflight scan`, end to end (process start, walk, reads, checks,
//! JSON lines): 10,000 RSA-2048 pairs copied from `testdata/rsa2048` into a temporary tree, a
//! third each in certbot layout (live/ links into archive/), acme.sh layout and plain pairs.
//! The tree is scanned once before measuring, so the files are in the page cache.
//!
//! Run: `cargo bench --bench scan` (criterion prints "thrpt" in pairs per second as elements/s).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use cert_preflight_testkit::bench as common;
use common::fixture;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group};

const PAIRS: usize = 10_000;
const BIN: &str = env!("CARGO_BIN_EXE_cert-preflight");

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// `PAIRS` pairs of the RSA-2048 chain and its PKCS#1 key in the three layouts.
fn build(root: &Path) {
    let chain = fixture("rsa2048/fullchain.pem");
    let key = fixture("rsa2048/key.pkcs1.pem");
    for i in 0..PAIRS {
        let name = format!("site{i}.example.com");
        match i % 3 {
            0 => {
                let archive = root.join("letsencrypt/archive").join(&name);
                write(&archive.join("fullchain1.pem"), &chain);
                write(&archive.join("privkey1.pem"), &key);
                let live = root.join("letsencrypt/live").join(&name);
                std::fs::create_dir_all(&live).unwrap();
                for (link, file) in [("fullchain.pem", "fullchain1"), ("privkey.pem", "privkey1")] {
                    let target = format!("../../archive/{name}/{file}.pem");
                    std::os::unix::fs::symlink(target, live.join(link)).unwrap();
                }
            }
            1 => {
                let home = root.join("acme.sh").join(&name);
                write(&home.join("fullchain.cer"), &chain);
                write(&home.join(format!("{name}.key")), &key);
            }
            _ => {
                let folder = root.join("nginx").join(format!("d{}", i / 300));
                write(&folder.join(format!("{name}.crt")), &chain);
                write(&folder.join(format!("{name}.key")), &key);
            }
        }
    }
}

/// One scan; panics unless every pair was checked and accepted.
fn scan(root: &Path, jobs: Option<usize>) {
    let mut command = Command::new(BIN);
    command.arg("scan").arg(root).args([
        "--api",
        "cdn",
        "--at",
        "2026-06-01T00:00:00Z",
        "--format",
        "json",
    ]);
    if let Some(jobs) = jobs {
        command.args(["--jobs", &jobs.to_string()]);
    }
    let status = command.stdout(Stdio::null()).status().unwrap();
    assert!(status.success(), "{status}");
}

fn scan_tree(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    build(dir.path());
    let output = Command::new(BIN)
        .arg("scan")
        .arg(dir.path())
        .args([
            "--api",
            "cdn",
            "--at",
            "2026-06-01T00:00:00Z",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(output.stdout.iter().filter(|&&b| b == b'\n').count(), PAIRS);

    let mut group = c.benchmark_group("scan");
    group.throughput(Throughput::Elements(PAIRS as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(15));
    for jobs in [Some(1), Some(2), None] {
        let name = match jobs {
            Some(jobs) => format!("rsa2048_{PAIRS}_pairs_jobs_{jobs}"),
            None => format!("rsa2048_{PAIRS}_pairs_all_cores"),
        };
        group.bench_function(name, |b| b.iter(|| scan(dir.path(), jobs)));
    }
    group.finish();
}

criterion_group!(benches, scan_tree);

fn main() {
    common::main(benches);
}
