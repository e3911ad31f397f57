//! The whole request check for realistic inputs, its stages alone (so a regression shows
//! where it is), and throughput on all cores. Run: `cargo bench --bench validate`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use cert_preflight_testkit::bench as common;
use common::fixture;

use std::hint::black_box;

use cert_preflight::{CDN, Options, Profile, Request, Role, validate};
use criterion::{Criterion, Throughput, criterion_group};
use rayon::prelude::*;
use time::macros::datetime;

/// A 3-certificate chain (leaf, intermediate, root) and its key, every profile.
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
        for &profile in Profile::ALL {
            // CLB takes RSA keys in PKCS#1 only: the P-256 pair is not for it.
            if !profile.rules().private_key_formats.is_empty() && name.starts_with("p256") {
                continue;
            }
            let request = || {
                Request::upload(black_box(&chain[..]), black_box(&key[..]))
                    .with_domain("www.example.com")
                    .with(Role::Region, "cn-hangzhou")
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

/// The stages alone, on the RSA-2048 3-certificate chain: PEM framing and base64 of the
/// certificate field, then parsing the three certificates. They are crate-private: reached
/// through the library's hooks, built with `RUSTFLAGS="--cfg fuzzing"`.
#[cfg(fuzzing)]
fn stages(c: &mut Criterion) {
    use cert_preflight::{Field, fuzzing};
    let text = String::from_utf8(fixture("rsa2048/chain3.pem")).unwrap();
    let blocks = fuzzing::certificate_field(&text).unwrap();
    let ders: Vec<Vec<u8>> = blocks
        .iter()
        .map(|b| b.decoded.as_ref().unwrap().to_vec())
        .collect();
    let der_refs: Vec<&[u8]> = ders.iter().map(Vec::as_slice).collect();
    let now = datetime!(2026-06-01 0:00 UTC).unix_timestamp();
    assert_eq!(fuzzing::chain(&der_refs, 0, now).unwrap().0.len(), 3);
    let key = String::from_utf8(fixture("rsa2048/key.pkcs1.pem")).unwrap();
    let mut group = c.benchmark_group("stages");
    group.bench_function("pem_decode_chain3", |b| {
        b.iter(|| black_box(fuzzing::certificate_field(black_box(&text))))
    });
    group.bench_function("pem_decode_rsa2048_key", |b| {
        b.iter(|| black_box(fuzzing::pem(black_box(&key), Field::PrivateKey)))
    });
    group.bench_function("chain_parse_chain3", |b| {
        b.iter(|| black_box(fuzzing::chain(black_box(&der_refs), 0, now)))
    });
    group.finish();
}

/// Pairs per second on all cores: 1,000 RSA-2048 chain-and-key pairs per iteration.
fn throughput(c: &mut Criterion) {
    let at = datetime!(2026-06-01 0:00 UTC);
    let (chain, key) = (
        fixture("rsa2048/fullchain.pem"),
        fixture("rsa2048/key.pkcs1.pem"),
    );
    let pairs: Vec<(Vec<u8>, Vec<u8>)> = (0..1000).map(|_| (chain.clone(), key.clone())).collect();
    let mut group = c.benchmark_group("throughput");
    group.throughput(Throughput::Elements(pairs.len() as u64));
    group.bench_function(
        format!("rsa2048_pairs_{}_threads", rayon::current_num_threads()),
        |b| {
            b.iter(|| {
                let accepted = pairs
                    .par_iter()
                    .filter(|(chain, key)| {
                        // Options borrows state with no `Sync` bound: each thread makes its own.
                        let options = Options::at(at);
                        validate(
                            &CDN,
                            &Request::upload(&chain[..], &key[..]).with_domain("www.example.com"),
                            &options,
                        )
                        .is_accepted()
                    })
                    .count();
                assert_eq!(accepted, pairs.len());
            })
        },
    );
    group.finish();
}

#[cfg(fuzzing)]
criterion_group!(benches, whole_check, stages, throughput);
#[cfg(not(fuzzing))]
criterion_group!(benches, whole_check, throughput);

fn main() {
    common::main(benches);
}
