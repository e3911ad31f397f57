//! The certificate and key checks, rows 12–19 of the check table (`docs/checks.md`), the key
//! match and the warnings, on the generated fixtures in `testdata/` (see testdata/README.md).
//!
//! Which test covers which of the traps that certificate checkers are known to fall into:
//!
//! | trap | test |
//! |---|---|
//! | 1 EC key with A's point, B's scalar | `ec_key_with_another_keys_point_is_inconsistent` |
//! | 2 RSA same n, other e | `rsa_key_with_another_exponent_does_not_match` |
//! | 3 RSA with wrong d, p, q (spliced) | `spliced_rsa_keys_are_inconsistent` |
//! | 4 EC negated point (same X) | `negated_ec_point_does_not_match` |
//! | 5 other curve / other algorithm | `algorithms_and_curves_that_differ_are_named` |
//! | 6 SEC1 without public key | `every_key_type_and_encoding_matches_its_chain` |
//! | 7 Ed25519 v1, v2, v2 with wrong public key | `every_key_type_and_encoding_matches_its_chain`, `ed25519_v2_with_a_wrong_public_key` |
//! | 8 RSA numbers with a leading zero | `every_key_type_and_encoding_matches_its_chain` (DER moduli carry a 0x00 sign byte) and the unit test `numbers_compare_without_leading_zeros` |
//! | 9 compressed EC point in the certificate | `a_compressed_point_in_the_certificate_matches` |
//! | 10 password-protected keys | `password_protected_keys_are_named` |
//! | 11 swapped, key twice, certificate twice, both in one file | `swapped_doubled_and_combined_fields` |
//! | 12 EC PARAMETERS before EC PRIVATE KEY | `every_key_type_and_encoding_matches_its_chain` |
//! | 13 END label differs from BEGIN | `end_label_must_match` |
//! | 14 stray BEGIN line | `a_stray_begin_line_is_rejected` |
//! | 15 CRLF, final newline, spaces, indentation, headers, padding, line length, blank lines | `formatting_variants` |
//! | 16 trailing DER bytes, text around blocks | `trailing_der_bytes_and_text_around_blocks` |
//! | 17 leaf not first, reversed, repeated, unrelated | `chain_order` |
//! | 18 bad certificate at index 1 | `every_certificate_is_parsed_and_named_by_index` |
//! | 19 expired intermediate | `an_expired_intermediate_warns` |
//! | 20 notBefore / notAfter inclusive, ±1 s | `validity_bounds_are_inclusive` |
//! | 21 UTCTime / GeneralizedTime, 2049/2050, 99991231235959Z | `time_encodings` |
//! | 22 byte limits first, junk, many BEGIN lines, unterminated | `cost_is_linear_and_limits_come_first`, and `row_11_eight_mebibytes_of_junk_is_refused_before_parsing` in tests/parameters.rs |
//! | 23 RSA 1024/8192/16384, e = 1, 3, even, > 2^33 | `rsa_sizes_and_exponents` |
//! | 24 names: CN > 64, SAN only, IDN, wildcards | `certificate_names_long_cn_san_only_idn_and_wildcards`, and the CertName tests in tests/parameters.rs |
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use cert_preflight_testkit::common;

use cert_preflight::{CDN, LIVE, Limits, Options, Profile, Request, Verdict, validate};
use common::{NOW, fixture, warning_codes};

/// Checks a certificate file with a key file, for `www.example.com`, named `prod-2026`.
fn pair(profile: &Profile, cert: &str, key: &str) -> Verdict {
    pair_for(profile, cert, key, "www.example.com")
}

fn pair_for(profile: &Profile, cert: &str, key: &str, domain: &str) -> Verdict {
    let request = Request::upload(fixture(cert), fixture(key))
        .with_domain(domain)
        .with_cert_name("prod-2026");
    validate(profile, &request, &Options::at(NOW))
}

fn pair_at(profile: &Profile, cert: &str, key: &str, at: time::OffsetDateTime) -> Verdict {
    let request = Request::upload(fixture(cert), fixture(key))
        .with_domain("www.example.com")
        .with_cert_name("prod-2026");
    validate(profile, &request, &Options::at(at))
}

/// Every finding as (code, message, detail).
fn findings(verdict: &Verdict) -> Vec<(&'static str, &'static str, String)> {
    verdict
        .findings()
        .iter()
        .map(|f| (f.code(), f.message(), f.detail()))
        .collect()
}

fn one(
    code: &'static str,
    message: &'static str,
    detail: &str,
) -> Vec<(&'static str, &'static str, String)> {
    vec![(code, message, detail.to_owned())]
}

const CDN_MALFORMED_CERT: &str = "The Certificate you provided is malformed!";
const CDN_MALFORMED_KEY: &str = "The Private Key you provided is malformed!";
const LIVE_MALFORMED_PUB: &str = "The SSLPub you provided is malformed!";
const LIVE_MALFORMED_PRI: &str = "The SSLPri you provided is malformed!";
const KEY_MALFORMED: &str = "The private key format is error.";
const FORMAT_ERROR: &str = "The certificate format is error.";
const CDN_MISMATCH: &str = "The Private Key does not math the specified Certificate!";
const LIVE_MISMATCH: &str = "The SSLPri does not math the specified Certificate!";
const LIVE_ORDER: &str = "The certificate is not match the private key.";

/// The same key problem answered by both profiles.
fn assert_key_malformed(cert: &str, key: &str, detail: &str) {
    for profile in [&CDN, &LIVE] {
        assert_eq!(
            findings(&pair(profile, cert, key)),
            one("Key.Malformed", KEY_MALFORMED, detail),
            "{} {cert} {key}",
            profile.name()
        );
    }
}

/// The same mismatch answered by both profiles.
fn assert_mismatch(cert: &str, key: &str, detail: &str) {
    assert_eq!(
        findings(&pair(&CDN, cert, key)),
        one("Certificate.MissMatch", CDN_MISMATCH, detail),
        "cdn {cert} {key}"
    );
    assert_eq!(
        findings(&pair(&LIVE, cert, key)),
        one("Certificate.MissMatch", LIVE_MISMATCH, detail),
        "live {cert} {key}"
    );
}

#[test]
fn every_key_type_and_encoding_matches_its_chain() {
    let cases = common::KEY_FIXTURES;
    for (kind, keys) in cases {
        for key in *keys {
            for profile in [&CDN, &LIVE] {
                let verdict = pair(
                    profile,
                    &format!("{kind}/fullchain.pem"),
                    &format!("{kind}/{key}"),
                );
                assert!(
                    verdict.is_accepted(),
                    "{} {kind}/{key}: {:?}",
                    profile.name(),
                    findings(&verdict)
                );
                let expected: &[&str] = match *kind {
                    "rsa1024" => &["WeakRsaKey"],
                    "sm2" => &["Sm2Certificate"],
                    "ed25519" => &["Ed25519Certificate"],
                    _ => &[],
                };
                assert_eq!(warning_codes(&verdict), expected, "{kind}/{key}");
            }
        }
    }
}

/// The DER of the first certificate of a PEM fixture, decoded by rustls-pki-types (the
/// oracle; the OpenSSL cross-checks are in crates/openssl-checks).
fn fixture_leaf_der(path: &str) -> Vec<u8> {
    use rustls_pki_types::CertificateDer;
    use rustls_pki_types::pem::PemObject;
    CertificateDer::pem_slice_iter(&fixture(path))
        .next()
        .unwrap()
        .unwrap()
        .to_vec()
}

#[test]
fn an_accepted_upload_is_described_for_the_store() {
    let verdict = pair(&LIVE, "p256/fullchain.pem", "p256/key.pkcs8.pem");
    let upload = verdict.upload().unwrap();
    assert_eq!(upload.name(), "prod-2026");
    assert_ne!(upload.fingerprint(), [0; 32]);
    assert_eq!(
        upload.leaf_der(),
        &fixture_leaf_der("p256/fullchain.pem")[..]
    );
    let rejected = pair(&LIVE, "p256/fullchain.pem", "mismatch/p256-b.key.pkcs8.pem");
    assert!(rejected.upload().is_none());
}

// ---- row 13: no usable CERTIFICATE block ----

#[test]
fn row_13_certificate_field_without_a_certificate() {
    let detail_cdn = "ServerCertificate: it has no CERTIFICATE block, only PRIVATE KEY: the private key is in the certificate's place";
    assert_eq!(
        findings(&pair(&CDN, "p256/key.pkcs8.pem", "p256/key.pkcs8.pem")),
        one("InvalidCertificate", CDN_MALFORMED_CERT, detail_cdn)
    );
    assert_eq!(
        findings(&pair(&LIVE, "p256/key.pkcs8.pem", "p256/key.pkcs8.pem")),
        one(
            "InvalidSSLPub",
            LIVE_MALFORMED_PUB,
            "SSLPub: it has no CERTIFICATE block, only PRIVATE KEY: the private key is in the certificate's place"
        )
    );
}

#[test]
fn row_13_live_answers_both_fields_at_once() {
    let request = Request::upload("not a certificate", "not a key")
        .with_domain("www.example.com")
        .with_cert_name("n");
    let verdict = validate(&LIVE, &request, &Options::at(NOW));
    assert_eq!(
        findings(&verdict),
        one(
            "InvalidSSLPubOrInvalidSSLPri",
            "The SSLPri or SSLPub you provided is malformed!",
            "SSLPub: it is not PEM: no -----BEGIN …----- line was found; SSLPri: it is not PEM: no -----BEGIN …----- line was found"
        )
    );
    // cdn has no combined code: two findings, the certificate's first.
    let verdict = validate(&CDN, &request, &Options::at(NOW));
    assert_eq!(
        findings(&verdict),
        vec![
            (
                "InvalidCertificate",
                CDN_MALFORMED_CERT,
                "ServerCertificate: it is not PEM: no -----BEGIN …----- line was found".to_owned()
            ),
            (
                "InvalidPrivateKey",
                CDN_MALFORMED_KEY,
                "PrivateKey: it is not PEM: no -----BEGIN …----- line was found".to_owned()
            ),
        ]
    );
}

// ---- row 14: base64 ----

#[test]
fn row_14_bad_base64_in_the_certificate() {
    assert_eq!(
        findings(&pair(
            &CDN,
            "pem/bang-in-base64.pem",
            "rsa2048/key.pkcs8.pem"
        )),
        one(
            "InvalidCertificate",
            CDN_MALFORMED_CERT,
            "ServerCertificate: the CERTIFICATE block at line 1: line 4 holds '!', which is not base64 here"
        )
    );
    assert_eq!(
        findings(&pair(
            &LIVE,
            "pem/bang-in-base64.pem",
            "rsa2048/key.pkcs8.pem"
        )),
        one(
            "Decode.Error",
            "The certificate sslpub or sslpri decode error.",
            "SSLPub: the CERTIFICATE block at line 1: line 4 holds '!', which is not base64 here"
        )
    );
}

#[test]
fn row_14_bad_base64_in_the_key_names_no_character() {
    let key = String::from_utf8(fixture("p256/key.pkcs8.pem")).unwrap();
    let broken = key.replacen("MIG", "M!G", 1);
    let request = Request::upload(fixture("p256/fullchain.pem"), broken)
        .with_domain("www.example.com")
        .with_cert_name("n");
    assert_eq!(
        findings(&validate(&CDN, &request, &Options::at(NOW))),
        one(
            "InvalidPrivateKey",
            CDN_MALFORMED_KEY,
            "PrivateKey: the PRIVATE KEY block at line 1: line 2 holds a character that is not base64 there"
        )
    );
    assert_eq!(
        findings(&validate(&LIVE, &request, &Options::at(NOW))),
        one(
            "Decode.Error",
            "The certificate sslpub or sslpri decode error.",
            "SSLPri: the PRIVATE KEY block at line 1: line 2 holds a character that is not base64 there"
        )
    );
}

// ---- row 15: X.509 DER ----

#[test]
fn every_certificate_is_parsed_and_named_by_index() {
    let detail = "certificate 2 of the chain (block at line 23): it is not valid X.509 DER (BER error: Unexpected Tag (expected: Some(Tag(16)), actual: Tag(12)))";
    for profile in [&CDN, &LIVE] {
        assert_eq!(
            findings(&pair(
                profile,
                "chain/bad-second.pem",
                "rsa2048/key.pkcs8.pem"
            )),
            one("Certificate.FormatError", FORMAT_ERROR, detail)
        );
    }
}

// ---- row 16: no usable private-key block ----

#[test]
fn row_16_key_field_without_a_private_key() {
    assert_eq!(
        findings(&pair(&CDN, "p256/fullchain.pem", "p256/cert.pem")),
        one(
            "InvalidPrivateKey",
            CDN_MALFORMED_KEY,
            "PrivateKey: it has no private-key block, only CERTIFICATE: a certificate is in the private key's place"
        )
    );
    assert_eq!(
        findings(&pair(&LIVE, "p256/fullchain.pem", "p256/cert.pem")),
        one(
            "InvalidSSLPri",
            LIVE_MALFORMED_PRI,
            "SSLPri: it has no private-key block, only CERTIFICATE: a certificate is in the private key's place"
        )
    );
}

// ---- row 17: the key block is not a usable private key ----

#[test]
fn password_protected_keys_are_named() {
    assert_key_malformed(
        "rsa2048/fullchain.pem",
        "keys/rsa2048.encrypted-pkcs8.pem",
        "the key is password-protected (ENCRYPTED PRIVATE KEY); password-protected keys are not supported: remove the password (e.g. `openssl pkey -in key.pem -out plain.pem`)",
    );
    assert_key_malformed(
        "rsa2048/fullchain.pem",
        "keys/rsa2048.encrypted-pkcs1.pem",
        "the key is password-protected (Proc-Type: 4,ENCRYPTED header); password-protected keys are not supported: remove the password (e.g. `openssl pkey -in key.pem -out plain.pem`)",
    );
}

#[test]
fn row_17_public_keys_and_unsupported_algorithms_are_named() {
    let cases = [
        (
            "pem/public-key.pem",
            "a public key (PUBLIC KEY) was given where the private key belongs: give the private key the certificate was requested with (its BEGIN line names a PRIVATE KEY)",
        ),
        (
            "pem/rsa-public-key.pem",
            "a public key (RSA PUBLIC KEY) was given where the private key belongs: give the private key the certificate was requested with (its BEGIN line names a PRIVATE KEY)",
        ),
        ("keys/dsa2048.pem", "DSA keys are not supported"),
        ("keys/x25519.pem", "X25519 keys are not supported"),
        ("keys/x448.pem", "X448 keys are not supported"),
        ("keys/ed448.pem", "Ed448 keys are not supported"),
        ("keys/rsa-pss.pem", "RSASSA-PSS keys are not supported"),
        (
            "keys/secp256k1.pem",
            "EC curve secp256k1 is not supported (use P-256, P-384, P-521 or SM2)",
        ),
        (
            "keys/secp256k1.sec1.pem",
            "EC curve secp256k1 is not supported (use P-256, P-384, P-521 or SM2)",
        ),
        (
            "keys/brainpoolP256r1.pem",
            "EC curve brainpoolP256r1 is not supported (use P-256, P-384, P-521 or SM2)",
        ),
        (
            "keys/p256-explicit.pkcs8.pem",
            "EC keys with explicit curve parameters are not supported (use a named curve)",
        ),
        (
            "keys/p256-explicit.sec1.pem",
            "EC keys with explicit curve parameters are not supported (use a named curve)",
        ),
        (
            "rsa-3prime/key.pkcs1.pem",
            "multi-prime RSA keys are not supported",
        ),
        (
            "spliced/p256-scalar-zero.pem",
            "the P-256 private scalar is 0 or not below the group order",
        ),
        (
            "spliced/p256-scalar-n.pem",
            "the P-256 private scalar is 0 or not below the group order",
        ),
    ];
    for (key, detail) in cases {
        assert_key_malformed("rsa2048/fullchain.pem", key, detail);
    }
}

#[test]
fn ec_key_with_another_keys_point_is_inconsistent() {
    assert_key_malformed(
        "p256/fullchain.pem",
        "spliced/ec-p256-pub-a-scalar-b.pem",
        "the key is inconsistent: the public key stored in the key file is not the one its private key derives",
    );
}

#[test]
fn rsa_key_with_another_exponent_does_not_match() {
    assert_mismatch(
        "rsa2048/fullchain.pem",
        "spliced/rsa-cert-n-other-e.pem",
        "the RSA modulus is the same but the public exponent differs (key e = 65539, certificate e = 65537)",
    );
}

#[test]
fn spliced_rsa_keys_are_inconsistent() {
    let cases = [
        (
            "spliced/rsa-cert-ne-other-dpq.pem",
            "its primes p and q do not multiply to its modulus n (p·q ≠ n)",
        ),
        (
            "spliced/rsa-wrong-d.pem",
            "its private exponent d does not invert e (e·d ≢ 1 mod p−1 or q−1)",
        ),
        (
            "spliced/rsa-wrong-dp.pem",
            "its CRT exponents do not match d (dP ≠ d mod p−1 or dQ ≠ d mod q−1)",
        ),
        (
            "spliced/rsa-wrong-dq.pem",
            "its CRT exponents do not match d (dP ≠ d mod p−1 or dQ ≠ d mod q−1)",
        ),
        (
            "spliced/rsa-wrong-qinv.pem",
            "its CRT coefficient does not invert q modulo p (qInv·q ≢ 1 mod p)",
        ),
    ];
    for (key, what) in cases {
        assert_key_malformed(
            "rsa2048/fullchain.pem",
            key,
            &format!("the key is inconsistent: {what}"),
        );
    }
}

#[test]
fn negated_ec_point_does_not_match() {
    let detail = "the P-256 public point derived from the key differs from the certificate's: this key belongs to another certificate";
    assert_mismatch(
        "p256/fullchain.pem",
        "spliced/ec-p256-negated-nopub.pem",
        detail,
    );
    assert_mismatch("p256/fullchain.pem", "spliced/ec-p256-negated.pem", detail);
}

#[test]
fn algorithms_and_curves_that_differ_are_named() {
    assert_mismatch(
        "p256/fullchain.pem",
        "p384/key.pkcs8.pem",
        "the key is EC P-384 but the certificate's public key is EC P-256",
    );
    assert_mismatch(
        "p256/fullchain.pem",
        "p521/key.sec1.pem",
        "the key is EC P-521 but the certificate's public key is EC P-256",
    );
    assert_mismatch(
        "p256/fullchain.pem",
        "rsa2048/key.pkcs1.pem",
        "the key is RSA 2048-bit but the certificate's public key is EC P-256",
    );
    assert_mismatch(
        "rsa2048/fullchain.pem",
        "ed25519/key.pkcs8.pem",
        "the key is Ed25519 but the certificate's public key is RSA 2048-bit",
    );
    assert_mismatch(
        "p256/fullchain.pem",
        "mismatch/p256-b.key.sec1.pem",
        "the P-256 public point derived from the key differs from the certificate's: this key belongs to another certificate",
    );
    assert_mismatch(
        "rsa2048/fullchain.pem",
        "mismatch/rsa2048-b.key.pkcs1.pem",
        "the key's RSA modulus differs from the certificate's: this key belongs to another certificate",
    );
    assert_mismatch(
        "ed25519/fullchain.pem",
        "mismatch/ed25519-b.key.pkcs8.pem",
        "the Ed25519 public key derived from the key differs from the certificate's",
    );
}

#[test]
fn ed25519_v2_with_a_wrong_public_key() {
    for key in [
        "spliced/ed25519-v2-pub-of-b.pem",
        "spliced/ed25519-v2-seed-b-pub-a.pem",
    ] {
        assert_key_malformed(
            "ed25519/fullchain.pem",
            key,
            "the key is inconsistent: the public key stored in the key file is not the one its private key derives",
        );
    }
}

#[test]
fn a_compressed_point_in_the_certificate_matches() {
    for profile in [&CDN, &LIVE] {
        for key in ["p256/key.pkcs8.pem", "p256/key.sec1-nopub.pem"] {
            let verdict = pair(profile, "p256/fullchain-compressed.pem", key);
            assert!(verdict.is_accepted(), "{:?}", findings(&verdict));
            assert_eq!(warning_codes(&verdict), Vec::<&str>::new());
        }
    }
}

// ---- row 18b: the key belongs to a later certificate ----

#[test]
fn chain_order() {
    let detail = |index: usize| {
        format!(
            "the key belongs to certificate {index} of the chain (CN=www.example.com), not to the first: put the leaf certificate first, then its issuers"
        )
    };
    for (file, index, order) in [
        ("chain/leaf-not-first.pem", 2, "2, 1"),
        ("chain/reversed.pem", 3, "3, 2, 1"),
    ] {
        let cdn = pair(&CDN, file, "rsa2048/key.pkcs8.pem");
        assert_eq!(
            findings(&cdn),
            one("Certificate.MissMatch", CDN_MISMATCH, &detail(index))
        );
        let live = pair(&LIVE, file, "rsa2048/key.pkcs8.pem");
        assert_eq!(
            findings(&live),
            one("Certificate.MissMatch", LIVE_ORDER, &detail(index))
        );
        assert_eq!(
            live.warnings()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            vec![format!(
                "the chain is out of order; put the certificates in this order: {order}"
            )]
        );
    }
    let repeated = pair(&CDN, "chain/leaf-repeated.pem", "rsa2048/key.pkcs8.pem");
    assert!(repeated.is_accepted());
    assert_eq!(
        warning_texts(&repeated),
        vec!["certificate 3 repeats certificate 1; remove the copy"]
    );
    let unrelated = pair(
        &CDN,
        "chain/unrelated-intermediate.pem",
        "rsa2048/key.pkcs8.pem",
    );
    assert!(unrelated.is_accepted());
    assert_eq!(
        warning_texts(&unrelated),
        vec![
            "the issuer of certificate 1 (O=Cert Preflight Tests, CN=Preflight Test RSA Intermediate) is not in the chain; add it after certificate 1",
            "certificate 2 (O=Cert Preflight Tests, CN=Preflight Test ECC Intermediate) does not belong to the leaf's chain; remove it",
        ]
    );
    let leaf_only = pair(&CDN, "rsa2048/cert.pem", "rsa2048/key.pkcs8.pem");
    assert!(leaf_only.is_accepted());
    assert_eq!(
        warning_texts(&leaf_only),
        vec![
            "only the leaf certificate was given; append the intermediate certificate(s) issued by O=Cert Preflight Tests, CN=Preflight Test RSA Intermediate (use the full chain file)"
        ]
    );
    let with_root = pair(&CDN, "rsa2048/chain3.pem", "rsa2048/key.pkcs8.pem");
    assert!(with_root.is_accepted());
    assert!(with_root.warnings().is_empty());
}

#[test]
fn an_expired_intermediate_warns() {
    let verdict = pair(
        &LIVE,
        "chain/expired-intermediate.pem",
        "rsa2048/key.pkcs8.pem",
    );
    assert!(verdict.is_accepted());
    assert_eq!(
        warning_texts(&verdict),
        vec![
            "certificate 2 of the chain (O=Cert Preflight Tests, CN=Preflight Test RSA Expired Intermediate) expired on 2026-03-01T00:00:00Z; clients will reject the chain"
        ]
    );
}

// ---- row 19: expiry ----

#[test]
fn row_19_an_expired_leaf() {
    let detail =
        "the certificate expired on 2026-01-01T00:00:00Z (checked at 2026-06-01T00:00:00Z)";
    assert_eq!(
        findings(&pair(&CDN, "time/expired.pem", "rsa2048/key.pkcs8.pem")),
        one(
            "Certificate.StatusError",
            "The certificate status is error.",
            detail
        )
    );
    assert_eq!(
        findings(&pair(&LIVE, "time/expired.pem", "rsa2048/key.pkcs8.pem")),
        one("Certificate.Expired", "The certificate is expired.", detail)
    );
}

#[test]
fn validity_bounds_are_inclusive() {
    use time::macros::datetime;
    let (cert, key) = ("rsa2048/fullchain.pem", "rsa2048/key.pkcs8.pem");
    // Standard leaf: 2026-01-01T00:00:00Z ..= 2027-01-01T00:00:00Z.
    let at_not_after = pair_at(&LIVE, cert, key, datetime!(2027-01-01 0:00 UTC));
    assert!(at_not_after.is_accepted());
    let after = pair_at(&LIVE, cert, key, datetime!(2027-01-01 0:00:01 UTC));
    assert_eq!(
        findings(&after),
        one(
            "Certificate.Expired",
            "The certificate is expired.",
            "the certificate expired on 2027-01-01T00:00:00Z (checked at 2027-01-01T00:00:01Z)"
        )
    );
    let at_not_before = pair_at(&LIVE, cert, key, datetime!(2026-01-01 0:00 UTC));
    assert!(at_not_before.is_accepted());
    assert!(!warning_codes(&at_not_before).contains(&"NotYetValid"));
    let before = pair_at(&LIVE, cert, key, datetime!(2025-12-31 23:59:59 UTC));
    assert!(before.is_accepted(), "not yet valid only warns");
    assert_eq!(
        before.warnings()[0].to_string(),
        "the certificate is not valid until 2026-01-01T00:00:00Z (checked at 2025-12-31T23:59:59Z)"
    );
    // The time/ fixtures put the bounds on the fixed check time.
    assert!(pair(&CDN, "time/not-after-check-time.pem", key).is_accepted());
    assert!(pair(&CDN, "time/not-before-check-time.pem", key).is_accepted());
    assert_eq!(
        findings(&pair(&CDN, "time/expired-one-second.pem", key)),
        one(
            "Certificate.StatusError",
            "The certificate status is error.",
            "the certificate expired on 2026-05-31T23:59:59Z (checked at 2026-06-01T00:00:00Z)"
        )
    );
    assert_eq!(
        warning_codes(&pair(&CDN, "time/not-yet-valid-one-second.pem", key)),
        vec!["NotYetValid"]
    );
}

#[test]
fn expiring_within_30_days_warns() {
    let verdict = pair(&CDN, "time/expiring-soon.pem", "rsa2048/key.pkcs8.pem");
    assert!(verdict.is_accepted());
    assert_eq!(
        verdict.warnings()[0].to_string(),
        "the certificate expires on 2026-06-15T00:00:00Z, in 14 days; renew it"
    );
    let window = validate(
        &CDN,
        &Request::upload(
            fixture("time/expiring-soon.pem"),
            fixture("rsa2048/key.pkcs8.pem"),
        )
        .with_domain("www.example.com"),
        &Options::at(NOW).with_expiry_warning_days(10),
    );
    assert!(window.warnings().is_empty());
}

#[test]
fn time_encodings() {
    use time::macros::datetime;
    let key = "rsa2048/key.pkcs8.pem";
    for (cert, last_valid) in [
        (
            "time/not-after-2049.pem",
            datetime!(2049-12-31 23:59:59 UTC),
        ),
        ("time/not-after-2050.pem", datetime!(2050-01-01 0:00 UTC)),
        (
            "time/not-after-99991231.pem",
            datetime!(9999-12-31 23:59:59 UTC),
        ),
    ] {
        assert!(
            pair_at(&LIVE, cert, key, last_valid).is_accepted(),
            "{cert}"
        );
        if last_valid.year() < 9999 {
            let later = pair_at(&LIVE, cert, key, last_valid + time::Duration::seconds(1));
            assert_eq!(
                later.answer().map(|f| f.code()),
                Some("Certificate.Expired"),
                "{cert}"
            );
        }
    }
}

// ---- PEM variants (traps 11–16) ----

#[test]
fn swapped_doubled_and_combined_fields() {
    let swapped = pair(&LIVE, "rsa2048/key.pkcs8.pem", "rsa2048/fullchain.pem");
    assert_eq!(
        findings(&swapped),
        one(
            "InvalidSSLPubOrInvalidSSLPri",
            "The SSLPri or SSLPub you provided is malformed!",
            "SSLPub: it has no CERTIFICATE block, only PRIVATE KEY: the private key is in the certificate's place; SSLPri: it has no private-key block, only CERTIFICATE, CERTIFICATE: a certificate is in the private key's place (the certificate and the private key are swapped)"
        )
    );
    assert_eq!(
        findings(&pair(&CDN, "rsa2048/fullchain.pem", "pem/key-twice.pem")),
        one(
            "InvalidPrivateKey",
            CDN_MALFORMED_KEY,
            "PrivateKey: it holds more than one private key (blocks at lines 1 and 29); give exactly one"
        )
    );
    let cert_twice = pair(&CDN, "pem/cert-twice.pem", "rsa2048/key.pkcs8.pem");
    assert!(cert_twice.is_accepted());
    assert_eq!(
        warning_codes(&cert_twice),
        vec!["DuplicateCertificate", "ChainIncomplete"]
    );
    assert_eq!(
        findings(&pair(&CDN, "pem/cert-and-key.pem", "pem/cert-and-key.pem")),
        vec![
            (
                "InvalidCertificate",
                CDN_MALFORMED_CERT,
                "ServerCertificate: the PRIVATE KEY block at line 49 does not belong in this parameter: send the private key only in the private-key parameter".to_owned()
            ),
            (
                "InvalidPrivateKey",
                CDN_MALFORMED_KEY,
                "PrivateKey: the CERTIFICATE block at line 1 does not belong in this parameter: certificates go in the certificate parameter".to_owned()
            ),
        ]
    );
    assert_eq!(
        findings(&pair(&LIVE, "pem/key-only.pem", "rsa2048/key.pkcs8.pem"))[0].0,
        "InvalidSSLPub"
    );
}

#[test]
fn end_label_must_match() {
    assert_eq!(
        findings(&pair(
            &CDN,
            "pem/end-label-mismatch.pem",
            "rsa2048/key.pkcs8.pem"
        )),
        one(
            "InvalidCertificate",
            CDN_MALFORMED_CERT,
            "ServerCertificate: the block opened at line 1 as CERTIFICATE is closed at line 22 as X509 CERTIFICATE: the END label must repeat the BEGIN label"
        )
    );
}

#[test]
fn a_stray_begin_line_is_rejected() {
    assert_eq!(
        findings(&pair(&LIVE, "pem/stray-begin.pem", "rsa2048/key.pkcs8.pem")),
        one(
            "InvalidSSLPub",
            LIVE_MALFORMED_PUB,
            "SSLPub: line 5 starts a new block while the CERTIFICATE block opened at line 1 has no END line (a partial block was left in front of it)"
        )
    );
    assert_eq!(
        findings(&pair(&CDN, "pem/unterminated.pem", "rsa2048/key.pkcs8.pem")),
        one(
            "InvalidCertificate",
            CDN_MALFORMED_CERT,
            "ServerCertificate: the CERTIFICATE block opened at line 1 has no -----END CERTIFICATE----- line"
        )
    );
}

#[test]
fn formatting_variants() {
    let key = "rsa2048/key.pkcs8.pem";
    // Accepted without a word: line ends and padding the decoders all take.
    for cert in [
        "pem/crlf.pem",
        "pem/no-final-newline.pem",
        "pem/non-canonical-base64.pem",
    ] {
        let verdict = pair(&CDN, cert, key);
        assert!(verdict.is_accepted(), "{cert}: {:?}", findings(&verdict));
        assert!(verdict.warnings().is_empty(), "{cert}");
    }
    // Accepted with a format warning.
    for (cert, warning) in [
        (
            "pem/trailing-spaces.pem",
            "certificate: lines start or end with spaces or tabs (first: line 1)",
        ),
        (
            "pem/indented.pem",
            "certificate: lines start or end with spaces or tabs (first: line 1)",
        ),
        (
            "pem/lines-76.pem",
            "certificate: 36 base64 line(s) are not 64 characters long (first: line 2, 76 characters); the published format wants 64-character lines",
        ),
        (
            "pem/blank-line-between.pem",
            "certificate: blank line between blocks at line 23; the published format has none",
        ),
    ] {
        let verdict = pair(&CDN, cert, key);
        assert!(verdict.is_accepted(), "{cert}: {:?}", findings(&verdict));
        assert_eq!(warning_texts(&verdict), vec![warning], "{cert}");
    }
    // Rejected: headers in a CERTIFICATE block, missing padding.
    assert_eq!(
        findings(&pair(&CDN, "pem/header-in-block.pem", key)),
        one(
            "InvalidCertificate",
            CDN_MALFORMED_CERT,
            "ServerCertificate: the CERTIFICATE block at line 1 has header lines (\"Name: value\") after its BEGIN line; a CERTIFICATE block carries none, so remove them"
        )
    );
    assert_eq!(
        findings(&pair(&LIVE, "pem/no-padding.pem", key)),
        one(
            "Decode.Error",
            "The certificate sslpub or sslpri decode error.",
            "SSLPub: the CERTIFICATE block at line 1: the body has 1210 base64 characters, not a multiple of 4 (the '=' padding is missing or the body was cut)"
        )
    );
}

#[test]
fn trailing_der_bytes_and_text_around_blocks() {
    for profile in [&CDN, &LIVE] {
        assert_eq!(
            findings(&pair(
                profile,
                "pem/trailing-bytes.pem",
                "rsa2048/key.pkcs8.pem"
            )),
            one(
                "Certificate.FormatError",
                FORMAT_ERROR,
                "certificate 1 of the chain (block at line 1): 2 byte(s) follow the end of its DER encoding inside the PEM block"
            )
        );
    }
    let bag = pair(&CDN, "pem/bag-attributes.pem", "pem/bag-attributes.key.pem");
    assert!(bag.is_accepted());
    assert_eq!(
        bag.warnings()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        vec![
            "certificate: 7 line(s) of text outside the PEM blocks (first: line 1) are ignored; send only the blocks",
            "private key: 3 line(s) of text outside the PEM blocks (first: line 1) are ignored; send only the blocks",
        ]
    );
    let after = pair(&CDN, "pem/text-after.pem", "rsa2048/key.pkcs8.pem");
    assert_eq!(
        warning_texts(&after),
        vec![
            "certificate: 1 line(s) of text outside the PEM blocks (first: line 49) are ignored; send only the blocks"
        ]
    );
}

// ---- cost and size (traps 22, 23) ----

#[test]
fn cost_is_linear_and_limits_come_first() {
    let big = Limits {
        certificate: 16 * 1024 * 1024,
        private_key: 16 * 1024 * 1024,
    };
    let options = Options::at(NOW).with_limits(big);
    // 100,000 BEGIN lines: the second one is a stray BEGIN, found at once.
    let begins = "-----BEGIN CERTIFICATE-----\n".repeat(100_000);
    let request =
        Request::upload(begins, fixture("p256/key.pkcs8.pem")).with_domain("www.example.com");
    let verdict = validate(&CDN, &request, &options);
    assert_eq!(
        findings(&verdict)[0].2,
        "ServerCertificate: line 2 starts a new block while the CERTIFICATE block opened at line 1 has no END line (a partial block was left in front of it)"
    );
    // An unterminated block of 8 MiB.
    let mut open = String::from("-----BEGIN CERTIFICATE-----\n");
    open.push_str(&"QUFB\n".repeat(8 * 1024 * 1024 / 5));
    let verdict = validate(
        &CDN,
        &Request::upload(open, fixture("p256/key.pkcs8.pem")).with_domain("www.example.com"),
        &options,
    );
    assert_eq!(
        findings(&verdict)[0].2,
        "ServerCertificate: the CERTIFICATE block opened at line 1 has no -----END CERTIFICATE----- line"
    );
    // 8 MiB of one line without a newline.
    let line = "A".repeat(8 * 1024 * 1024);
    let verdict = validate(
        &CDN,
        &Request::upload(line, fixture("p256/key.pkcs8.pem")).with_domain("www.example.com"),
        &options,
    );
    assert_eq!(
        findings(&verdict)[0].2,
        "ServerCertificate: it is base64 without PEM armour: the text needs its -----BEGIN …----- and -----END …----- lines"
    );
}

#[test]
fn rsa_sizes_and_exponents() {
    assert_eq!(
        pair(&CDN, "rsa1024/fullchain.pem", "rsa1024/key.pkcs1.pem").warnings()[0].to_string(),
        "the RSA key has 1024 bits; below 2048 bits is weak and refused by current clients"
    );
    assert!(pair(&CDN, "rsa8192/fullchain.pem", "rsa8192/key.pkcs1.pem").is_accepted());
    assert!(pair(&CDN, "rsa16384/fullchain.pem", "rsa16384/key.pkcs8.pem").is_accepted());
    assert!(pair(&CDN, "rsa-e3/fullchain.pem", "rsa-e3/key.pkcs1.pem").is_accepted());
    assert_key_malformed(
        "rsa2048/fullchain.pem",
        "spliced/rsa-e1.pem",
        "the RSA public exponent is 1, which does not encrypt",
    );
    assert_key_malformed(
        "spliced/rsa-e-even.fullchain.pem",
        "spliced/rsa-e-even.pem",
        "the RSA public exponent is even, so no private exponent can exist",
    );
    let large = pair(
        &LIVE,
        "spliced/rsa-e-large.fullchain.pem",
        "spliced/rsa-e-large.pem",
    );
    assert!(large.is_accepted());
    assert_eq!(
        warning_texts(&large),
        vec![
            "the RSA public exponent 8589934595 is above 2^32; some TLS clients (Windows CryptoAPI, Go) refuse such keys"
        ]
    );
}

// ---- names (trap 24) and other warnings ----

#[test]
fn certificate_names_long_cn_san_only_idn_and_wildcards() {
    let key = "rsa2048/key.pkcs8.pem";
    for cert in [
        "names/cn-65.pem",
        "names/san-only.pem",
        "names/cn-only.pem",
        "names/wildcard.pem",
    ] {
        let verdict = pair(&CDN, cert, key);
        assert!(verdict.is_accepted(), "{cert}");
        assert!(
            verdict.warnings().is_empty(),
            "{cert}: {:?}",
            verdict.warnings()
        );
    }
    let idn = pair_for(&CDN, "names/idn.pem", key, "例子.测试");
    assert!(idn.is_accepted());
    assert!(idn.warnings().is_empty());
    let idn_other = pair_for(&CDN, "names/idn.pem", key, "www.example.com");
    assert_eq!(
        idn_other.warnings()[0].to_string(),
        "the certificate does not cover www.example.com (it covers: xn--fsqu00a.xn--0zwm56d)"
    );
    // The service writes wildcard domains as `.example.com`.
    assert!(
        pair_for(&CDN, "names/wildcard.pem", key, ".example.com")
            .warnings()
            .is_empty()
    );
    assert!(
        pair_for(&CDN, "names/wildcard.pem", key, "cdn.example.com")
            .warnings()
            .is_empty()
    );
    let plain = pair_for(&CDN, "rsa2048/fullchain.pem", key, ".example.com");
    assert_eq!(
        plain.warnings()[0].to_string(),
        "the certificate does not cover .example.com (it covers: www.example.com, example.com)"
    );
}

/// An Ed25519 leaf is stored by the service, but no browser takes it: a warning says so and
/// what to use instead, as for a 1024-bit RSA key.
#[test]
fn an_ed25519_leaf_warns_that_browsers_do_not_take_it() {
    for profile in [&CDN, &LIVE] {
        for chain in ["ed25519/fullchain.pem", "ed25519/chain3.pem"] {
            let verdict = pair(profile, chain, "ed25519/key.pkcs8.pem");
            assert!(verdict.is_accepted(), "{chain}");
            assert_eq!(
                warning_codes(&verdict),
                vec!["Ed25519Certificate"],
                "{chain}"
            );
            assert_eq!(
                warning_texts(&verdict),
                vec![
                    "the certificate has an Ed25519 key; no browser supports Ed25519 certificates \
                     in TLS today, so browsers will fail to connect: use a certificate with an \
                     ECDSA P-256 key or an RSA key of 2048 bits or more"
                ]
            );
        }
    }
}

#[test]
fn a_sha1_signature_warns() {
    let verdict = pair(&CDN, "weak/sha1.pem", "rsa2048/key.pkcs8.pem");
    assert!(verdict.is_accepted());
    assert_eq!(
        warning_texts(&verdict),
        vec!["certificate 1 is signed with sha1WithRSAEncryption, which browsers reject"]
    );
}

#[test]
fn a_rejection_carries_every_finding() {
    // Mismatched key and an expired leaf: both, the mismatch (row 18) first.
    let verdict = pair(
        &LIVE,
        "time/expired.pem",
        "mismatch/rsa2048-b.key.pkcs8.pem",
    );
    assert_eq!(
        findings(&verdict),
        vec![
            (
                "Certificate.MissMatch",
                LIVE_MISMATCH,
                "the key's RSA modulus differs from the certificate's: this key belongs to another certificate".to_owned()
            ),
            (
                "Certificate.Expired",
                "The certificate is expired.",
                "the certificate expired on 2026-01-01T00:00:00Z (checked at 2026-06-01T00:00:00Z)".to_owned()
            ),
        ]
    );
    // A bad second certificate and a password-protected key.
    let verdict = pair(
        &CDN,
        "chain/bad-second.pem",
        "keys/rsa2048.encrypted-pkcs8.pem",
    );
    assert_eq!(
        verdict
            .findings()
            .iter()
            .map(|f| f.code())
            .collect::<Vec<_>>(),
        vec!["Certificate.FormatError", "Key.Malformed"]
    );
}

// ---- inputs users give by mistake, answered on every profile ----

use cert_preflight::{
    Base64Error, Failure, Field, KeyProblem, PemError, Role, TextProblem, Warning,
};

/// The entry `profile` answers `failure` with, as (code, message).
fn entry(profile: &Profile, failure: &Failure) -> (&'static str, &'static str) {
    let entry = profile
        .entry_for(failure)
        .unwrap_or_else(|| panic!("{} performs the check", profile.name()));
    (entry.code(), entry.message())
}

/// A failure of row 12 (a value that is not text) in `field`.
fn row_12(field: Field) -> Failure {
    Failure::NotText {
        param: "",
        field,
        problem: TextProblem::Nul { offset: 0 },
    }
}

/// A failure of row 13 (no usable certificate block).
fn row_13() -> Failure {
    Failure::CertificatePem {
        param: "",
        error: PemError::NoCertificate { found: Vec::new() },
    }
}

/// A failure of row 14 (bad base64) in `field`.
fn row_14(field: Field) -> Failure {
    Failure::Base64 {
        param: "",
        field,
        label: String::new(),
        line: 0,
        error: Base64Error::EmptyBody,
    }
}

/// A failure of row 16 (no usable private-key block).
fn row_16() -> Failure {
    Failure::PrivateKeyPem {
        param: "",
        error: PemError::NoPrivateKey { found: Vec::new() },
    }
}

/// A failure of row 17 (not a usable private key).
fn row_17() -> Failure {
    Failure::PrivateKey(KeyProblem::MultiPrime)
}

/// A failure of row 18 (the key matches no certificate).
fn row_18() -> Failure {
    Failure::CaCertificate {
        subject: String::new(),
        count: 1,
    }
}

/// Checks `cert` with `key` (bytes), for `www.example.com` (in `cn-hangzhou` where the API is
/// regional), named `prod-2026`.
fn upload(profile: &Profile, cert: impl Into<Vec<u8>>, key: impl Into<Vec<u8>>) -> Verdict {
    let request = Request::upload(cert.into(), key.into())
        .with_domain("www.example.com")
        .with(Role::Region, "cn-hangzhou")
        .with_cert_name("prod-2026");
    validate(profile, &request, &Options::at(NOW))
}

/// The profiles that take a PKCS#8 key, the encoding of this file's usual key: all but CLB's,
/// which takes PKCS#1 only (tests/clb.rs).
fn taking_pkcs8() -> impl Iterator<Item = &'static Profile> {
    Profile::ALL
        .iter()
        .copied()
        .filter(|profile| profile.rules().private_key_formats.is_empty())
}

/// Asserts that `verdict` is one finding: `profile`'s entry for `row`, with `detail`.
#[track_caller]
fn assert_one(profile: &Profile, verdict: &Verdict, row: &Failure, detail: &str) {
    let (code, message) = entry(profile, row);
    let inferred = profile
        .entry_for(row)
        .is_some_and(|e| e.evidence().is_inferred());
    let detail = if inferred {
        format!("{detail}{INFERRED}")
    } else {
        detail.to_owned()
    };
    assert_eq!(
        findings(verdict),
        one(code, message, &detail),
        "{}",
        profile.name()
    );
}

/// What the detail of an entry whose code the service was never seen to give ends with.
const INFERRED: &str = " (the code and message are cert-preflight's inference: no public \
                        source shows this service's answer to this case)";

fn text(path: &str) -> String {
    String::from_utf8(fixture(path)).unwrap()
}

/// Standard base64 (RFC 4648 §4), for inputs kept as text in this file.
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let chars: Vec<u8> = text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .map(value)
        .collect();
    let mut out = Vec::new();
    for chunk in chars.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= u32::from(*c) << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}

/// Every envelope of a key whose algorithm the service does not take — PKCS#8, the
/// traditional label, with the parameter blocks `openssl dsaparam -genkey` and `openssl genpkey
/// -genparam` write before it — answers like its PKCS#8 form: row 17, naming the algorithm.
#[test]
fn row_17_every_envelope_of_a_refused_algorithm_answers_like_its_pkcs8_form() {
    let key_only = |text: &str| {
        let start = text.find("-----BEGIN PRIVATE KEY").unwrap();
        text[start..].to_owned()
    };
    let traditional_only = |text: &str| {
        let start = text.find("-----BEGIN DSA PRIVATE KEY").unwrap();
        text[start..].to_owned()
    };
    let cases: Vec<(&str, Vec<String>)> = vec![
        (
            "DSA keys are not supported",
            vec![
                text("keys/dsa2048.pem"),
                key_only(DSA_PARAMS_PKCS8),
                DSA_PARAMS_PKCS8.to_owned(),
                traditional_only(DSA_PARAMS_TRADITIONAL),
                DSA_PARAMS_TRADITIONAL.to_owned(),
            ],
        ),
        (
            "Diffie-Hellman (PKCS#3) keys are not supported",
            vec![key_only(DH_PARAMS_PKCS8), DH_PARAMS_PKCS8.to_owned()],
        ),
        (
            "Diffie-Hellman (X9.42) keys are not supported",
            vec![key_only(DHX_PARAMS_PKCS8), DHX_PARAMS_PKCS8.to_owned()],
        ),
        (
            "X25519 keys are not supported",
            vec![text("keys/x25519.pem")],
        ),
        ("Ed448 keys are not supported", vec![text("keys/ed448.pem")]),
    ];
    for profile in taking_pkcs8() {
        for (detail, keys) in &cases {
            for key in keys {
                let verdict = upload(profile, fixture("rsa2048/fullchain.pem"), key.as_str());
                assert_one(profile, &verdict, &row_17(), detail);
            }
        }
    }
}

/// Labels users paste by mistake get a detail that says what the block is and what to give
/// instead; the code stays the row's (13 in the certificate field, 16 or 17 in the key field).
#[test]
fn mistaken_labels_say_what_the_block_is_and_what_to_give() {
    let block = |label: &str| format!("-----BEGIN {label}-----\nMIIB\n-----END {label}-----\n");
    let in_certificate = [
        (
            "CERTIFICATE REQUEST",
            "CERTIFICATE REQUEST: it is a certificate signing request (CSR), not a certificate; give the certificate the CA issued for it",
        ),
        (
            "NEW CERTIFICATE REQUEST",
            "CERTIFICATE REQUEST: it is a certificate signing request (CSR), not a certificate; give the certificate the CA issued for it",
        ),
        (
            "PKCS7",
            "PKCS7: it is a PKCS#7 (P7B) certificate bundle, which the service does not read; convert it to PEM certificates with `openssl pkcs7 -print_certs -in F -out chain.pem` and give those, the leaf first",
        ),
        (
            "X509 CRL",
            "X509 CRL: it is a certificate revocation list (CRL), not a certificate; give the certificate the CA issued",
        ),
        (
            "PUBLIC KEY",
            "PUBLIC KEY: it is a public key, not a certificate; give the certificate the CA issued (-----BEGIN CERTIFICATE-----)",
        ),
        (
            "RSA PUBLIC KEY",
            "RSA PUBLIC KEY: it is a public key, not a certificate; give the certificate the CA issued (-----BEGIN CERTIFICATE-----)",
        ),
    ];
    let in_key = [
        (
            "CERTIFICATE REQUEST",
            "CERTIFICATE REQUEST: it is a certificate signing request (CSR), not a private key; give the private key the CSR was made with",
        ),
        (
            "PKCS7",
            "PKCS7: it is a PKCS#7 (P7B) certificate bundle, which never holds a private key; give the private key",
        ),
        (
            "X509 CRL",
            "X509 CRL: it is a certificate revocation list (CRL), not a private key; give the private key",
        ),
    ];
    for profile in taking_pkcs8() {
        let cert_param = profile.param(Role::Certificate).unwrap();
        let key_param = profile.param(Role::PrivateKey).unwrap();
        for (label, what) in in_certificate {
            let verdict = upload(profile, block(label), fixture("rsa2048/key.pkcs8.pem"));
            let detail = format!("{cert_param}: it has no CERTIFICATE block, only {what}");
            assert_one(profile, &verdict, &row_13(), &detail);
        }
        // Next to certificates, the block is named and is to be removed.
        let with_csr = format!(
            "{}{}",
            text("rsa2048/fullchain.pem"),
            block("CERTIFICATE REQUEST")
        );
        let verdict = upload(profile, with_csr, fixture("rsa2048/key.pkcs8.pem"));
        let detail = format!(
            "{cert_param}: the CERTIFICATE REQUEST block at line 49 does not belong in this parameter: it is a certificate signing request (CSR), not a certificate; remove it"
        );
        assert_one(profile, &verdict, &row_13(), &detail);
        for (label, what) in in_key {
            let verdict = upload(profile, fixture("rsa2048/fullchain.pem"), block(label));
            let detail = format!("{key_param}: it has no private-key block, only {what}");
            assert_one(profile, &verdict, &row_16(), &detail);
        }
    }
}

/// An OpenSSH private key in the key field is row 17, named with its algorithm (read from the
/// public part the format keeps in clear) and the conversion that works for it; its 70-column
/// lines are the format's own and get no `PemFormat` warning.
#[test]
fn row_17_openssh_keys_are_named_with_the_conversion_that_works() {
    let cases = [
        (
            OPENSSH_ECDSA.to_owned(),
            "it is an OpenSSH ECDSA P-256 private key (OPENSSH PRIVATE KEY, ssh-keygen's own format), which the service does not read: convert a copy to PEM with `ssh-keygen -p -m PEM -f KEY` (it rewrites KEY in place)",
        ),
        (
            OPENSSH_ED25519.to_owned(),
            "it is an OpenSSH Ed25519 private key (OPENSSH PRIVATE KEY, ssh-keygen's own format), which the service does not read; ssh-keygen cannot write an Ed25519 key as PEM, and a certificate's key is the one its request (CSR) was made with: give that key",
        ),
        (
            OPENSSH_ED25519_ENCRYPTED.to_owned(),
            "it is an OpenSSH Ed25519 private key (OPENSSH PRIVATE KEY, ssh-keygen's own format), which the service does not read; ssh-keygen cannot write an Ed25519 key as PEM, and a certificate's key is the one its request (CSR) was made with: give that key",
        ),
        (
            "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n"
                .to_owned(),
            "it is an OpenSSH private key (OPENSSH PRIVATE KEY, ssh-keygen's own format), which the service does not read: convert a copy to PEM with `ssh-keygen -p -m PEM -f KEY` (RSA and ECDSA keys; it rewrites KEY in place)",
        ),
    ];
    for profile in Profile::ALL {
        for (key, detail) in &cases {
            let verdict = upload(profile, fixture("rsa2048/fullchain.pem"), key.as_str());
            assert_one(profile, &verdict, &row_17(), detail);
            assert_eq!(
                warning_codes(&verdict),
                Vec::<&str>::new(),
                "{} {detail}",
                profile.name()
            );
        }
    }
}

/// `X509 CERTIFICATE` (RFC 7468 §5.1), which OpenSSL and Java read, is read as a certificate
/// with a warning that the published format says `CERTIFICATE`.
#[test]
fn the_legacy_x509_certificate_label_is_read_with_a_warning() {
    let legacy = text("rsa2048/fullchain.pem").replace("CERTIFICATE-----", "X509 CERTIFICATE-----");
    for profile in taking_pkcs8() {
        let verdict = upload(profile, legacy.as_str(), fixture("rsa2048/key.pkcs8.pem"));
        assert_accepted_with_warnings(
            profile,
            &verdict,
            &[
                "certificate: the block at line 1 is labelled X509 CERTIFICATE, a legacy label (RFC 7468 §5.1) that OpenSSL and Java read as a certificate; the service's published format is -----BEGIN CERTIFICATE-----",
            ],
        );
        assert_eq!(warning_codes(&verdict), vec!["PemFormat"]);
    }
}

/// A UTF-8 byte-order mark at the start of either field, or of a file joined into it, is read
/// past with a warning.
#[test]
fn a_byte_order_mark_is_read_with_a_warning() {
    let bom = '\u{FEFF}';
    let chain = text("rsa2048/fullchain.pem");
    let (leaf, intermediate) = chain.split_at(chain.find("-----BEGIN").unwrap() + 1);
    let intermediate_start = intermediate.find("-----BEGIN").unwrap() + leaf.len();
    let joined = format!(
        "{}{bom}{}",
        &chain[..intermediate_start],
        &chain[intermediate_start..]
    );
    let key = format!("{bom}{}", text("rsa2048/key.pkcs8.pem"));
    for profile in taking_pkcs8() {
        let verdict = upload(profile, format!("{bom}{chain}"), key.as_str());
        assert_accepted_with_warnings(
            profile,
            &verdict,
            &[
                "certificate: the text starts with a UTF-8 byte-order mark (U+FEFF), which was ignored; the published format has none: save the file as UTF-8 without a BOM",
                "private key: the text starts with a UTF-8 byte-order mark (U+FEFF), which was ignored; the published format has none: save the file as UTF-8 without a BOM",
            ],
        );
        let verdict = upload(profile, joined.as_str(), fixture("rsa2048/key.pkcs8.pem"));
        assert_accepted_with_warnings(
            profile,
            &verdict,
            &[
                "certificate: line 23 starts with a UTF-8 byte-order mark (U+FEFF), which was ignored (files joined together?); the published format has none",
            ],
        );
    }
}

/// A PKCS#12/PFX file, a DER certificate and a DER key — binary, or base64 without armour —
/// are named by their structure, with commands that work on them.
#[test]
fn pkcs12_and_der_files_are_named_with_commands_that_work_on_them() {
    use rustls_pki_types::PrivateKeyDer;
    use rustls_pki_types::pem::PemObject;
    let p12 = base64_decode(P256_P12_BASE64);
    let cert_der = fixture_leaf_der("p256/cert.pem");
    let key_der = PrivateKeyDer::from_pem_slice(&fixture("p256/key.pkcs8.pem"))
        .unwrap()
        .secret_der()
        .to_vec();
    let cert_pem = fixture("p256/fullchain.pem");
    let key_pem = fixture("p256/key.pkcs8.pem");
    // The same file as base64 text in 64-character lines, without PEM armour.
    let p12_text: String = P256_P12_BASE64
        .replace(['\n', ' '], "")
        .as_bytes()
        .chunks(64)
        .map(|line| format!("{}\n", std::str::from_utf8(line).unwrap()))
        .collect();
    const P12_BINARY: &str = "is a PKCS#12/PFX file (binary), not PEM text: split it with `openssl pkcs12 -in F -nokeys -out cert.pem` (the certificates) and `openssl pkcs12 -in F -nocerts -nodes -out key.pem` (the private key), and give those";
    const P12_TEXT: &str = "it is a PKCS#12/PFX file in base64, not PEM: decode it (`base64 -d F > F.p12`) and split it with `openssl pkcs12 -in F.p12 -nokeys -out cert.pem` (the certificates) and `openssl pkcs12 -in F.p12 -nocerts -nodes -out key.pem` (the private key)";
    for profile in taking_pkcs8() {
        let cert_param = profile.param(Role::Certificate).unwrap();
        let key_param = profile.param(Role::PrivateKey).unwrap();
        // Binary: row 12.
        let cases: [(Vec<u8>, Vec<u8>, Field, String); 5] = [
            (
                p12.clone(),
                key_pem.clone(),
                Field::Certificate,
                format!("{cert_param} {P12_BINARY}"),
            ),
            (
                cert_pem.clone(),
                p12.clone(),
                Field::PrivateKey,
                format!("{key_param} {P12_BINARY}"),
            ),
            (
                cert_der.clone(),
                key_pem.clone(),
                Field::Certificate,
                format!(
                    "{cert_param} is a binary (DER) certificate, not PEM text: convert it with `openssl x509 -inform der -in F -out cert.pem`"
                ),
            ),
            (
                cert_pem.clone(),
                key_der.clone(),
                Field::PrivateKey,
                format!(
                    "{key_param} is a binary (DER) private key, not PEM text: convert it with `openssl pkey -inform der -in F -out key.pem`"
                ),
            ),
            (
                key_der.clone(),
                key_pem.clone(),
                Field::Certificate,
                format!(
                    "{cert_param} is a binary (DER) private key, not a certificate: give the certificate (PEM) here and the private key in the private-key parameter"
                ),
            ),
        ];
        for (cert, key, field, detail) in cases {
            assert_one(
                profile,
                &upload(profile, cert, key),
                &row_12(field),
                &detail,
            );
        }
        // Base64 without armour: rows 13 and 16.
        let verdict = upload(profile, p12_text.as_str(), key_pem.clone());
        assert_one(
            profile,
            &verdict,
            &row_13(),
            &format!("{cert_param}: {P12_TEXT}"),
        );
        let verdict = upload(profile, cert_pem.clone(), p12_text.as_str());
        assert_one(
            profile,
            &verdict,
            &row_16(),
            &format!("{key_param}: {P12_TEXT}"),
        );
        let bare = text("p256/cert.pem")
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .map(|l| format!("{l}\n"))
            .collect::<String>();
        let verdict = upload(profile, bare, key_pem.clone());
        assert_one(
            profile,
            &verdict,
            &row_13(),
            &format!(
                "{cert_param}: it is a certificate's base64 without its PEM armour: put a -----BEGIN CERTIFICATE----- line before it and an -----END CERTIFICATE----- line after it"
            ),
        );
    }
}

/// A CA certificate given as the certificate (certbot's chain.pem, acme.sh's ca.cer) with the
/// leaf's key: the detail says so and which file to give; the code is the mismatch's.
#[test]
fn row_18_a_ca_certificate_given_as_the_certificate_is_named() {
    let key = fixture("rsa2048/key.pkcs8.pem");
    let intermediates = format!(
        "{}{}",
        text("ca/rsa-intermediate.pem"),
        text("ca/rsa-root.pem")
    );
    for profile in taking_pkcs8() {
        let verdict = upload(profile, fixture("ca/rsa-intermediate.pem"), key.clone());
        assert_one(
            profile,
            &verdict,
            &row_18(),
            "the certificate given (O=Cert Preflight Tests, CN=Preflight Test RSA Intermediate) is a CA certificate (basicConstraints cA=TRUE), not the certificate of your domain, so the key matches nothing: give the file with your domain's certificate first and its chain after it (certbot: fullchain.pem, not chain.pem; acme.sh: fullchain.cer, not ca.cer)",
        );
        assert_eq!(
            warning_codes(&verdict),
            Vec::<&str>::new(),
            "{}",
            profile.name()
        );
        let verdict = upload(profile, intermediates.as_str(), key.clone());
        assert_one(
            profile,
            &verdict,
            &row_18(),
            "the 2 certificates given are all CA certificates (basicConstraints cA=TRUE; the first: O=Cert Preflight Tests, CN=Preflight Test RSA Intermediate), not the certificate of your domain, so the key matches nothing: give the file with your domain's certificate first and its chain after it (certbot: fullchain.pem, not chain.pem; acme.sh: fullchain.cer, not ca.cer)",
        );
        assert_eq!(
            warning_codes(&verdict),
            Vec::<&str>::new(),
            "{}",
            profile.name()
        );
    }
}

/// A key that matches no certificate of the chain: the mismatch says so, and no warning about
/// the chain's order or members is given (it would tell the user to remove the real leaf).
#[test]
fn row_18_a_key_that_matches_no_certificate_gets_no_chain_advice() {
    let other_key = fixture("mismatch/rsa2048-b.key.pkcs8.pem");
    let modulus = "the key's RSA modulus differs from the certificate's: this key belongs to another certificate";
    for profile in taking_pkcs8() {
        for (chain, count, index) in [
            ("chain/reversed.pem", 3, 3),
            ("chain/leaf-not-first.pem", 2, 2),
        ] {
            let verdict = upload(profile, fixture(chain), other_key.clone());
            assert_one(
                profile,
                &verdict,
                &row_18(),
                &format!(
                    "the key matches none of the {count} certificates given: the first is a CA certificate, and compared with certificate {index} (CN=www.example.com), the first that is not a CA: {modulus}"
                ),
            );
            assert_eq!(
                warning_codes(&verdict),
                Vec::<&str>::new(),
                "{} {chain}",
                profile.name()
            );
        }
        // Leaf first, wrong key: the difference from the leaf, and no chain advice either.
        for chain in [
            "rsa2048/fullchain.pem",
            "rsa2048/cert.pem",
            "chain/unrelated-intermediate.pem",
        ] {
            let verdict = upload(profile, fixture(chain), other_key.clone());
            assert_one(profile, &verdict, &row_18(), modulus);
            assert_eq!(
                warning_codes(&verdict),
                Vec::<&str>::new(),
                "{} {chain}",
                profile.name()
            );
        }
    }
}

/// Percent-encodes a value as the SDKs do, but leaves `+` as it is when `keep_plus` (the bug
/// of a hand-built query).
fn query_value(value: &[u8], keep_plus: bool) -> String {
    value
        .iter()
        .map(|&b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            b'+' if keep_plus => "+".to_owned(),
            b' ' => "+".to_owned(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The first line (1-based) of a PEM text that has a `+` inside it (not at either end).
fn first_inner_plus_line(pem: &str) -> usize {
    pem.lines()
        .position(|l| l.len() > 2 && l[1..l.len() - 1].contains('+'))
        .unwrap()
        + 1
}

/// A `+` of the base64 left unencoded in a raw query turns into a space: the detail says to
/// send `+` as `%2B`. Without a query, a space inside base64 gets the hint as a possibility.
#[test]
fn row_14_a_plus_left_unencoded_in_a_query_is_named() {
    let cert = fixture("rsa2048/fullchain.pem");
    let key = fixture("rsa2048/key.pkcs8.pem");
    for profile in taking_pkcs8() {
        let param = |role| profile.param(role).unwrap();
        // DomainName and the switch where the API has them; its name parameter.
        let mut head = String::new();
        for (role, value) in [
            (Role::Domain, "www.example.com"),
            (Role::Switch, "on"),
            (Role::CertName, "n"),
        ] {
            if let Some(name) = profile.param(role) {
                head.push_str(&format!("{name}={value}&"));
            }
        }
        let raw = |keep_cert_plus: bool, keep_key_plus: bool| {
            format!(
                "{head}{}={}&{}={}",
                param(Role::Certificate),
                query_value(&cert, keep_cert_plus),
                param(Role::PrivateKey),
                query_value(&key, keep_key_plus),
            )
        };
        let check_raw = |raw: String| {
            let request = Request::from_query(profile, raw.as_bytes()).unwrap();
            validate(profile, &request, &Options::at(NOW))
        };
        assert!(
            check_raw(raw(false, false)).is_accepted(),
            "{}",
            profile.name()
        );
        let from_query = |field: Field, text: &[u8]| {
            let (label, role) = match field {
                Field::Certificate => ("CERTIFICATE", Role::Certificate),
                _ => ("PRIVATE KEY", Role::PrivateKey),
            };
            let line = first_inner_plus_line(std::str::from_utf8(text).unwrap());
            format!(
                "{}: the {label} block at line 1: line {line} has a space inside its base64: the request sent a '+' of the base64 unencoded, and a query string decodes '+' as a space; send '+' as %2B (URL-encode the whole value)",
                param(role)
            )
        };
        let verdict = check_raw(raw(true, false));
        assert_one(
            profile,
            &verdict,
            &row_14(Field::Certificate),
            &from_query(Field::Certificate, &cert),
        );
        let verdict = check_raw(raw(false, true));
        assert_one(
            profile,
            &verdict,
            &row_14(Field::PrivateKey),
            &from_query(Field::PrivateKey, &key),
        );
        // Typed values: the space is named, the query is a possibility.
        let spaced = text("rsa2048/fullchain.pem").replacen("MII", "MI I", 1);
        let verdict = upload(profile, spaced, key.clone());
        assert_one(
            profile,
            &verdict,
            &row_14(Field::Certificate),
            &format!(
                "{}: the CERTIFICATE block at line 1: line 2 has a space inside its base64; a '+' sent unencoded in a URL query or form body turns into a space, so URL-encode the value ('+' as %2B)",
                param(Role::Certificate)
            ),
        );
    }
}

/// `ExpiresSoon` carries the date, and the days left are rounded down: under a day is "less
/// than a day", one to two days "1 day".
#[test]
fn expires_soon_carries_a_date_and_rounds_days_down() {
    use time::macros::datetime;
    let not_after = datetime!(2026-06-15 0:00 UTC);
    for (at, days, words) in [
        (datetime!(2026-06-01 0:00 UTC), 14, "14 days"),
        (datetime!(2026-06-13 12:00 UTC), 1, "1 day"),
        (datetime!(2026-06-14 9:36 UTC), 0, "less than a day"),
        (not_after, 0, "less than a day"),
    ] {
        for profile in taking_pkcs8() {
            let verdict = pair_at(
                profile,
                "time/expiring-soon.pem",
                "rsa2048/key.pkcs8.pem",
                at,
            );
            assert!(verdict.is_accepted(), "{}", profile.name());
            let warning = &verdict.warnings()[0];
            assert!(
                matches!(warning, Warning::ExpiresSoon { not_after: n, days: d } if *n == not_after && *d == days),
                "{warning:?}"
            );
            assert_eq!(
                warning.to_string(),
                format!("the certificate expires on 2026-06-15T00:00:00Z, in {words}; renew it")
            );
        }
    }
}

/// `openssl dsaparam -genkey 1024` (OpenSSL 3.0: the parameters, then the key as PKCS#8).
const DSA_PARAMS_PKCS8: &str = "\
-----BEGIN DSA PARAMETERS-----\n\
MIIBJgKBgQCQjDS7dJF4z5DgFnjJoAHS9c+Uam5OrSwVAl1uEZFZ6S9lI98Zhjpe\n\
ls++iJchbvSgagKpQiA+H7rz7I0TtDAcdFHwSmVkpdbwGFY8g7Wz2yzLKWKLi6KR\n\
lwa0rpu/QZUzEkNLbersBTd1p4kmBH2fM+Itsl1N7WUpuDulEeE9VwIdAJ3BVchO\n\
0VrZ939YphieVTKYjdBevU56IlKUxDUCgYACE0UPnEqy8cnvgc8LBsj4fxNsqIuM\n\
JvZgBonFyPG0xecZna7OUVjOib5WDem/dmV2+T6T0wZG4qKIHZTAJMx+82Gh77O0\n\
P0tHensNxCvsAQi3CdovwKrRRIJEOCqtEqlU0QX2yftSPhPEluLc/QbmRzNGVf+w\n\
jjnv4floj7+rEw==\n\
-----END DSA PARAMETERS-----\n\
-----BEGIN PRIVATE KEY-----\n\
MIIBWgIBADCCATMGByqGSM44BAEwggEmAoGBAJCMNLt0kXjPkOAWeMmgAdL1z5Rq\n\
bk6tLBUCXW4RkVnpL2Uj3xmGOl6Wz76IlyFu9KBqAqlCID4fuvPsjRO0MBx0UfBK\n\
ZWSl1vAYVjyDtbPbLMspYouLopGXBrSum79BlTMSQ0tt6uwFN3WniSYEfZ8z4i2y\n\
XU3tZSm4O6UR4T1XAh0AncFVyE7RWtn3f1imGJ5VMpiN0F69TnoiUpTENQKBgAIT\n\
RQ+cSrLxye+BzwsGyPh/E2yoi4wm9mAGicXI8bTF5xmdrs5RWM6JvlYN6b92ZXb5\n\
PpPTBkbioogdlMAkzH7zYaHvs7Q/S0d6ew3EK+wBCLcJ2i/AqtFEgkQ4Kq0SqVTR\n\
BfbJ+1I+E8SW4tz9BuZHM0ZV/7COOe/h+WiPv6sTBB4CHBa/xGGxS6bLQdjY/kJ2\n\
+iPVoEQTfi/r08Cqo7k=\n\
-----END PRIVATE KEY-----\n\
";

/// The same, as older OpenSSL writes it: `openssl pkey -in F -traditional` after the
/// parameters (`DSA PRIVATE KEY`).
const DSA_PARAMS_TRADITIONAL: &str = "\
-----BEGIN DSA PARAMETERS-----\n\
MIIBJgKBgQCQjDS7dJF4z5DgFnjJoAHS9c+Uam5OrSwVAl1uEZFZ6S9lI98Zhjpe\n\
ls++iJchbvSgagKpQiA+H7rz7I0TtDAcdFHwSmVkpdbwGFY8g7Wz2yzLKWKLi6KR\n\
lwa0rpu/QZUzEkNLbersBTd1p4kmBH2fM+Itsl1N7WUpuDulEeE9VwIdAJ3BVchO\n\
0VrZ939YphieVTKYjdBevU56IlKUxDUCgYACE0UPnEqy8cnvgc8LBsj4fxNsqIuM\n\
JvZgBonFyPG0xecZna7OUVjOib5WDem/dmV2+T6T0wZG4qKIHZTAJMx+82Gh77O0\n\
P0tHensNxCvsAQi3CdovwKrRRIJEOCqtEqlU0QX2yftSPhPEluLc/QbmRzNGVf+w\n\
jjnv4floj7+rEw==\n\
-----END DSA PARAMETERS-----\n\
-----BEGIN DSA PRIVATE KEY-----\n\
MIIBygIBAAKBgQCQjDS7dJF4z5DgFnjJoAHS9c+Uam5OrSwVAl1uEZFZ6S9lI98Z\n\
hjpels++iJchbvSgagKpQiA+H7rz7I0TtDAcdFHwSmVkpdbwGFY8g7Wz2yzLKWKL\n\
i6KRlwa0rpu/QZUzEkNLbersBTd1p4kmBH2fM+Itsl1N7WUpuDulEeE9VwIdAJ3B\n\
VchO0VrZ939YphieVTKYjdBevU56IlKUxDUCgYACE0UPnEqy8cnvgc8LBsj4fxNs\n\
qIuMJvZgBonFyPG0xecZna7OUVjOib5WDem/dmV2+T6T0wZG4qKIHZTAJMx+82Gh\n\
77O0P0tHensNxCvsAQi3CdovwKrRRIJEOCqtEqlU0QX2yftSPhPEluLc/QbmRzNG\n\
Vf+wjjnv4floj7+rEwKBgCN1OKNbMvV2FT3PXS7G3OHisVdH3RxBzflfHXfrrp5y\n\
O4Wlj1cNpBJQSs3XfStV9dApfherlwKvlrDI1ayV5kfcgq9GoWlSZCiCcC6rlUm3\n\
PYUi2+FU4SZ0a0Cz9YD4tmM7pQDgqaGnUR5NDp4/TPWL2BidriR/hV2LlsRSXm2b\n\
AhwWv8RhsUumy0HY2P5Cdvoj1aBEE34v69PAqqO5\n\
-----END DSA PRIVATE KEY-----\n\
";

/// `openssl genpkey -genparam -algorithm DH -pkeyopt dh_paramgen_prime_len:512` and
/// `openssl genpkey -paramfile P`, joined.
const DH_PARAMS_PKCS8: &str = "\
-----BEGIN DH PARAMETERS-----\n\
MEYCQQCtMlxxnT8oMLHdUQgR0yuuqJZKDAu6LghKXI61JqzHHIh3+MJ9Dtf0x5Qy\n\
wPgGEodCu01xiWg8oAPXyh9ItXHfAgEC\n\
-----END DH PARAMETERS-----\n\
-----BEGIN PRIVATE KEY-----\n\
MIGcAgEAMFMGCSqGSIb3DQEDATBGAkEArTJccZ0/KDCx3VEIEdMrrqiWSgwLui4I\n\
SlyOtSasxxyId/jCfQ7X9MeUMsD4BhKHQrtNcYloPKAD18ofSLVx3wIBAgRCAkAx\n\
qpjOykGitWvG2aYEUQ/xRPtB4V2KPjrrmKWnfM9VymdgL6O+HjKKymB38Nu6492w\n\
lFrgjU6ka7AMIIae9F/5\n\
-----END PRIVATE KEY-----\n\
";

/// The same with `-algorithm DHX` (X9.42 parameters, 1024/160 bits).
const DHX_PARAMS_PKCS8: &str = "\
-----BEGIN X9.42 DH PARAMETERS-----\n\
MIIBOwKBgQDgaeN0nMlIJ1PnTAklhCBQUhqAkiVgvw28T6ROI0tgcnGGt8sC6oL0\n\
xaQuEoqGklKYKg0sX8olOHJxnDB4fznNneIJq95Q8aR6qvPXTrSanzIBAmBFe7YU\n\
Ftp6z7NVnlGhCgXyCzLuveqKCNDKCiw8y3nqlr0omyDK/RGcmV9ssQKBgQDc9idN\n\
YZC6h7MqWo6ZzG9Uf/i3cbAShd4krHsKuNYpqxe1uQ5FPbJ6tcGqWAH711WemFVD\n\
k6I0j6gKpkW1p7M/Mnlz82TsSouTGwIF1oMOsSjYyC+hHIg+7PKxtO5uGaAhKX25\n\
iO2QeMgDwxXAlCcPgM+2o4S1D1LApXi7wxj77AIVANoX0179mXoJPNKhlk6kxsfM\n\
r1iBMBoDFQAWjdegdr55LgOIjiwPnAPckA8BFQIBZQ==\n\
-----END X9.42 DH PARAMETERS-----\n\
-----BEGIN PRIVATE KEY-----\n\
MIIBSwIBADCCASwGByqGSM4+AgEwggEfAoGBAOBp43ScyUgnU+dMCSWEIFBSGoCS\n\
JWC/DbxPpE4jS2BycYa3ywLqgvTFpC4SioaSUpgqDSxfyiU4cnGcMHh/Oc2d4gmr\n\
3lDxpHqq89dOtJqfMgECYEV7thQW2nrPs1WeUaEKBfILMu696ooI0MoKLDzLeeqW\n\
vSibIMr9EZyZX2yxAoGBANz2J01hkLqHsypajpnMb1R/+LdxsBKF3iSsewq41imr\n\
F7W5DkU9snq1wapYAfvXVZ6YVUOTojSPqAqmRbWnsz8yeXPzZOxKi5MbAgXWgw6x\n\
KNjIL6EciD7s8rG07m4ZoCEpfbmI7ZB4yAPDFcCUJw+Az7ajhLUPUsCleLvDGPvs\n\
AhUA2hfTXv2Zegk80qGWTqTGx8yvWIEEFgIUdIQWxXLyFc7jFbOT2hihbE9iexs=\n\
-----END PRIVATE KEY-----\n\
";

/// `ssh-keygen -t ecdsa -N ''` (OpenSSH 9.2).
const OPENSSH_ECDSA: &str = "\
-----BEGIN OPENSSH PRIVATE KEY-----\n\
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAaAAAABNlY2RzYS\n\
1zaGEyLW5pc3RwMjU2AAAACG5pc3RwMjU2AAAAQQQh9DE5OAZjTl5x5XcABu8R4ePrg8GM\n\
4/le2sUncc/uQepcXK/65GwK5HNjr6KI2m3zx3PRULBMLAIGRcpwLxRQAAAAoBYloeAWJa\n\
HgAAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBCH0MTk4BmNOXnHl\n\
dwAG7xHh4+uDwYzj+V7axSdxz+5B6lxcr/rkbArkc2OvoojabfPHc9FQsEwsAgZFynAvFF\n\
AAAAAhAKCrYkZbyIv1iFWe+axnszufrqLXl2DdQysf9hhgkUYGAAAAAAECAwQFBgc=\n\
-----END OPENSSH PRIVATE KEY-----\n\
";

/// `ssh-keygen -t ed25519 -N ''`.
const OPENSSH_ED25519: &str = "\
-----BEGIN OPENSSH PRIVATE KEY-----\n\
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n\
QyNTUxOQAAACB3zSe02feYw1yupI/xh7yxxgbeXDKvT0QK8v9W2UeDwAAAAIhJo962SaPe\n\
tgAAAAtzc2gtZWQyNTUxOQAAACB3zSe02feYw1yupI/xh7yxxgbeXDKvT0QK8v9W2UeDwA\n\
AAAEAg+d7EbPdeWC0aThPpVLUPjpy+5OH76HunuV81yikmM3fNJ7TZ95jDXK6kj/GHvLHG\n\
Bt5cMq9PRAry/1bZR4PAAAAAAAECAwQF\n\
-----END OPENSSH PRIVATE KEY-----\n\
";

/// `ssh-keygen -t ed25519 -N secret` (passphrase-protected).
const OPENSSH_ED25519_ENCRYPTED: &str = "\
-----BEGIN OPENSSH PRIVATE KEY-----\n\
b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABAEqu384r\n\
kMcdRfeelbe+q7AAAAEAAAAAEAAAAzAAAAC3NzaC1lZDI1NTE5AAAAIMeJnCRGEuKrMy/7\n\
nXuuFHt0FrxVSP7Fq0MOIF+DWqXZAAAAkEKn0i/uC7jiKzdqsG/fHTnp1qId17j9Tijafr\n\
I0V1vbx40WykZ3xrgJQ4CLIFStkg04ElAzy2zJLSEvzWZx2FfkFJu26K2fWp51cJDXVbx2\n\
0IEQ8mBX7p6M250GdSNx8tu89qNVP+MMf3C/L05sEedJ10BIIaGwD5aUBBOjY3RufLXTqS\n\
hPZSRHwf7oTnaIRg==\n\
-----END OPENSSH PRIVATE KEY-----\n\
";

/// `openssl pkcs12 -export -in testdata/p256/cert.pem -inkey testdata/p256/key.pkcs8.pem
/// -passout pass: | base64 -w0` (OpenSSL 3.0).
const P256_P12_BASE64: &str = "\
MIIEjAIBAzCCBEIGCSqGSIb3DQEHAaCCBDMEggQvMIIEKzCCAuIGCSqGSIb3DQEHBqCCAtMwggLPAgEAMIICyAYJKoZIhvcN\
AQcBMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAihYRms9XI8mwICCAAwDAYIKoZIhvcNAgkFADAdBglghkgBZQME\
ASoEEJMyLog86n6VG57H4MW1v02AggJgwb5EsUDLRL8EQ4MKsTxFq4Ay8I//B5/Jt/PhgUsYBtToFkDhVDX+Hl9vu0Tzgl+x\
xZc82B3gVLSUMufbHXQsXdMC1ORAfFSo2ka3XoCZy5L/IanwgWMqOH/qaSut/QYaRseWXna/E6Bo33UCpw3cbUlN55ZOpPp9\
yr2JINmOUWPfgEz6BygStjv2UJcFW3QAn6UuP7OoYHqJBZ6glDaLMIIU319d1UauYkA/vC0u2K2Zju3TVWiGeXFHBzYzmm2A\
T4DaJX0/0Tkm/mlOcpK3GillDnSukZVULzsyIfDy+jinyNuVZPHg7dvlni1dSZRShsXsgrGgfiLWeWNPIDgDsg1y4MnsxvDJ\
pW9fj8Vzug1yx3Ozj3D2VDrnRscbzO+O7tE/isIJ327fN/ARhw0gMlTrXj/Q5Su9Sg0O212jLoSlPS8rpxuoG2O807zmMyWC\
h3H4lpRK5wzTx4EXw9RBYmBqPvVL1CgzyHUC+ROaOVo/K/vnWNKOqJODdZmNMrQLtE66c/JmEKzTZor3CyQ1oF2U+LrNUrTk\
hu5EkPe0ouuFMYZ/dkgC7cFDdkxsRgoUioOJM0ldQzfp2/L4m3B+A+GSUap5ZiOW7UCAFDRDtahniS0/05a39YyoPPMw0NCR\
qbzPc22ITrTz/rRFRDIfDFWxf7o8bF/vP0KiTTf6PgkLDVZ+1BsE5eSbS9zUsG5q4XQ7v7F1Q1DKD1ycLxyD6DwoN4+o3cFN\
TCFFjtcRfoxfP26lObFI8ydaITWR3Dcbh2zEpEaMFBEs0hyHJjBMX305KbUz83xg/EQp4MxEHk8wggFBBgkqhkiG9w0BBwGg\
ggEyBIIBLjCCASowggEmBgsqhkiG9w0BDAoBAqCB7zCB7DBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQI+yHOwOgw\
RN4CAggAMAwGCCqGSIb3DQIJBQAwHQYJYIZIAWUDBAEqBBA/hAYPQj9CHpMRzNsWQqQJBIGQGU2HcRuRlUsM9j187qOR9GWZ\
4+VQSbWwlRBaeiy1TtvS/4HxQ0dlRr4YSvZlQSu/21fouhgp9TT0k4QnNRKHmGJL2a7gkRj6fnDWdXGNP8VJzZ4Sxd1yogUv\
Z+5WhFiXNTj6tt0lWqRxkrSQcovprQlLIZ2Id0Mqx/NMwKyFWeV9cgtRZpM7CyyjUn7T3GvUMSUwIwYJKoZIhvcNAQkVMRYE\
FFdhrDWjYBdqloLTeDO+gXXrl2cZMEEwMTANBglghkgBZQMEAgEFAAQgUeXCy7YY3491sCQ4rcHfpmCl4g1V5BoqB+v3CuKR\
fggECEStD11UPLA3AgIIAA==";

/// The verdict is accepted for `profile` and its warnings read exactly `expected`.
fn assert_accepted_with_warnings(profile: &Profile, verdict: &Verdict, expected: &[&str]) {
    assert!(
        verdict.is_accepted(),
        "{}: {:?}",
        profile.name(),
        findings(verdict)
    );
    assert_eq!(warning_texts(verdict), expected, "{}", profile.name());
}

/// Each warning of a verdict, as text.
fn warning_texts(verdict: &Verdict) -> Vec<String> {
    verdict.warnings().iter().map(ToString::to_string).collect()
}
