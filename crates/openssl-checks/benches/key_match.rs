//! The key-match path, side by side with OpenSSL and ring: PEM text of one leaf certificate
//! and its private key, in memory, to a verdict.
//!
//! Groups are the key types (`rsa2048`, `rsa4096`, `p256`, `p384`, `p521`, `ed25519`);
//! functions are `cert_preflight` (the whole check, deep consistency checks on), `openssl`
//! (`X509::from_pem` + `PKey::private_key_from_pem` + `public_eq`, what `X509_check_private_key`
//! does) and `ring` (PEM decode, certificate parse, key load, SPKI compare: rustls'
//! `keys_match`) where ring can load the key. Run: `cargo bench --bench key_match`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use cert_preflight_testkit::bench as common;
use common::fixture;

use std::hint::black_box;

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

fn key_match(c: &mut Criterion) {
    let now = datetime!(2026-06-01 0:00 UTC);
    let cases: [(&str, Option<RingKind>); 6] = [
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
    for (kind, ring_kind) in cases {
        // Generated once, outside the timed loop.
        let cert = fixture(&format!("{kind}/cert.pem"));
        let key = fixture(&format!("{kind}/key.pkcs8.pem"));
        let ed25519_v1 = fixture("ed25519/key.pkcs8-v1.pem");
        // OpenSSL 3.0 cannot load PKCS#8 v2; give it the v1 form of the same key.
        let openssl_key = if kind == "ed25519" { &ed25519_v1 } else { &key };
        let options = Options::at(now);
        let request = Request::upload(cert.clone(), key.clone()).with_domain("www.example.com");
        assert!(validate(&CDN, &request, &options).is_accepted(), "{kind}");
        assert!(openssl(&cert, openssl_key), "{kind}");
        if let Some(ring_kind) = ring_kind {
            assert!(ring(&cert, &key, ring_kind), "{kind}");
        }

        let mut group = c.benchmark_group(kind);
        group.bench_function("cert_preflight", |b| {
            b.iter(|| {
                let request = Request::upload(black_box(&cert[..]), black_box(&key[..]))
                    .with_domain("www.example.com");
                black_box(validate(&CDN, &request, &options))
            })
        });
        group.bench_function("openssl", |b| {
            b.iter(|| black_box(openssl(black_box(&cert), black_box(openssl_key))))
        });
        if let Some(ring_kind) = ring_kind {
            group.bench_function("ring", |b| {
                b.iter(|| black_box(ring(black_box(&cert), black_box(&key), ring_kind)))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, key_match);

fn main() {
    common::main(benches);
}
