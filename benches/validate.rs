//! The whole request check for realistic inputs. Run: `cargo bench --bench validate`.
#![allow(clippy::unwrap_used, missing_docs)]

use std::hint::black_box;
use std::path::Path;

use cert_preflight::{CDN, LIVE, Options, Request, validate};
use criterion::{Criterion, criterion_group};
use time::macros::datetime;

fn fixture(relative: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata")
            .join(relative),
    )
    .unwrap()
}

fn whole_check(c: &mut Criterion) {
    let options = Options::at(datetime!(2026-06-01 0:00 UTC));
    let mut group = c.benchmark_group("validate");
    for (name, chain, key) in [
        (
            "rsa2048_chain3",
            "rsa2048/chain3.pem",
            "rsa2048/key.pkcs1.pem",
        ),
        ("p256_chain3", "p256/chain3.pem", "p256/key.sec1.pem"),
    ] {
        let (chain, key) = (fixture(chain), fixture(key));
        for profile in [&CDN, &LIVE] {
            let request = || {
                Request::upload(black_box(&chain[..]), black_box(&key[..]))
                    .with_domain("www.example.com")
                    .with_cert_name("prod-2026")
            };
            assert!(validate(profile, &request(), &options).is_accepted());
            group.bench_function(format!("{name}_{}", profile.name()), |b| {
                b.iter(|| black_box(validate(profile, &request(), &options)))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, whole_check);

fn main() {
    if !std::env::args().any(|arg| arg == "--bench") {
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
