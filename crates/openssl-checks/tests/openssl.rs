//! Differential test against OpenSSL 3 (`X509_check_private_key` = `EVP_PKEY_eq`, what the
//! `openssl` crate's `public_eq` calls): on genuine pairs of every supported type, matched and
//! mismatched, our verdict equals OpenSSL's; on keys spliced from two key pairs OpenSSL says
//! "match" and we reject, and this test asserts both halves.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cert_preflight_testkit::common;

use cert_preflight::{CDN, Options, Request, Verdict, validate};
use common::{NOW, fixture};
use openssl::pkey::PKey;
use openssl::x509::X509;

/// OpenSSL's answer: does the leaf's public key equal the key's?
fn openssl_matches(cert: &str, key: &str) -> bool {
    let cert = X509::from_pem(&fixture(cert)).expect("OpenSSL reads the certificate");
    let key = PKey::private_key_from_pem(&fixture(key)).expect("OpenSSL reads the key");
    cert.public_key().unwrap().public_eq(&key)
}

fn ours(cert: &str, key: &str) -> Verdict {
    validate(
        &CDN,
        &Request::upload(fixture(cert), fixture(key)).with_domain("www.example.com"),
        &Options::at(NOW),
    )
}

/// Our answer to the same question: accepted, or rejected for the key.
fn ours_matches(cert: &str, key: &str) -> bool {
    let verdict = ours(cert, key);
    match verdict.answer().map(|f| f.code()) {
        None => true,
        Some("Certificate.MissMatch" | "Key.Malformed") => false,
        Some(other) => panic!("{cert} {key}: unexpected {other}"),
    }
}

/// The key fixtures OpenSSL 3.0 can load: not PKCS#8 v2 (its `PKCS8_PRIV_KEY_INFO` has no
/// `[1] publicKey`).
fn openssl_loads(kind: &str, key: &str) -> bool {
    !matches!(
        (kind, key),
        ("ed25519", "key.pkcs8.pem" | "key.pkcs8v2.pem")
    )
}

fn key_fixtures() -> Vec<(&'static str, Vec<&'static str>)> {
    common::KEY_FIXTURES
        .iter()
        .map(|(kind, keys)| {
            let loadable = keys.iter().copied().filter(|key| openssl_loads(kind, key));
            (*kind, loadable.collect())
        })
        .collect()
}

#[test]
fn matched_pairs_agree_with_openssl() {
    for (kind, keys) in key_fixtures() {
        for key in keys {
            let (cert, key) = (format!("{kind}/cert.pem"), format!("{kind}/{key}"));
            assert!(openssl_matches(&cert, &key), "OpenSSL: {cert} {key}");
            assert!(ours_matches(&cert, &key), "ours: {cert} {key}");
        }
    }
}

#[test]
fn mismatched_pairs_agree_with_openssl() {
    // Every type's key against every other type's certificate, and same-type other keys.
    let mut pairs: Vec<(String, String)> = Vec::new();
    let fixtures = key_fixtures();
    for (cert_kind, _) in &fixtures {
        for (key_kind, keys) in &fixtures {
            if cert_kind != key_kind {
                pairs.push((
                    format!("{cert_kind}/cert.pem"),
                    format!("{key_kind}/{}", keys[0]),
                ));
            }
        }
    }
    for (cert, key) in [
        ("p256/cert.pem", "mismatch/p256-b.key.pkcs8.pem"),
        ("p256/cert.pem", "mismatch/p256-b.key.sec1.pem"),
        ("rsa2048/cert.pem", "mismatch/rsa2048-b.key.pkcs1.pem"),
        ("rsa2048/cert.pem", "mismatch/rsa2048-b.key.pkcs8.pem"),
        ("ed25519/cert.pem", "mismatch/ed25519-b.key.pkcs8.pem"),
        ("p256/cert.pem", "spliced/ec-p256-negated-nopub.pem"),
        ("rsa2048/cert.pem", "spliced/rsa-cert-n-other-e.pem"),
    ] {
        pairs.push((cert.to_owned(), key.to_owned()));
    }
    for (cert, key) in &pairs {
        assert!(!openssl_matches(cert, key), "OpenSSL: {cert} {key}");
        assert!(!ours_matches(cert, key), "ours: {cert} {key}");
    }
}

#[test]
fn pkcs8_v2_keys_that_openssl_3_0_cannot_load_are_checked_by_us() {
    // OpenSSL 3.0's PKCS8_PRIV_KEY_INFO has no `[1] publicKey` field (RFC 5958 v2).
    for key in ["ed25519/key.pkcs8v2.pem", "ed25519/key.pkcs8.pem"] {
        let pem = fixture(key);
        if PKey::private_key_from_pem(&pem).is_ok() {
            // A newer OpenSSL: then it must agree with us.
            assert!(openssl_matches("ed25519/cert.pem", key), "OpenSSL: {key}");
        }
        assert!(ours_matches("ed25519/cert.pem", key), "ours: {key}");
    }
    assert!(!ours_matches(
        "ed25519/cert.pem",
        "spliced/ed25519-v2-pub-of-b.pem"
    ));
}

#[test]
fn spliced_keys_fool_openssl_but_not_us() {
    for (cert, key, detail) in [
        (
            "p256/cert.pem",
            "spliced/ec-p256-pub-a-scalar-b.pem",
            "the key is inconsistent: the public key stored in the key file is not the one its private key derives",
        ),
        (
            "rsa2048/cert.pem",
            "spliced/rsa-cert-ne-other-dpq.pem",
            "the key is inconsistent: its primes p and q do not multiply to its modulus n (p·q ≠ n)",
        ),
        (
            "rsa2048/cert.pem",
            "spliced/rsa-wrong-d.pem",
            "the key is inconsistent: its private exponent d does not invert e (e·d ≢ 1 mod p−1 or q−1)",
        ),
        (
            "rsa2048/cert.pem",
            "spliced/rsa-wrong-qinv.pem",
            "the key is inconsistent: its CRT coefficient does not invert q modulo p (qInv·q ≢ 1 mod p)",
        ),
    ] {
        assert!(
            openssl_matches(cert, key),
            "OpenSSL was expected to accept the spliced key {key}"
        );
        let verdict = ours(cert, key);
        let answer = verdict.answer().expect("we reject the spliced key");
        assert_eq!(
            (answer.code(), answer.detail()),
            ("Key.Malformed", detail.to_owned())
        );
    }
}
